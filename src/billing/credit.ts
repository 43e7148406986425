/** How long a reservation may wait for its settlement before it is released (its Worker died). */
export const RESERVATION_TTL_MS = 15 * 60 * 1000;

export interface Reservation {
  id: string;
  projectId: string;
  amount: bigint;
}

/**
 * Holds `amount` of the project's credit for a run (undefined when the credit does not cover it), in one D1 batch (one transaction): the credit
 * goes down only if it covers the amount, and the reservation row exists only if it did.
 * Concurrent reservations can therefore never drive credit below zero. Occasionally the batch
 * also releases reservations older than the TTL (their Worker died before settling).
 */
export async function reserve(db: D1Database, projectId: string, amount: bigint, now = Date.now()): Promise<Reservation | undefined> {
  const id = `res_${crypto.randomUUID().replaceAll("-", "")}`;
  const a = Number(amount);
  const statements = [
    db.prepare(`UPDATE projects SET credit = credit - ? WHERE id = ? AND credit >= ?`).bind(a, projectId, a),
    db.prepare(`INSERT INTO reservations (id, project_id, amount, created_at) SELECT ?, ?, ?, ? WHERE changes() = 1`).bind(id, projectId, a, now),
  ];
  if (Math.random() < 0.05) statements.unshift(...releaseStale(db, projectId, now));
  const results = await db.batch(statements);
  return (results.at(-1)?.meta.changes ?? 0) === 1 ? { id, projectId, amount } : undefined;
}

/** Gives back the credit of reservations older than the TTL, and forgets them. */
export function releaseStale(db: D1Database, projectId: string, now = Date.now()): D1PreparedStatement[] {
  const before = now - RESERVATION_TTL_MS;
  return [
    db.prepare(`UPDATE projects SET credit = credit + (SELECT COALESCE(SUM(amount), 0) FROM reservations WHERE project_id = ? AND created_at < ?) WHERE id = ?`).bind(projectId, before, projectId),
    db.prepare(`DELETE FROM reservations WHERE project_id = ? AND created_at < ?`).bind(projectId, before),
  ];
}

/**
 * Statements that settle a reservation, for the run's logging batch: the project gets back what
 * was held beyond the charge, and the reservation goes. Both apply only while the reservation
 * still exists, so a settlement happens once.
 */
export function settleStatements(db: D1Database, r: Reservation, charge: bigint): D1PreparedStatement[] {
  return [
    db.prepare(`UPDATE projects SET credit = credit + ? - ? WHERE id = ? AND EXISTS (SELECT 1 FROM reservations WHERE id = ?)`).bind(Number(r.amount), Number(charge), r.projectId, r.id),
    db.prepare(`DELETE FROM reservations WHERE id = ?`).bind(r.id),
  ];
}
