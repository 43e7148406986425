import type { Outcome } from "./protocol.ts";

/**
 * Decisions older than this are forgotten. Participants ask within PREPARE_TIMEOUT_MS (their
 * alarm, retried for minutes); a coordinator's request lives seconds.
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
  }

  get(txId: string): Outcome | undefined {
    return this.sql.exec<{ outcome: Outcome }>(`SELECT outcome FROM decisions WHERE tx_id = ?`, txId).toArray()[0]?.outcome;
  }

  /** Records `outcome` unless a decision exists; returns the decision that stands. */
  decide(txId: string, outcome: Outcome, now: number): Outcome {
    const existing = this.get(txId);
    if (existing !== undefined) return existing;
    this.sql.exec(`INSERT INTO decisions (tx_id, outcome, decided_at) VALUES (?, ?, ?)`, txId, outcome, now);
    if (now > this.pruneAfter) {
      this.sql.exec(`DELETE FROM decisions WHERE decided_at < ?`, now - KEEP_MS);
      this.pruneAfter = now + 60_000;
    }
    return outcome;
  }

  count(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM decisions`).one().n;
  }
}
