import type { RunKind } from "../../records/run.ts";
import { keyAddress } from "../../records/api-key.ts";
import type { Address } from "../../primitives/hex.ts";
import type { KeyListing, KeyView, NewProject, ProjectView, Scope, UsageRow } from "./protocol.ts";
import { SCOPES } from "./protocol.ts";

const HOUR_MS = 3_600_000;

export type ProjectRow = {
  id: string;
  name: string;
  chain_id: number;
  credit: number;
  max_gas_per_run: number | null;
  requests_per_minute: number;
  retention_days: number;
  created_at: number;
};

export type KeyRow = {
  id: string;
  key_hash: string;
  prefix: string;
  scopes: string;
  address: Address;
  funded_at: number | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
};

export type ReservationRow = {
  id: string;
  amount: number;
  used: number;
  senders: string;
  /** Who asked, and for what kind of run first: the row of an abandoned request says so. */
  key_id: string;
  kind: RunKind;
  /** Runs the request said it would make. */
  runs: number;
  created_at: number;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The known scopes of a stored space-separated list (unknown words are ignored). */
export const parseScopes = (stored: string): Scope[] => SCOPES.filter((s) => stored.split(" ").includes(s));

/**
 * A project's ledger in its object's SQLite database: the project (credit, plan), its keys, the
 * credit held by requests under way, the runs settled (by id, so a run is charged once), hourly
 * usage, and recent runs (answered until the run log in D1 has them). Synchronous; callers wrap
 * what must commit together in `transactionSync`.
 */
export class LedgerStore {
  /*
   * Rows read on every admission and settlement, kept as written: this object is their only
   * writer. A storage transaction that fails leaves them behind its rollback: the ledger calls
   * `forget()` then, and they are read again.
   */
  private projectRow: ProjectRow | undefined;
  private readonly keysByHash = new Map<string, KeyRow>();
  private readonly reservations = new Map<string, ReservationRow>();

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS project (id TEXT PRIMARY KEY, name TEXT NOT NULL, chain_id INTEGER NOT NULL, credit INTEGER NOT NULL,
      max_gas_per_run INTEGER, requests_per_minute INTEGER NOT NULL, retention_days INTEGER NOT NULL, created_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS keys (id TEXT PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL, scopes TEXT NOT NULL, address TEXT NOT NULL,
      funded_at INTEGER, created_at INTEGER NOT NULL, last_used_at INTEGER, revoked_at INTEGER)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS reservations (id TEXT PRIMARY KEY, amount INTEGER NOT NULL, used INTEGER NOT NULL, senders TEXT NOT NULL,
      key_id TEXT NOT NULL, kind TEXT NOT NULL, runs INTEGER NOT NULL, created_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS settled (run_id TEXT PRIMARY KEY, charge INTEGER NOT NULL, settled_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS usage (hour INTEGER NOT NULL, kind TEXT NOT NULL, runs INTEGER NOT NULL, gas INTEGER NOT NULL, charge INTEGER NOT NULL, PRIMARY KEY (hour, kind))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS recent (run_id TEXT PRIMARY KEY, row TEXT NOT NULL, created_at INTEGER NOT NULL)`);
  }

  project(): ProjectRow | undefined {
    return (this.projectRow ??= this.sql.exec<ProjectRow>(`SELECT * FROM project`).toArray()[0]);
  }

  /** After a storage transaction that rolled back: what is kept in memory is read again. */
  forget(): void {
    this.projectRow = undefined;
    this.keysByHash.clear();
    this.reservations.clear();
  }

  /** Moves the credit by `delta` (the row was just updated by the same amount). */
  private credited(delta: number): void {
    if (this.projectRow !== undefined) this.projectRow = { ...this.projectRow, credit: this.projectRow.credit + delta };
  }

  createProject(p: NewProject, now: number): void {
    const l = p.limits ?? {};
    this.sql.exec(`INSERT INTO project (id, name, chain_id, credit, max_gas_per_run, requests_per_minute, retention_days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      p.id, p.name, p.chainId, p.credit, l.maxGasPerRun ?? null, l.requestsPerMinute ?? 600, l.retentionDays ?? 30, now);
    this.projectRow = undefined;
  }

  view(): ProjectView {
    const p = this.project()!;
    const reserved = this.sql.exec<{ n: number }>(`SELECT COALESCE(SUM(amount - used), 0) AS n FROM reservations`).one().n;
    return { id: p.id, name: p.name, chainId: p.chain_id, credit: p.credit, reserved, limits: { maxGasPerRun: p.max_gas_per_run, requestsPerMinute: p.requests_per_minute, retentionDays: p.retention_days } };
  }

  addCredit(amount: number): void {
    this.sql.exec(`UPDATE project SET credit = credit + ?`, amount);
    this.credited(amount);
  }

  setLimits(l: { maxGasPerRun?: number | null; requestsPerMinute?: number; retentionDays?: number }): void {
    if (l.maxGasPerRun !== undefined) this.sql.exec(`UPDATE project SET max_gas_per_run = ?`, l.maxGasPerRun);
    if (l.requestsPerMinute !== undefined) this.sql.exec(`UPDATE project SET requests_per_minute = ?`, l.requestsPerMinute);
    if (l.retentionDays !== undefined) this.sql.exec(`UPDATE project SET retention_days = ?`, l.retentionDays);
    this.projectRow = undefined;
  }

  // Keys

  keyByHash(hash: string): KeyRow | undefined {
    const kept = this.keysByHash.get(hash);
    if (kept !== undefined) return kept;
    const row = this.sql.exec<KeyRow>(`SELECT * FROM keys WHERE key_hash = ?`, hash).toArray()[0];
    // Only keys that exist are kept: a flood of unknown hashes costs a query each, not memory.
    if (row !== undefined) this.keysByHash.set(hash, row);
    return row;
  }

  key(id: string): KeyRow | undefined {
    return this.sql.exec<KeyRow>(`SELECT * FROM keys WHERE id = ?`, id).toArray()[0];
  }

  addKey(k: { id: string; hash: string; prefix: string; scopes: Scope[] }, now: number): KeyRow {
    this.keysByHash.clear();
    this.sql.exec(`INSERT INTO keys (id, key_hash, prefix, scopes, address, created_at) VALUES (?, ?, ?, ?, ?, ?)`, k.id, k.hash, k.prefix, k.scopes.join(" "), keyAddress(k.id), now);
    return this.key(k.id)!;
  }

  revokeKey(id: string, now: number): boolean {
    this.keysByHash.clear();
    return this.sql.exec(`UPDATE keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, now, id).rowsWritten > 0;
  }

  touchKey(id: string, now: number): void {
    this.keysByHash.clear();
    this.sql.exec(`UPDATE keys SET last_used_at = ? WHERE id = ?`, now, id);
  }

  markFunded(id: string, now: number): boolean {
    this.keysByHash.clear();
    return this.sql.exec(`UPDATE keys SET funded_at = ? WHERE id = ? AND funded_at IS NULL`, now, id).rowsWritten > 0;
  }

  keys(): KeyListing[] {
    return this.sql.exec<KeyRow>(`SELECT * FROM keys ORDER BY created_at, id`).toArray().map(listing);
  }

  keyView(k: KeyRow, p: ProjectRow = this.project()!): KeyView {
    return { id: k.id, projectId: p.id, chainId: BigInt(p.chain_id), address: k.address, funded: k.funded_at !== null, scopes: parseScopes(k.scopes),
      maxGasPerRun: p.max_gas_per_run === null ? null : BigInt(p.max_gas_per_run), requestsPerMinute: p.requests_per_minute };
  }

  // Credit

  /** Takes `amount` from the credit into a new reservation, or answers false when it does not cover it. */
  reserve(r: { id: string; amount: number; senders: string[]; keyId: string; kind: RunKind; runs: number }, now: number): boolean {
    if (this.sql.exec(`UPDATE project SET credit = credit - ? WHERE credit >= ?`, r.amount, r.amount).rowsWritten === 0) return false;
    this.credited(-r.amount);
    const row: ReservationRow = { id: r.id, amount: r.amount, used: 0, senders: JSON.stringify(r.senders), key_id: r.keyId, kind: r.kind, runs: r.runs, created_at: now };
    this.sql.exec(`INSERT INTO reservations (id, amount, used, senders, key_id, kind, runs, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, row.id, row.amount, row.used, row.senders, row.key_id, row.kind, row.runs, row.created_at);
    this.reservations.set(row.id, row);
    return true;
  }

  /** Adds `amount` to a live reservation from the credit; false when the credit or the reservation is gone. */
  topUp(id: string, amount: number): boolean {
    const r = this.reservation(id);
    if (r === undefined) return false;
    if (this.sql.exec(`UPDATE project SET credit = credit - ? WHERE credit >= ?`, amount, amount).rowsWritten === 0) return false;
    this.credited(-amount);
    this.sql.exec(`UPDATE reservations SET amount = amount + ? WHERE id = ?`, amount, id);
    this.reservations.set(id, { ...r, amount: r.amount + amount });
    return true;
  }

  reservation(id: string): ReservationRow | undefined {
    const kept = this.reservations.get(id);
    if (kept !== undefined) return kept;
    const row = this.sql.exec<ReservationRow>(`SELECT * FROM reservations WHERE id = ?`, id).toArray()[0];
    if (row !== undefined) this.reservations.set(id, row);
    return row;
  }

  /** Writes what a reservation has used; with `close` it ends, and what it holds beyond goes back to the credit. */
  release(r: ReservationRow, used: number, close: boolean): void {
    if (!close) {
      this.sql.exec(`UPDATE reservations SET used = ? WHERE id = ?`, used, r.id);
      this.reservations.set(r.id, { ...r, used });
      return;
    }
    this.sql.exec(`UPDATE project SET credit = credit + ?`, r.amount - used);
    this.credited(r.amount - used);
    this.sql.exec(`DELETE FROM reservations WHERE id = ?`, r.id);
    this.reservations.delete(r.id);
  }

  expired(before: number): ReservationRow[] {
    return this.sql.exec<ReservationRow>(`SELECT * FROM reservations WHERE created_at < ? ORDER BY created_at LIMIT 100`, before).toArray();
  }

  oldestReservation(): number | undefined {
    return this.sql.exec<{ t: number | null }>(`SELECT MIN(created_at) AS t FROM reservations`).one().t ?? undefined;
  }

  // Runs

  /** Marks a run settled with its charge; false when it was settled before (that charge stands). */
  settleOnce(runId: string, charge: number, now: number): boolean {
    return this.sql.exec(`INSERT OR IGNORE INTO settled (run_id, charge, settled_at) VALUES (?, ?, ?)`, runId, charge, now).rowsWritten > 0;
  }

  addUsage(at: number, kind: RunKind, gas: number, charge: number): void {
    this.sql.exec(`INSERT INTO usage (hour, kind, runs, gas, charge) VALUES (?, ?, 1, ?, ?)
      ON CONFLICT (hour, kind) DO UPDATE SET runs = runs + 1, gas = gas + excluded.gas, charge = charge + excluded.charge`, Math.floor(at / HOUR_MS), kind, gas, charge);
  }

  usage(from: number, to: number, granularity: "hour" | "day"): UsageRow[] {
    const per = granularity === "hour" ? 1 : 24;
    return this.sql
      .exec<{ bucket: number; kind: RunKind; runs: number; gas: number; charge: number }>(
        `SELECT hour - (hour % ?) AS bucket, kind, SUM(runs) AS runs, SUM(gas) AS gas, SUM(charge) AS charge FROM usage
         WHERE hour >= ? AND hour < ? GROUP BY bucket, kind ORDER BY bucket, kind`,
        per, Math.floor(from / HOUR_MS), Math.ceil(to / HOUR_MS))
      .toArray()
      .map((r) => ({ start: new Date(r.bucket * HOUR_MS).toISOString(), kind: r.kind, runs: r.runs, gas: r.gas, charge: r.charge }));
  }

  remember(runId: string, row: unknown, now: number): void {
    this.sql.exec(`INSERT OR REPLACE INTO recent (run_id, row, created_at) VALUES (?, ?, ?)`, runId, JSON.stringify(row), now);
  }

  recent(runId: string): unknown {
    const r = this.sql.exec<{ row: string }>(`SELECT row FROM recent WHERE run_id = ?`, runId).toArray()[0];
    return r === undefined ? undefined : JSON.parse(r.row);
  }

  /** Forgets what no one needs any more: settled ids after a day, recent runs after their delivery window. */
  prune(now: number): void {
    this.sql.exec(`DELETE FROM settled WHERE settled_at < ?`, now - 24 * HOUR_MS);
    this.sql.exec(`DELETE FROM recent WHERE created_at < ?`, now - 15 * 60_000);
  }
}

function listing(r: KeyRow): KeyListing {
  return { id: r.id, prefix: r.prefix, scopes: parseScopes(r.scopes), address: r.address, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at) };
}
