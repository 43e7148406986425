import type { RunKind, RunRow } from "../records/run.ts";
import type { AccountName } from "./protocol.ts";

/** A stored answer of an idempotent request, replayed for its Idempotency-Key. */
export interface StoredAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A run this account committed as sender, as the ledger settles it. */
export interface CommittedRun {
  runId: string;
  kind: RunKind;
  gasUsed: string;
  charge: string;
  sender: AccountName;
}

/** How long an answer is replayed for its Idempotency-Key (as payment APIs do: a day). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** Committed runs are remembered for the ledger's sweep and for /v1/runs until D1 surely has them. */
const COMMITTED_KEEP_MS = 24 * 3_600_000;

/**
 * What a sender's account keeps about the requests that committed here, written in the same
 * transaction as the commit: the run (so an abandoned request's ledger learns what it charged),
 * the reservations fenced off (no commit of them after the ledger swept them), and the answers
 * of idempotent requests.
 */
export class AccountRecords {
  private pruneAfter = 0;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS committed_runs (run_id TEXT PRIMARY KEY, reservation_id TEXT NOT NULL, kind TEXT NOT NULL, gas_used TEXT NOT NULL,
      charge TEXT NOT NULL, row TEXT NOT NULL, committed_at INTEGER NOT NULL)`);
    sql.exec(`CREATE INDEX IF NOT EXISTS committed_by_reservation ON committed_runs (reservation_id)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS fenced (reservation_id TEXT PRIMARY KEY, fenced_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS idempotency (idem_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, answer TEXT NOT NULL, run_id TEXT NOT NULL, created_at INTEGER NOT NULL)`);
  }

  isFenced(reservationId: string): boolean {
    return this.sql.exec(`SELECT 1 FROM fenced WHERE reservation_id = ?`, reservationId).toArray().length > 0;
  }

  /** No commit of `reservationId` may happen from now on; answers the runs that did commit. */
  fence(reservationId: string, me: AccountName, now: number): CommittedRun[] {
    this.sql.exec(`INSERT OR IGNORE INTO fenced (reservation_id, fenced_at) VALUES (?, ?)`, reservationId, now);
    return this.sql
      .exec<{ run_id: string; kind: RunKind; gas_used: string; charge: string }>(`SELECT run_id, kind, gas_used, charge FROM committed_runs WHERE reservation_id = ?`, reservationId)
      .toArray()
      .map((r) => ({ runId: r.run_id, kind: r.kind, gasUsed: r.gas_used, charge: r.charge, sender: me }));
  }

  committed(reservationId: string, row: RunRow, now: number): void {
    this.sql.exec(`INSERT OR IGNORE INTO committed_runs (run_id, reservation_id, kind, gas_used, charge, row, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      row.id, reservationId, row.kind, row.gasUsed, row.charge, JSON.stringify(row), now);
    if (now > this.pruneAfter) {
      this.sql.exec(`DELETE FROM committed_runs WHERE committed_at < ?`, now - COMMITTED_KEEP_MS);
      this.sql.exec(`DELETE FROM fenced WHERE fenced_at < ?`, now - COMMITTED_KEEP_MS);
      this.sql.exec(`DELETE FROM idempotency WHERE created_at < ?`, now - IDEMPOTENCY_TTL_MS);
      this.pruneAfter = now + 60_000;
    }
  }

  run(runId: string): RunRow | undefined {
    const r = this.sql.exec<{ row: string }>(`SELECT row FROM committed_runs WHERE run_id = ?`, runId).toArray()[0];
    return r === undefined ? undefined : (JSON.parse(r.row) as RunRow);
  }

  /** The committed answer of an idempotency key (within its TTL), with the fingerprint it was made for. */
  answer(idemKey: string, now: number): { fingerprint: string; answer: StoredAnswer } | undefined {
    const r = this.sql.exec<{ fingerprint: string; answer: string }>(`SELECT fingerprint, answer FROM idempotency WHERE idem_key = ? AND created_at >= ?`, idemKey, now - IDEMPOTENCY_TTL_MS).toArray()[0];
    return r === undefined ? undefined : { fingerprint: r.fingerprint, answer: JSON.parse(r.answer) as StoredAnswer };
  }

  storeAnswer(idemKey: string, fingerprint: string, answer: StoredAnswer, runId: string, now: number): void {
    this.sql.exec(`INSERT OR REPLACE INTO idempotency (idem_key, fingerprint, answer, run_id, created_at) VALUES (?, ?, ?, ?, ?)`, idemKey, fingerprint, JSON.stringify(answer), runId, now);
  }
}
