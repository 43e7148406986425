import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import type { Hex } from "../primitives/hex.ts";
import { AccountStore } from "./account-store.ts";
import { DecisionLog } from "./decisions.ts";
import { ForkBaseState } from "./fork-base.ts";
import { FIELDS, keysOf, LockTable, slotKey, type Prepared } from "./locks.ts";
import type { AccountLoad, LoadRequest, ReadSet, WriteSet } from "../state/sets.ts";
import type { AccountInspection, CommitRequest, Outcome, PrepareRequest, TurnReply, Vote } from "./protocol.ts";
import { ReleaseSignal } from "./release-signal.ts";
import { SenderQueue } from "./sender-queue.ts";

const OK: Vote = { ok: true };

/**
 * One account of one chain, named `<chainId>:<address>`: nonce, balance, code and storage in the
 * object's SQLite database. It answers loads, and validates and applies commits: a run that
 * touched only this account commits in one call (`commit`); a run that touched several prepares
 * here (validate, then hold its keys durably) and is finished by its coordinator, or, if the
 * coordinator went quiet, from the decision record kept by the run's sender (`resolve`).
 *
 * Every method that changes storage does its reads and writes inside one `transactionSync`, with
 * no await in between, so the object's operations never interleave.
 */
export class Account extends DurableObject<Env> {
  private readonly store: AccountStore;
  private readonly locks: LockTable;
  private readonly decisions: DecisionLog;
  private readonly queue: SenderQueue;
  private readonly signal = new ReleaseSignal();
  /** Set for an account of a persistent fork: where keys never written here come from. */
  private readonly base: ForkBaseState | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new AccountStore(ctx.storage.sql);
    this.locks = new LockTable(ctx.storage.sql);
    this.decisions = new DecisionLog(ctx.storage.sql);
    this.queue = new SenderQueue(() => Number(env.SENDER_LEASE_MS));
    this.base = ForkBaseState.of(ctx, env, this.store);
  }

  /** Current values; waits for prepared writes on the keys asked for to be decided first. */
  async load(req: LoadRequest): Promise<AccountLoad> {
    await this.settle([FIELDS, ...req.slots.map(slotKey)]);
    await this.base?.ensure(req);
    return this.store.load(req);
  }

  /** Waits for this sender's turn (one send at a time per sender), then loads. */
  async beginTurn(turn: string, req: LoadRequest): Promise<TurnReply> {
    if (!(await this.queue.acquire(turn))) return { granted: false };
    return { granted: true, load: await this.load(req) };
  }

  endTurn(turn: string): void {
    this.queue.release(turn);
  }

  /** Whether a read-only run's reads are all still current and none is being overwritten. */
  async verify(reads: ReadSet): Promise<Vote> {
    const keys = keysOf(reads, null).map((k) => k.key);
    await this.settle(keys);
    if (this.locks.writers(keys).length > 0) return { ok: false, reason: "locked" };
    return this.checkReads(reads) ?? OK;
  }

  /**
   * Validates the reads and applies the writes, atomically, and records the transaction as
   * committed. For a multi-account transaction this is the decision, made by its sender after
   * every other account prepared. Idempotent.
   */
  commit(req: CommitRequest): Vote {
    const vote = this.ctx.storage.transactionSync((): Vote => {
      const decided = this.decisions.get(req.txId);
      if (decided !== undefined) return decided === "commit" ? OK : { ok: false, reason: "aborted" };
      const now = Date.now();
      if (now > req.deadline) return { ok: false, reason: "late" };
      const bad = this.check(req.reads, req.writes);
      if (bad !== undefined) return bad;
      if (req.writes !== null) this.store.apply(req.writes);
      this.decisions.decide(req.txId, "commit", now);
      return OK;
    });
    if (vote.ok && req.turn !== undefined) this.queue.release(req.turn);
    return vote;
  }

  /** Phase one: validates the reads and holds the keys (durably) until `finish`. Idempotent. */
  async prepare(req: PrepareRequest): Promise<Vote> {
    const vote = this.ctx.storage.transactionSync((): Vote => {
      if (this.locks.get(req.txId) !== undefined) return OK;
      const bad = this.check(req.reads, req.writes);
      if (bad !== undefined) return bad;
      this.locks.hold({ txId: req.txId, decider: req.decider, writes: req.writes, createdAt: Date.now() }, keysOf(req.reads, req.writes));
      return OK;
    });
    if (vote.ok) await this.armAlarm();
    return vote;
  }

  /** Phase two: applies (commit) or drops (abort) a prepared transaction. Idempotent. */
  finish(txId: string, outcome: Outcome): void {
    this.ctx.storage.transactionSync(() => {
      const p = this.locks.get(txId);
      if (p === undefined) return;
      if (outcome === "commit" && p.writes !== null) this.store.apply(p.writes);
      this.locks.drop(txId);
    });
    this.signal.released(txId);
  }

  /**
   * The decision on a transaction this account decided, asked by a participant left prepared
   * (or by a coordinator that lost the answer of `commit`). No decision yet: the coordinator is
   * presumed dead and `abort` is recorded, so that it cannot commit later.
   */
  resolve(txId: string): Outcome {
    return this.ctx.storage.transactionSync(() => this.decisions.decide(txId, "abort", Date.now()));
  }

  /** Credits `amount` wei once per `grantId` (the development faucet of an API key's account). */
  async grant(grantId: string, amount: Hex): Promise<void> {
    await this.base?.ensure({ code: false, slots: [] });
    for (let attempt = 0; attempt < 100; attempt++) {
      await this.settle([FIELDS]);
      const done = this.ctx.storage.transactionSync(() => {
        if (this.locks.conflict([{ key: FIELDS, mode: "w" }]) !== undefined) return false;
        this.store.creditOnce(grantId, BigInt(amount), Date.now());
        return true;
      });
      if (done) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("account busy: could not credit it");
  }

  inspect(): AccountInspection {
    const now = Date.now();
    return {
      prepared: this.locks.all().map((p) => ({ txId: p.txId, decider: p.decider, ageMs: now - p.createdAt })),
      locks: this.locks.keys(),
      decisions: this.decisions.count(),
      waitingTurns: this.queue.waitingCount,
    };
  }

  /** Resolves prepared transactions whose coordinator went quiet. */
  override async alarm(): Promise<void> {
    await this.resolveStale(this.locks.all());
    // Those still stale could not reach their decider: ask again after a timeout, not at once.
    const stale = this.locks.all().some((p) => Date.now() - p.createdAt >= this.timeoutMs);
    await this.armAlarm(stale ? this.timeoutMs : 100);
  }

  private get timeoutMs(): number {
    return Number(this.env.PREPARE_TIMEOUT_MS);
  }

  private check(reads: ReadSet, writes: WriteSet | null): Vote | undefined {
    const stale = this.checkReads(reads);
    if (stale !== undefined) return stale;
    const holder = this.locks.conflict(keysOf(reads, writes));
    return holder === undefined ? undefined : { ok: false, reason: "locked" };
  }

  private checkReads(reads: ReadSet): Vote | undefined {
    if (reads.account !== undefined) {
      const now = this.store.fields();
      const was = reads.account;
      const same = now === null || was === null ? now === was : now.nonce === was.nonce && now.balance === was.balance && now.codeHash === was.codeHash;
      if (!same) return { ok: false, reason: "stale", detail: "account fields" };
    }
    if (reads.storageEmpty === true && this.store.hasStorage()) return { ok: false, reason: "stale", detail: "storage no longer empty" };
    for (const [slot, value] of reads.storage) {
      if (this.store.slot(slot) !== value) return { ok: false, reason: "stale", detail: `slot ${slot}` };
    }
    return undefined;
  }

  /**
   * Waits until no prepared transaction writes any of `keys`: woken when one is finished here,
   * and resolving from the decision record those older than the prepare timeout.
   */
  private async settle(keys: string[]): Promise<void> {
    const giveUp = Date.now() + 3 * this.timeoutMs;
    for (;;) {
      const writers = this.locks.writers(keys);
      if (writers.length === 0 || Date.now() > giveUp) return;
      const prepared = writers.map((id) => this.locks.get(id)).filter((p): p is Prepared => p !== undefined);
      if (prepared.length === 0) return;
      const staleAt = Math.min(...prepared.map((p) => p.createdAt)) + this.timeoutMs;
      if (Date.now() < staleAt) {
        await this.signal.wait(writers, staleAt - Date.now());
        continue;
      }
      await this.resolveStale(prepared);
      // A decider that could not answer: try again shortly rather than spin.
      if (this.locks.writers(keys).length > 0) await this.signal.wait(writers, 50);
    }
  }

  private async resolveStale(prepared: Prepared[]): Promise<void> {
    const now = Date.now();
    await Promise.all(
      prepared
        .filter((p) => now - p.createdAt >= this.timeoutMs)
        .map(async (p) => {
          try {
            const decider = this.env.ACCOUNTS.get(this.env.ACCOUNTS.idFromName(p.decider));
            this.finish(p.txId, await decider.resolve(p.txId));
          } catch (err) {
            console.error(`could not resolve ${p.txId} from ${p.decider}; the alarm retries`, err);
          }
        }),
    );
  }

  /** Wakes this object when its oldest prepared transaction becomes stale (at the earliest in `minDelayMs`). */
  private async armAlarm(minDelayMs = 100): Promise<void> {
    const oldest = this.locks.all()[0];
    if (oldest !== undefined) await this.ctx.storage.setAlarm(Math.max(oldest.createdAt + this.timeoutMs, Date.now() + minDelayMs));
  }
}
