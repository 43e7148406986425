import { blockAtMs, type BlockClock } from "../state/blocks.ts";

/** Rows deleted per statement, and statements per table per project per sweep: bounded work. */
const BATCH = 1000;
const ROUNDS = 5;

/**
 * Deletes what is older than each project's retention (`retention_days`, 30 by default) from the
 * run log: runs by their time, transactions and logs by their block (blocks follow the clock),
 * and the transactions' replay records in R2. Bounded batches, so a sweep never holds D1 long;
 * what is left goes in the next sweep. Answers the rows deleted.
 */
export async function sweepRetention(db: D1Database, blobs: R2Bucket, clock: BlockClock, now = Date.now()): Promise<number> {
  const { results: projects } = await db.prepare(`SELECT id, chain_id, retention_days FROM projects`).all<{ id: string; chain_id: number; retention_days: number }>();
  let deleted = 0;
  for (const p of projects) {
    const cutoff = now - p.retention_days * 86_400_000;
    const block = blockAtMs(clock, cutoff);
    for (let i = 0; i < ROUNDS; i++) {
      const { results: gone } = await db.prepare(`SELECT hash, replay_key FROM transactions WHERE chain_id = ? AND block_number < ? LIMIT ?`).bind(p.chain_id, block, BATCH).all<{ hash: string; replay_key: string | null }>();
      const keys = gone.map((t) => t.replay_key).filter((k): k is string => k !== null);
      if (keys.length > 0) await blobs.delete(keys);
      const r = await db.batch([
        db.prepare(`DELETE FROM logs WHERE rowid IN (SELECT rowid FROM logs WHERE chain_id = ? AND block_number < ? LIMIT ?)`).bind(p.chain_id, block, BATCH * 10),
        db.prepare(`DELETE FROM transactions WHERE chain_id = ? AND hash IN (SELECT value FROM json_each(?))`).bind(p.chain_id, JSON.stringify(gone.map((t) => t.hash))),
        db.prepare(`DELETE FROM runs WHERE rowid IN (SELECT rowid FROM runs WHERE project_id = ? AND created_at < ? LIMIT ?)`).bind(p.id, cutoff, BATCH),
      ]);
      const n = r.reduce((s, x) => s + (x.meta.changes ?? 0), 0);
      deleted += n;
      if (n === 0) break;
    }
  }
  return deleted;
}
