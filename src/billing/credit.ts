/**
 * How long a reservation may wait for its settlement before it is released as abandoned (its
 * Worker died). Far above the longest run (the time cap, the commit, a sender's turn), so a run
 * that is merely slow is never released under its feet.
 */
export const RESERVATION_TTL_MS = 15 * 60 * 1000;

export interface Reservation {
  id: string;
  projectId: string;
  amount: bigint;
}

/**
 * Holds `amount` of the project's credit for a run, or answers undefined when the credit does
 * not cover it. One D1 batch (one transaction): the credit goes down only if it covers the amount
 * (a conditional UPDATE), and the reservation row exists only if it did (its INSERT is guarded by
 * `changes()`). Concurrent reservations can therefore never drive credit below zero.
 * When the credit falls short, reservations abandoned by dead Workers are released and the
 * reservation is tried once more, so credit held by a crash comes back at the project's next run.
 */
export async function reserve(db: D1Database, projectId: string, amount: bigint, now = Date.now()): Promise<Reservation | undefined> {
  const held = await tryReserve(db, projectId, amount, now);
  if (held !== undefined) return held;
  const released = await db.batch(releaseStatements(db, now, projectId));
  if ((released[0]?.meta.changes ?? 0) === 0) return undefined;
  return tryReserve(db, projectId, amount, now);
}

async function tryReserve(db: D1Database, projectId: string, amount: bigint, now: number): Promise<Reservation | undefined> {
  const id = `res_${crypto.randomUUID().replaceAll("-", "")}`;
  const a = Number(amount);
  const results = await db.batch([
    db.prepare(`UPDATE projects SET credit = credit - ? WHERE id = ? AND credit >= ?`).bind(a, projectId, a),
    db.prepare(`INSERT INTO reservations (id, project_id, amount, created_at) SELECT ?, ?, ?, ? WHERE changes() = 1`).bind(id, projectId, a, now),
  ]);
  return (results[1]?.meta.changes ?? 0) === 1 ? { id, projectId, amount } : undefined;
}

/**
 * Statements that give back the credit of reservations older than the TTL (of one project, or
 * of all) and forget them: the runs they held for are never charged. One batch, so a
 * reservation is either released or settled, never both.
 */
export function releaseStatements(db: D1Database, now: number, projectId?: string): D1PreparedStatement[] {
  const before = now - RESERVATION_TTL_MS;
  const which = projectId === undefined ? "" : " AND project_id = ?";
  const bind = (...first: (string | number)[]) => (projectId === undefined ? first : [...first, projectId]);
  return [
    db
      .prepare(
        `UPDATE projects SET credit = credit + (SELECT SUM(amount) FROM reservations r WHERE r.project_id = projects.id AND r.created_at < ?)
         WHERE id IN (SELECT project_id FROM reservations WHERE created_at < ?${which})`,
      )
      .bind(before, ...bind(before)),
    db.prepare(`DELETE FROM reservations WHERE created_at < ?${which}`).bind(...bind(before)),
  ];
}

/** The scheduled sweep: releases every project's abandoned reservations. */
export async function releaseAbandoned(db: D1Database, now = Date.now()): Promise<number> {
  const results = await db.batch(releaseStatements(db, now));
  return results[1]?.meta.changes ?? 0;
}

/**
 * Settles a reservation for the run `runId`, whose row (with `charge`) comes earlier in the same
 * batch. The charge is never more than what was reserved. The statements act only while the
 * reservation still exists, so a settlement happens once; if the reservation was already
 * released as abandoned, the run's charge is set to zero (the credit was given back whole), so
 * the run log still holds exactly what the credit paid.
 */
export function settlement(db: D1Database, r: Reservation, runId: string, cost: bigint): { charge: bigint; statements: D1PreparedStatement[] } {
  const charge = cost < r.amount ? cost : r.amount;
  const held = `EXISTS (SELECT 1 FROM reservations WHERE id = ?)`;
  return {
    charge,
    statements: [
      db.prepare(`UPDATE runs SET charge = 0 WHERE id = ? AND NOT ${held}`).bind(runId, r.id),
      db.prepare(`UPDATE projects SET credit = credit + ? WHERE id = ? AND ${held}`).bind(Number(r.amount - charge), r.projectId, r.id),
      db.prepare(`DELETE FROM reservations WHERE id = ?`).bind(r.id),
    ],
  };
}
