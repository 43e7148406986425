/** How long an answer is replayed for its Idempotency-Key (as payment APIs do: a day). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** A stored answer to replay. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

export type Reservation = { kind: "new" } | { kind: "replay"; answer: StoredAnswer } | { kind: "in_progress" } | { kind: "mismatch" };

/**
 * Claims `idemKey` for one request of key `keyId` (insert-if-absent, so two concurrent requests
 * cannot both run), or reports what a previous request with it left: its answer, that it is
 * still running, or that it had other parameters (`fingerprint`).
 */
export async function reserve(db: D1Database, keyId: string, idemKey: string, fingerprint: string, attempt = 0, now = Date.now()): Promise<Reservation> {
  const [, ins] = await db.batch([
    // Answers are kept for IDEMPOTENCY_TTL_MS; then the key may be used again.
    db.prepare(`DELETE FROM idempotency WHERE key_id = ? AND created_at < ? AND status IS NOT NULL`).bind(keyId, now - IDEMPOTENCY_TTL_MS),
    db.prepare(`INSERT INTO idempotency (key_id, idem_key, fingerprint, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`).bind(keyId, idemKey, fingerprint, now),
  ]);
  if (ins.meta.changes === 1) return { kind: "new" };
  const row = await db
    .prepare(`SELECT fingerprint, status, response FROM idempotency WHERE key_id = ? AND idem_key = ?`)
    .bind(keyId, idemKey)
    .first<{ fingerprint: string; status: number | null; response: string | null }>();
  // Released between the two statements: claim it again (once; then report it as running).
  if (row === null) return attempt === 0 ? reserve(db, keyId, idemKey, fingerprint, 1, now) : { kind: "in_progress" };
  if (row.fingerprint !== fingerprint) return { kind: "mismatch" };
  if (row.status === null || row.response === null) return { kind: "in_progress" };
  return { kind: "replay", answer: { status: row.status, body: JSON.parse(row.response) } };
}

export async function complete(db: D1Database, keyId: string, idemKey: string, answer: StoredAnswer): Promise<void> {
  await db.prepare(`UPDATE idempotency SET status = ?, response = ? WHERE key_id = ? AND idem_key = ?`).bind(answer.status, JSON.stringify(answer.body), keyId, idemKey).run();
}

/** Frees a reservation whose request committed nothing, so that it may be retried. */
export async function release(db: D1Database, keyId: string, idemKey: string): Promise<void> {
  await db.prepare(`DELETE FROM idempotency WHERE key_id = ? AND idem_key = ? AND status IS NULL`).bind(keyId, idemKey).run();
}
