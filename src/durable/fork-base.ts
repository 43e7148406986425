import type { Env } from "../env.ts";
import { ServiceError } from "../exec/errors.ts";
import { baseReader } from "../fork/base-reader.ts";
import { bytesToHex, type Address, type Hex } from "../primitives/hex.ts";
import type { LoadRequest, UpstreamUse } from "../state/sets.ts";
import { withUsage } from "../fork/upstream.ts";
import type { AccountStore } from "./account-store.ts";

const NAME = /^fork:\d+:([a-z][a-z0-9-]{0,31}):(0x[0-9a-f]{64}):(0x[0-9a-f]{40})$/;
/** A storage row that stands for the upstream's storage while it still applies (see below). */
const BASE_STORAGE = "base" as Hex;
const FIELDS = "f";

/**
 * The base state of an account of a persistent fork: what the upstream network held at the
 * fork's block, for every key never written here. Before a load answers, each key it asks for
 * that was never materialised is read from the upstream (verified against the block's state
 * root, through the content cache) and written into the account's own tables once, then marked
 * (`fork_base`). From then on the store answers it like any local value, and commits validate
 * and overwrite it as usual: "never written" (ask the upstream) and "written to zero" (a
 * deleted row, but marked) stay apart.
 *
 * The upstream's storage is represented by a row `base` in the storage table while it applies:
 * the store then reports storage (EIP-7610's collision check, a read of "empty storage") as the
 * upstream does; a reset or deletion of the account deletes it with every other row, after which
 * no slot is fetched from the upstream again.
 */
export class ForkBaseState {
  private constructor(
    private readonly sql: SqlStorage,
    private readonly transaction: <T>(f: () => T) => T,
    private readonly env: Env,
    private readonly store: AccountStore,
    private readonly network: string,
    private readonly blockHash: Hex,
    private readonly address: Address,
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS fork_base (key TEXT PRIMARY KEY) WITHOUT ROWID`);
  }

  /** The base of this object's account when it belongs to a fork (its name says so), else undefined. */
  static of(ctx: DurableObjectState, env: Env, store: AccountStore): ForkBaseState | undefined {
    const m = NAME.exec(ctx.id.name ?? "");
    if (m === null) return undefined;
    return new ForkBaseState(ctx.storage.sql, (f) => ctx.storage.transactionSync(f), env, store, m[1], m[2] as Hex, m[3] as Address);
  }

  /**
   * Materialises what `req` reads and was never written here; answers what that used of the
   * upstream (nothing: undefined), counted from and limited with the request's use so far.
   */
  async ensure(req: LoadRequest): Promise<UpstreamUse | undefined> {
    const before = req.upstream ?? { requests: 0, roundTrips: 0, bytes: 0 };
    const usage = { ...before };
    const used = () => ({ requests: usage.requests - before.requests, roundTrips: usage.roundTrips - before.roundTrips, bytes: usage.bytes - before.bytes });
    try {
      await this.materialise(req, usage);
      return usage.requests === before.requests ? undefined : used();
    } catch (e) {
      // Over RPC an error keeps only its message: the code goes first (see upstreamError), what
      // the failed load used of the upstream last (withUsage).
      const message = e instanceof ServiceError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
      throw new Error(withUsage(message, used()));
    }
  }

  private async materialise(req: LoadRequest, usage: UpstreamUse): Promise<void> {
    const fields = !this.marked(FIELDS);
    const slots = fields ? req.slots : this.store.slot(BASE_STORAGE) === "0x0" ? [] : req.slots.filter((s) => !this.marked(`s:${s}`));
    if (!fields && slots.length === 0) return;
    const reader = await baseReader(this.env, this.network, this.blockHash, usage);
    const [base] = (await reader.load([{ address: this.address, code: fields, slots: slots.map(BigInt) }])).accounts;
    this.transaction(() => {
      if (!this.marked(FIELDS)) {
        const a = base.account;
        if (a !== null) {
          const code = bytesToHex(base.code ?? new Uint8Array(0));
          this.store.seed({ deleted: false, fields: { nonce: a.nonce, balance: a.balance, codeHash: a.codeHash, code }, storageReset: false, storage: a.hasStorage ? [[BASE_STORAGE, "0x1"]] : [] });
        }
        this.mark(FIELDS);
      }
      const applies = this.store.slot(BASE_STORAGE) !== "0x0";
      for (const { slot, value } of base.storage) {
        if (this.marked(`s:${slot}`)) continue;
        if (applies && value !== "0x0") this.store.seed({ deleted: false, storageReset: false, storage: [[slot, value]] });
        this.mark(`s:${slot}`);
      }
    });
  }

  private marked(key: string): boolean {
    return this.sql.exec(`SELECT 1 FROM fork_base WHERE key = ?`, key).toArray().length > 0;
  }

  private mark(key: string): void {
    this.sql.exec(`INSERT OR IGNORE INTO fork_base (key) VALUES (?)`, key);
  }
}
