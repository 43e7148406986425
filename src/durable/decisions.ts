import type { AccountName, Decision, Outcome } from "./protocol.ts";

/**
 * A decision is forgotten this long after every participant has it. A commit is kept until then
 * whatever its age: a participant still prepared must learn `commit`, never a presumed `abort`.
 */
const KEEP_MS = 60 * 60 * 1000;

/**
 * The durable decision record of the transactions this account decided (it was their sender):
 * written once, in the same SQLite transaction as this account's own writes. A participant
 * left prepared asks for it; when there is none, `abort` is written first, so a coordinator that
 * comes back late finds its transaction aborted and cannot commit it.
 */
export class DecisionLog {
  private pruneAfter = 0;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS decisions (tx_id TEXT PRIMARY KEY, outcome TEXT NOT NULL, decided_at INTEGER NOT NULL)`);
    // Added later: the commit's stamp, and the participants that have not yet applied it (JSON).
    for (const col of ["stamp INTEGER NOT NULL DEFAULT 0", "pending TEXT NOT NULL DEFAULT '[]'", "done_at INTEGER"]) {
      if (!this.hasColumn(col.split(" ")[0])) sql.exec(`ALTER TABLE decisions ADD COLUMN ${col}`);
    }
  }

  private hasColumn(name: string): boolean {
    return this.sql.exec<{ name: string }>(`PRAGMA table_info(decisions)`).toArray().some((c) => c.name === name);
  }

  get(txId: string): Decision | undefined {
    const row = this.sql.exec<{ outcome: Outcome; stamp: number }>(`SELECT outcome, stamp FROM decisions WHERE tx_id = ?`, txId).toArray()[0];
    return row === undefined ? undefined : { outcome: row.outcome, stamp: row.stamp };
  }

  /** Records a decision unless one exists; returns the decision that stands. */
  decide(txId: string, d: Decision, pending: AccountName[], now: number): Decision {
    const existing = this.get(txId);
    if (existing !== undefined) return existing;
    const done = d.outcome === "abort" || pending.length === 0 ? now : null;
    this.sql.exec(`INSERT INTO decisions (tx_id, outcome, decided_at, stamp, pending, done_at) VALUES (?, ?, ?, ?, ?, ?)`, txId, d.outcome, now, d.stamp, JSON.stringify(pending), done);
    if (now > this.pruneAfter) {
      this.sql.exec(`DELETE FROM decisions WHERE done_at IS NOT NULL AND done_at < ?`, now - KEEP_MS);
      this.pruneAfter = now + 60_000;
    }
    return d;
  }

  /** `names` have applied (or been told) the outcome: once none is left, the decision may go. */
  finished(txId: string, names: string[], now: number): void {
    const row = this.sql.exec<{ pending: string }>(`SELECT pending FROM decisions WHERE tx_id = ? AND done_at IS NULL`, txId).toArray()[0];
    if (row === undefined) return;
    const left = (JSON.parse(row.pending) as string[]).filter((n) => !names.includes(n));
    this.sql.exec(`UPDATE decisions SET pending = ?, done_at = ? WHERE tx_id = ?`, JSON.stringify(left), left.length === 0 ? now : null, txId);
  }

  count(): { all: number; undone: number } {
    return this.sql.exec<{ all: number; undone: number }>(`SELECT COUNT(*) AS "all", COUNT(*) - COUNT(done_at) AS undone FROM decisions`).one();
  }
}
