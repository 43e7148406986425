/**
 * Cursors of JSON-RPC filters into the run log: the rowid of the logs and transactions tables.
 * SQLite gives each new row a rowid above every existing one, so "rows after the cursor" are
 * exactly those written since it was taken, whatever block they belong to: a filter does not
 * miss a log that reached D1 late (the run log lags answers by about a second).
 */

/** The last row of the logs and transactions tables now (0 when empty). */
export async function cursorsNow(db: D1Database): Promise<{ logs: number; transactions: number }> {
  const r = await db.prepare(`SELECT (SELECT COALESCE(MAX(rowid), 0) FROM logs) AS logs, (SELECT COALESCE(MAX(rowid), 0) FROM transactions) AS transactions`).first<{ logs: number; transactions: number }>();
  return r ?? { logs: 0, transactions: 0 };
}

/** Hashes of the chain's transactions written after row `after` and up to `upTo`, committed from stamp `since`, in the order written (at most `limit`). */
export async function transactionsWritten(db: D1Database, chainId: bigint, rows: { after: number; upTo: number; since: number }, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT hash FROM transactions WHERE rowid > ? AND rowid <= ? AND chain_id = ? AND stamp >= ? ORDER BY rowid LIMIT ?`)
    .bind(rows.after, rows.upTo, Number(chainId), rows.since, limit)
    .all<{ hash: string }>();
  return results.map((r) => r.hash);
}
