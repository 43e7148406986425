import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { conflicts, keysOf, type AccountExpect, type AccountLoad, type AccountWrite, type CommitReply, type LoadRequest } from "./protocol.ts";

/** A prepared transaction older than this is resolved from the decision record. */
const PREPARE_TIMEOUT_MS = 5_000;

/**
 * One account of one chain (named `<chainId>:<address>`): nonce, balance, code and storage in
 * SQLite. It validates what a run read and applies what it wrote: in one call for a run that
 * touched only this account, or in two phases (prepare, then commit or abort) for several.
 */
export class Account extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS account (id INTEGER PRIMARY KEY CHECK (id = 0), nonce TEXT NOT NULL, balance TEXT NOT NULL, code BLOB, code_hash TEXT NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS storage (slot TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS prepared (tx_id TEXT PRIMARY KEY, expect TEXT NOT NULL, write TEXT, created_at INTEGER NOT NULL)`);
  }

  load(req: LoadRequest): AccountLoad {
    const row = this.sql.exec<{ nonce: string; balance: string; code: ArrayBuffer | null; code_hash: string }>(`SELECT nonce, balance, code, code_hash FROM account WHERE id = 0`).toArray()[0];
    const storage: [string, string][] = [];
    for (const slot of req.slots) {
      const v = this.sql.exec<{ value: string }>(`SELECT value FROM storage WHERE slot = ?`, slot).toArray()[0];
      storage.push([slot, v?.value ?? "0x0"]);
    }
    if (row === undefined) return { account: null, storage };
    const hasStorage = this.sql.exec(`SELECT 1 FROM storage LIMIT 1`).toArray().length > 0;
    return {
      account: { nonce: row.nonce, balance: row.balance, codeHash: row.code_hash, hasStorage },
      code: req.code && row.code !== null ? new Uint8Array(row.code) : req.code ? new Uint8Array(0) : undefined,
      storage,
    };
  }

  /** Single-account commit: validate the reads and apply the writes atomically. */
  commit(txId: string, expect: AccountExpect, write: AccountWrite | null): CommitReply {
    return this.ctx.storage.transactionSync(() => {
      const bad = this.conflict(expect, write);
      if (bad !== undefined) return { ok: false, reason: bad };
      if (write !== null) this.apply(write);
      return { ok: true };
    });
  }

  /** Phase one: validate and hold this account's keys until `finish`. */
  async prepare(txId: string, expect: AccountExpect, write: AccountWrite | null): Promise<CommitReply> {
    const reply = this.ctx.storage.transactionSync((): CommitReply => {
      const bad = this.conflict(expect, write);
      if (bad !== undefined) return { ok: false, reason: bad };
      this.sql.exec(`INSERT OR REPLACE INTO prepared (tx_id, expect, write, created_at) VALUES (?, ?, ?, ?)`, txId, JSON.stringify(expect), write === null ? null : JSON.stringify(write), Date.now());
      return { ok: true };
    });
    if (reply.ok) await this.ctx.storage.setAlarm(Date.now() + PREPARE_TIMEOUT_MS);
    return reply;
  }

  /** Phase two: apply (commit) or drop (abort) a prepared transaction. Idempotent. */
  finish(txId: string, outcome: "commit" | "abort"): void {
    this.ctx.storage.transactionSync(() => {
      const row = this.sql.exec<{ write: string | null }>(`SELECT write FROM prepared WHERE tx_id = ?`, txId).toArray()[0];
      if (row === undefined) return;
      if (outcome === "commit" && row.write !== null) this.apply(JSON.parse(row.write) as AccountWrite);
      this.sql.exec(`DELETE FROM prepared WHERE tx_id = ?`, txId);
    });
  }

  /** Resolves prepared transactions whose coordinator went quiet, from the decision record. */
  override async alarm(): Promise<void> {
    const stale = this.sql.exec<{ tx_id: string; created_at: number }>(`SELECT tx_id, created_at FROM prepared`).toArray();
    let pending = false;
    for (const p of stale) {
      if (Date.now() - p.created_at < PREPARE_TIMEOUT_MS) {
        pending = true;
        continue;
      }
      // No decision yet means the coordinator died before deciding: record abort first, so a
      // late coordinator cannot commit what this account is about to drop.
      await this.env.DB.prepare(`INSERT OR IGNORE INTO commit_decisions (tx_id, outcome, decided_at) VALUES (?, 'abort', ?)`).bind(p.tx_id, Date.now()).run();
      const d = await this.env.DB.prepare(`SELECT outcome FROM commit_decisions WHERE tx_id = ?`).bind(p.tx_id).first<{ outcome: "commit" | "abort" }>();
      this.finish(p.tx_id, d?.outcome ?? "abort");
    }
    if (pending) await this.ctx.storage.setAlarm(Date.now() + PREPARE_TIMEOUT_MS);
  }

  /** Why the run's view is stale or its keys are held by a prepared transaction, if so. */
  private conflict(expect: AccountExpect, write: AccountWrite | null): string | undefined {
    const mine = keysOf(expect, write);
    for (const p of this.sql.exec<{ expect: string; write: string | null }>(`SELECT expect, write FROM prepared`).toArray()) {
      const held = keysOf(JSON.parse(p.expect) as AccountExpect, p.write === null ? null : (JSON.parse(p.write) as AccountWrite));
      if (conflicts(mine, held)) return "locked";
    }
    if (expect.account !== undefined) {
      const row = this.sql.exec<{ nonce: string; balance: string; code_hash: string }>(`SELECT nonce, balance, code_hash FROM account WHERE id = 0`).toArray()[0];
      const now = row === undefined ? null : { nonce: row.nonce, balance: row.balance, codeHash: row.code_hash };
      if (JSON.stringify(now) !== JSON.stringify(expect.account)) return "account changed";
    }
    for (const [slot, value] of expect.storage) {
      const v = this.sql.exec<{ value: string }>(`SELECT value FROM storage WHERE slot = ?`, slot).toArray()[0]?.value ?? "0x0";
      if (v !== value) return `slot ${slot} changed`;
    }
    return undefined;
  }

  private apply(w: AccountWrite): void {
    if (w.deleted || w.storageReset) this.sql.exec(`DELETE FROM storage`);
    if (w.deleted) {
      this.sql.exec(`DELETE FROM account`);
      return;
    }
    const f = w.fields;
    if (f !== undefined && f.code === undefined) {
      this.sql.exec(`INSERT INTO account (id, nonce, balance, code, code_hash) VALUES (0, ?, ?, NULL, ?) ON CONFLICT(id) DO UPDATE SET nonce = excluded.nonce, balance = excluded.balance, code_hash = excluded.code_hash`, f.nonce, f.balance, f.codeHash);
    } else if (f !== undefined) {
      this.sql.exec(`INSERT OR REPLACE INTO account (id, nonce, balance, code, code_hash) VALUES (0, ?, ?, ?, ?)`, f.nonce, f.balance, hexToBuffer(f.code!), f.codeHash);
    }
    for (const [slot, value] of w.storage) {
      if (value === "0x0") this.sql.exec(`DELETE FROM storage WHERE slot = ?`, slot);
      else this.sql.exec(`INSERT OR REPLACE INTO storage (slot, value) VALUES (?, ?)`, slot, value);
    }
  }
}

function hexToBuffer(hex: string): ArrayBuffer {
  const s = hex.slice(2);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out.buffer;
}
