/** A statement with its parameters inlined as SQL literals (wrangler d1 execute takes plain SQL). */
export function inlineSql(sql: string, params: (string | number)[]): string {
  let i = 0;
  return sql.replace(/\?/g, () => {
    const p = params[i++];
    return typeof p === "number" ? String(p) : `'${p.replaceAll("'", "''")}'`;
  });
}
