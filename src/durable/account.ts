import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import type { Hex } from "../primitives/hex.ts";
import { errorFields, logEvent } from "../primitives/log.ts";
import { blockAtMs, blockStartMs, projectClock, stampMs, type BlockClock } from "../state/blocks.ts";
import { ForkBaseState } from "./fork-base.ts";
import type { AccountLoad, LoadRequest, ReadSet, UpstreamUse, WriteSet } from "../state/sets.ts";
import type { AccountRecord } from "../records/run.ts";
import { AccountRecords, type CommittedRun } from "./account-records.ts";
import { AccountStore } from "./account-store.ts";
import { LogicalClock } from "./clock.ts";
import { DecisionLog } from "./decisions.ts";
import { FIELDS, keysOf, LockTable, slotKey, type LockKey, type Prepared } from "./locks.ts";
import { Alarm } from "./alarm.ts";
import { Outbox, OUTBOX_RECHECK_MS, type OutboxRow } from "./outbox.ts";
import {
  ACCOUNT_BUSY, type AccountInspection, type AccountName, type CommitRequest, type Decision, type IdempotencyClaim, type Outcome, type PrepareRequest, type PrepareVote,
  type RecordedCommit, type Refusal, type TurnReply, type Vote,
} from "./protocol.ts";
import { ReleaseSignal } from "./release-signal.ts";
import { SenderQueue } from "./sender-queue.ts";

/** How long a load may wait for prepared writers to be decided before it answers busy. */
const SETTLE_LIMIT_TIMEOUTS = 6;


/**
 * One account of one chain, named `<chainId>:<address>`: nonce, balance, code and storage in the
 * object's SQLite database. It answers loads, and validates and applies commits: a run that
 * touched only this account commits in one call (`commit`); a run that touched several prepares
 * here (validate, then hold its keys durably) and is finished by its coordinator, or, if the
 * coordinator went quiet, from the decision record kept by the run's sender (`resolve`).
 *
 * Every write gets a stamp from the object's logical clock (see LogicalClock) and a new
 * version: loads answer both, so a read-only run can tell whether its reads form one state.
 * Every method that changes storage does its reads and writes inside one `transactionSync`, with
 * no await in between, so the object's operations never interleave.
 */
export class Account extends DurableObject<Env> {
  private readonly store: AccountStore;
  private readonly locks: LockTable;
  private readonly decisions: DecisionLog;
  private readonly queue: SenderQueue;
  private readonly signal = new ReleaseSignal();
  private readonly clock: LogicalClock;
  private readonly blocks: BlockClock;
  private readonly records: AccountRecords;
  private readonly outbox: Outbox;
  private readonly alarmClock: Alarm;
  /** Idempotency keys of sends holding or waiting for the turn: key → turn. */
  private readonly claims = new Map<string, string>();
  /** Set for an account of a persistent fork: where keys never written here come from. */
  private readonly base: ForkBaseState | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new AccountStore(ctx.storage.sql);
    this.locks = new LockTable(ctx.storage.sql);
    this.decisions = new DecisionLog(ctx.storage.sql);
    this.queue = new SenderQueue(() => Number(env.SENDER_LEASE_MS));
    this.clock = new LogicalClock(this.store.meta().lastStamp);
    this.blocks = projectClock(env);
    this.records = new AccountRecords(ctx.storage.sql);
    this.outbox = new Outbox(ctx.storage.sql, () => ({ kind: "account", name: this.name }));
    this.base = ForkBaseState.of(ctx, env, this.store);
    this.alarmClock = new Alarm(ctx.storage);
    void ctx.blockConcurrencyWhile(() => this.alarmClock.load());
  }

  private get name(): AccountName {
    return this.ctx.id.name as AccountName;
  }

  /**
   * Current values, stamped: waits for prepared writes on the keys asked for (and, when they could
   * change whether the account has storage, on the storage) to be decided first.
   */
  async load(req: LoadRequest): Promise<AccountLoad> {
    await this.settle([FIELDS, ...req.slots.map(slotKey)]);
    const upstream = await this.base?.ensure(req);
    await this.settleStorageExistence();
    return { ...this.store.load(req), readStamp: this.clock.read(), ...(upstream === undefined ? {} : { upstream }) };
  }

  /**
   * Waits for this sender's turn (one send at a time per sender), then loads. An idempotent send
   * first meets its key: the answer it already committed (replayed, nothing runs), or another
   * request with it still under way, or with another body.
   */
  async beginTurn(turn: string, req: LoadRequest, idem?: IdempotencyClaim): Promise<TurnReply> {
    if (idem !== undefined) {
      const done = this.records.answer(idem.key, Date.now());
      if (done !== undefined) return done.fingerprint === idem.fingerprint ? { replay: done.answer } : { idempotency: "mismatch" };
      const holder = this.claims.get(idem.key);
      if (holder !== undefined && this.queue.has(holder)) return { idempotency: "in_progress" };
      this.claims.set(idem.key, turn);
    }
    if (!(await this.queue.acquire(turn))) {
      this.dropClaims(turn);
      return { granted: false };
    }
    return { granted: true, load: await this.load(req) };
  }

  endTurn(turn: string): void {
    this.queue.release(turn);
    this.dropClaims(turn);
  }

  private dropClaims(turn: string): void {
    for (const [key, t] of this.claims) if (t === turn) this.claims.delete(key);
  }

  /**
   * Whether a read-only run's reads are all still current and none is being overwritten: the
   * account's version is the one the run read (so no write came and went in between).
   */
  async verify(reads: ReadSet): Promise<{ ok: boolean }> {
    const keys = keysOf(reads, null).map((k) => k.key);
    await this.settle(keys);
    if (this.locks.writers(keys).length > 0) return { ok: false };
    if (reads.version !== undefined) return { ok: this.store.meta().version === reads.version };
    return { ok: this.checkReads(reads) === undefined };
  }

  /**
   * Validates the reads and applies the writes, atomically, and records the transaction as
   * committed, stamped after every prepare of it. For a multi-account transaction this is the
   * decision, made by its sender after every other account prepared. Idempotent.
   */
  commit(req: CommitRequest): Vote {
    const vote = this.ctx.storage.transactionSync((): Vote => {
      const decided = this.decisions.get(req.txId);
      const blocks = req.clock ?? this.blocks;
      if (decided !== undefined) return decided.outcome === "commit" ? this.placed(decided.stamp, blocks) : { ok: false, reason: "aborted" };
      const final = req.record === undefined ? undefined : this.refusedRecord(req.record);
      if (final !== undefined) return final;
      const stamp = this.clock.next(Math.max(req.after, blockStartMs(blocks, req.block) * 1000 - 1));
      const placed = this.placed(stamp, blocks);
      if (req.readsBlock && placed.block !== req.block) return { ok: false, reason: "late" };
      const bad = this.check(req.reads, req.writes);
      if (bad !== undefined) return bad;
      if (req.writes !== null) this.store.apply(req.writes, stamp);
      const now = Date.now();
      if (req.record !== undefined) this.record(req.record, placed, now);
      this.decisions.decide(req.txId, { outcome: "commit", stamp }, req.participants, now);
      return placed;
    });
    if (vote.ok && req.turn !== undefined) this.endTurn(req.turn);
    if (this.outbox.takeAdded()) {
      // Armed in the commit's turn: if this object dies before the queue has the record, its
      // alarm still delivers it.
      this.alarmClock.armBy(Date.now() + OUTBOX_RECHECK_MS);
      this.flushSoon();
    }
    return vote;
  }

  /** A commit that must not happen whatever it read: its request was swept, or its key already committed. */
  private refusedRecord(r: RecordedCommit): Refusal | undefined {
    if (this.records.isFenced(r.reservationId)) return { ok: false, reason: "fenced" };
    const idem = r.idempotency === undefined ? undefined : this.records.answer(r.idempotency.key, Date.now());
    return idem === undefined ? undefined : { ok: false, reason: "duplicate", answer: idem.answer };
  }

  /** The commit's record, in the outbox, with its block and stamp; the idempotent answer with its block. */
  private record(r: RecordedCommit, placed: { stamp: number; block: number }, now: number): void {
    const block = String(placed.block);
    const run = { ...r.record.run, blockNumber: block };
    this.records.committed(r.reservationId, run, now);
    if (r.idempotency !== undefined) {
      const answer = { ...r.idempotency.answer, body: { ...r.idempotency.answer.body, blockNumber: placed.block } };
      this.records.storeAnswer(r.idempotency.key, r.idempotency.fingerprint, answer, run.id, now);
    }
    this.outbox.add({ type: "commit", record: { ...r.record, run, stamp: placed.stamp }, reservationId: r.reservationId } satisfies AccountRecord, now);
  }

  /**
   * The ledger sweeps a request that never settled: no commit of its reservation may happen here
   * from now on, and it learns which did.
   */
  fence(reservationId: string): CommittedRun[] {
    return this.ctx.storage.transactionSync(() => this.records.fence(reservationId, this.name, Date.now()));
  }

  /** A run committed here (its row, as the run log will have it), until D1 has it. */
  committedRun(runId: string): unknown {
    return this.records.run(runId);
  }

  outboxBodies(seqs: number[]): OutboxRow[] {
    return this.outbox.bodies(seqs);
  }

  outboxDelivered(seqs: number[]): void {
    this.ctx.storage.transactionSync(() => this.outbox.delivered(seqs));
  }

  private flushSoon(): void {
    this.outbox.flushSoon(this.env.RUN_LOG, () => this.armAlarm(OUTBOX_RECHECK_MS));
  }

  private placed(stamp: number, blocks: BlockClock): { ok: true; stamp: number; block: number } {
    return { ok: true, stamp, block: blockAtMs(blocks, stampMs(stamp)) };
  }

  /** Phase one: validates the reads and holds the keys (durably) until `finish`. Idempotent. */
  async prepare(req: PrepareRequest): Promise<PrepareVote> {
    const vote = this.ctx.storage.transactionSync((): PrepareVote => {
      if (this.locks.get(req.txId) !== undefined) return { ok: true, stamp: this.clock.read() };
      const bad = this.check(req.reads, req.writes);
      if (bad !== undefined) return bad;
      this.locks.hold({ txId: req.txId, decider: req.decider, writes: req.writes, createdAt: Date.now() }, keysOf(req.reads, req.writes));
      return { ok: true, stamp: this.clock.read() };
    });
    if (vote.ok) await this.armAlarm();
    return vote;
  }

  /** Phase two: applies (commit, at the decision's stamp) or drops (abort) a prepared transaction. Idempotent. */
  finish(txId: string, outcome: Outcome, stamp = 0): void {
    this.ctx.storage.transactionSync(() => {
      const p = this.locks.get(txId);
      if (p === undefined) return;
      if (outcome === "commit" && p.writes !== null) {
        this.clock.observe(stamp);
        this.store.apply(p.writes, stamp);
      }
      this.locks.drop(txId);
    });
    this.signal.released(txId);
  }

  /**
   * The decision on a transaction this account decided, asked by a participant left prepared
   * (or by a coordinator that lost the answer of `commit`). No decision yet: the coordinator is
   * presumed dead and `abort` is recorded, so that it cannot commit later. `by`: the asking
   * participant, which will now apply it.
   */
  resolve(txId: string, by?: AccountName): Decision {
    return this.ctx.storage.transactionSync(() => {
      const now = Date.now();
      const d = this.decisions.decide(txId, { outcome: "abort", stamp: 0 }, [], now);
      if (by !== undefined) this.decisions.finished(txId, [by], now);
      return d;
    });
  }

  /** The coordinator told `names` the outcome: the decision need not wait for them. */
  finished(txId: string, names: AccountName[]): void {
    this.ctx.storage.transactionSync(() => this.decisions.finished(txId, names, Date.now()));
  }

  /**
   * Credits `amount` wei once per `grantId` (the development faucet of an API key's account);
   * answers what a persistent fork's account used of the upstream to read its base first.
   */
  async grant(grantId: string, amount: Hex, upstream?: UpstreamUse): Promise<UpstreamUse | undefined> {
    const used = await this.base?.ensure({ code: false, slots: [], upstream });
    for (let attempt = 0; attempt < 100; attempt++) {
      await this.settle([FIELDS]);
      const done = this.ctx.storage.transactionSync(() => {
        if (this.locks.conflict([{ key: FIELDS, mode: "w" }]) !== undefined) return false;
        this.store.creditOnce(grantId, BigInt(amount), Date.now(), this.clock.next());
        return true;
      });
      if (done) return used;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("account busy: could not credit it");
  }

  inspect(): AccountInspection {
    const now = Date.now();
    const { all, undone } = this.decisions.count();
    const { version, lastStamp } = this.store.meta();
    return {
      prepared: this.locks.all().map((p) => ({ txId: p.txId, decider: p.decider, ageMs: now - p.createdAt })),
      locks: this.locks.keys(),
      decisions: all,
      undoneDecisions: undone,
      waitingTurns: this.queue.waitingCount,
      outbox: this.outbox.size(),
      version,
      lastStamp,
    };
  }

  /** Resolves prepared transactions whose coordinator went quiet; delivers the outbox. */
  override async alarm(): Promise<void> {
    this.alarmClock.fired();
    await this.resolveStale(this.locks.all());
    const unconfirmed = this.outbox.size() > 0 && (await this.outbox.flush(this.env.RUN_LOG));
    // Those still stale could not reach their decider: ask again after a timeout, not at once.
    const stale = this.locks.all().some((p) => Date.now() - p.createdAt >= this.timeoutMs);
    await this.armAlarm(stale ? this.timeoutMs : 100, unconfirmed);
  }

  private get timeoutMs(): number {
    return Number(this.env.PREPARE_TIMEOUT_MS);
  }

  private check(reads: ReadSet, writes: WriteSet | null): Refusal | undefined {
    const stale = this.checkReads(reads);
    if (stale !== undefined) return stale;
    const holder = this.locks.conflict(keysOf(reads, writes));
    return holder === undefined ? undefined : this.lockedBy(holder);
  }

  /**
   * A refusal because `txId` holds a key. A holder past the prepare timeout is resolved now by
   * whoever meets it (not only by the alarm); the caller is told when trying again is worth it.
   */
  private lockedBy(txId: string): Refusal {
    const p = this.locks.get(txId);
    const age = p === undefined ? 0 : Date.now() - p.createdAt;
    if (p !== undefined && age >= this.timeoutMs) {
      void this.resolveStale([p]);
      return { ok: false, reason: "locked", retryAfterMs: 10 };
    }
    return { ok: false, reason: "locked", retryAfterMs: Math.max(5, Math.min(this.timeoutMs - age, 1000)) };
  }

  private checkReads(reads: ReadSet): Refusal | undefined {
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
   * Whether the account has storage can change through prepared slot writes: a reset, the first
   * slot written, or the last ones deleted. Wait for them only when they could change it.
   */
  private async settleStorageExistence(): Promise<void> {
    const w = this.locks.storageWrites();
    if (w.txIds.length === 0) return;
    if (!w.reset && this.store.meta().slots > w.slots) return;
    await this.settleTransactions(w.txIds);
  }

  /**
   * Waits until no prepared transaction writes any of `keys`: woken when one is finished here,
   * and resolving from the decision record those older than the prepare timeout. Never answers
   * past a writer whose outcome it cannot learn: after a bound it throws ACCOUNT_BUSY instead.
   */
  private async settle(keys: string[]): Promise<void> {
    for (const started = Date.now(); ; ) {
      const writers = this.locks.writers(keys);
      if (writers.length === 0) return;
      await this.waitFor(writers, started);
    }
  }

  private async settleTransactions(txIds: string[]): Promise<void> {
    for (const started = Date.now(); ; ) {
      const held = txIds.filter((id) => this.locks.get(id) !== undefined);
      if (held.length === 0) return;
      await this.waitFor(held, started);
    }
  }

  private async waitFor(txIds: string[], started: number): Promise<void> {
    if (Date.now() - started > SETTLE_LIMIT_TIMEOUTS * this.timeoutMs) throw new Error(`${ACCOUNT_BUSY}: the account is held by a transaction whose outcome is not known yet`);
    const prepared = txIds.map((id) => this.locks.get(id)).filter((p): p is Prepared => p !== undefined);
    if (prepared.length === 0) return;
    const staleAt = Math.min(...prepared.map((p) => p.createdAt)) + this.timeoutMs;
    if (Date.now() < staleAt) {
      await this.signal.wait(txIds, staleAt - Date.now());
      return;
    }
    await this.resolveStale(prepared);
    // A decider that could not answer: try again shortly rather than spin.
    if (prepared.some((p) => this.locks.get(p.txId) !== undefined)) await this.signal.wait(txIds, 50);
  }

  private async resolveStale(prepared: Prepared[]): Promise<void> {
    const now = Date.now();
    const me = this.ctx.id.name as AccountName | undefined;
    await Promise.all(
      prepared
        .filter((p) => now - p.createdAt >= this.timeoutMs)
        .map(async (p) => {
          try {
            const decider = this.env.ACCOUNTS.get(this.env.ACCOUNTS.idFromName(p.decider));
            const d = await decider.resolve(p.txId, me);
            this.finish(p.txId, d.outcome, d.stamp);
          } catch (err) {
            logEvent("error", "commit_unresolved", { txId: p.txId, decider: p.decider, ...errorFields(err) });
          }
        }),
    );
  }

  /**
   * Wakes this object when its oldest prepared transaction becomes stale (at the earliest in
   * `minDelayMs`), or to look at unconfirmed outbox rows again; never later than an alarm set.
   */
  private async armAlarm(minDelayMs = 100, outbox = this.outbox.size() > 0): Promise<void> {
    const oldest = this.locks.all()[0];
    const times = [oldest === undefined ? Infinity : Math.max(oldest.createdAt + this.timeoutMs, Date.now() + minDelayMs), outbox ? Date.now() + OUTBOX_RECHECK_MS : Infinity];
    const at = Math.min(...times);
    if (at !== Infinity) this.alarmClock.armBy(at);
  }
}

export type { LockKey };
