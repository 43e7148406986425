import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { FILTER_TTL_MS, MAX_FILTERS, MAX_IMPERSONATED } from "./rpc-state-limits.ts";

/** What a filter reports: logs matching criteria, new blocks, or newly committed transactions. */
export type FilterKind = "logs" | "blocks" | "transactions";

export interface FilterRecord {
  id: string;
  kind: FilterKind;
  /** The log criteria as JSON (logs filters only), resolved when read. */
  criteria: string | null;
  /** Where the last read stopped: a run-log row sequence (logs, transactions) or a block number (blocks). */
  cursor: number;
  /** Logs filters: the first block whose logs it reports (the latest block when it was made, or its fromBlock). */
  firstBlock: number;
  /** Logs and transactions filters: commits stamped before this (µs, when it was made) are not changes. */
  since: number;
}


export { FILTER_TTL_MS, MAX_FILTERS, MAX_IMPERSONATED };

/**
 * One object per project, named by its id: the project's JSON-RPC session state, which geth and
 * Anvil keep in the node. Filters (eth_newFilter and kin): a filter is a cursor into the run log;
 * reads happen in the Worker (D1), this object only keeps the cursors, so a read is one round
 * trip here and one query there. Filters expire a while after their last read (an alarm sweeps
 * them); a project holds a bounded number. Impersonated accounts (anvil_impersonateAccount):
 * those eth_sendTransaction may send from without a signature.
 */
export class RpcState extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS filters (
      id TEXT PRIMARY KEY, kind TEXT NOT NULL, criteria TEXT, cursor INTEGER NOT NULL, first_block INTEGER NOT NULL, since INTEGER NOT NULL, expires_at INTEGER NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS impersonated (address TEXT PRIMARY KEY)`);
  }

  /** A new filter, or undefined when the project already holds MAX_FILTERS live ones. */
  async install(f: Omit<FilterRecord, "id">): Promise<string | undefined> {
    const now = Date.now();
    this.sql.exec(`DELETE FROM filters WHERE expires_at <= ?`, now);
    const live = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM filters`).one().n;
    if (live >= MAX_FILTERS) return undefined;
    const id = `0x${[...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
    this.sql.exec(`INSERT INTO filters (id, kind, criteria, cursor, first_block, since, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, id, f.kind, f.criteria, f.cursor, f.firstBlock, f.since, now + FILTER_TTL_MS);
    await this.armAlarm(now + FILTER_TTL_MS);
    return id;
  }

  /** The filter (its deadline moved on: it was just read), or undefined when unknown or expired. */
  read(id: string): FilterRecord | undefined {
    const now = Date.now();
    const row = this.sql.exec<{ id: string; kind: FilterKind; criteria: string | null; cursor: number; first_block: number; since: number; expires_at: number }>(`SELECT * FROM filters WHERE id = ?`, id).toArray()[0];
    if (row === undefined || row.expires_at <= now) return undefined;
    this.sql.exec(`UPDATE filters SET expires_at = ? WHERE id = ?`, now + FILTER_TTL_MS, id);
    return { id: row.id, kind: row.kind, criteria: row.criteria, cursor: row.cursor, firstBlock: row.first_block, since: row.since };
  }

  /**
   * Moves a filter's cursor from `from` to `to`, if no other read moved it first: of two reads of
   * one filter at once, one reports the changes and the other nothing (no change twice).
   */
  advance(id: string, from: number, to: number): boolean {
    return this.sql.exec(`UPDATE filters SET cursor = ? WHERE id = ? AND cursor = ?`, to, id, from).rowsWritten > 0;
  }

  uninstall(id: string): boolean {
    return this.sql.exec(`DELETE FROM filters WHERE id = ?`, id).rowsWritten > 0;
  }

  /** Starts impersonating `address` (false when the project already impersonates MAX_IMPERSONATED others). */
  impersonate(address: string): boolean {
    const n = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM impersonated`).one().n;
    if (n >= MAX_IMPERSONATED && !this.impersonating(address)) return false;
    this.sql.exec(`INSERT OR IGNORE INTO impersonated (address) VALUES (?)`, address);
    return true;
  }

  stopImpersonating(address: string): void {
    this.sql.exec(`DELETE FROM impersonated WHERE address = ?`, address);
  }

  impersonating(address: string): boolean {
    return this.sql.exec(`SELECT 1 FROM impersonated WHERE address = ?`, address).toArray().length > 0;
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.sql.exec(`DELETE FROM filters WHERE expires_at <= ?`, now);
    const next = this.sql.exec<{ t: number | null }>(`SELECT MIN(expires_at) AS t FROM filters`).one().t;
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  private async armAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}
