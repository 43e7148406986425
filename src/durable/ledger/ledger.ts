import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env.ts";
import { newId } from "../../records/api-key.ts";
import type { RunRow } from "../../records/run.ts";
import { blockAtMs, projectClock } from "../../state/blocks.ts";
import { Alarm } from "../alarm.ts";
import { Outbox, OUTBOX_RECHECK_MS, type OutboxRow } from "../outbox.ts";
import type { AccountName } from "../protocol.ts";
import { TokenBucket } from "../rate-limit.ts";
import type { Admission, AdmitRequest, KeyListing, KeyView, NewProject, ProjectView, Refused, ReserveItem, Scope, Settlement, UsageRow } from "./protocol.ts";
import { LedgerStore, type KeyRow, type ReservationRow } from "./store.ts";

/**
 * A request's reservation not closed after this long was abandoned (its Worker died): requests
 * are bounded far below it (work budget, send retries, sender turns).
 */
const RESERVATION_TTL_MS = 10 * 60 * 1000;
/** last_used_at is written at most this often per key. */
const TOUCH_MS = 60_000;
const MAX_CREDIT = Number.MAX_SAFE_INTEGER;

/** What the ledger writes through to D1 (the operator's view and the run log). */
export type LedgerRecord =
  | { type: "runs"; rows: RunRow[] }
  /** Written by earlier versions (one row a record): still delivered. */
  | { type: "run"; row: RunRow }
  | { type: "project"; project: ReturnType<LedgerStore["project"]> & object }
  | { type: "key"; projectId: string; key: KeyRow }
  | { type: "grant"; id: string; projectId: string; amount: number; createdAt: number };

/**
 * One object per project, named by its id: everything a request needs to be admitted, in one
 * round trip (the key by its hash, its scopes, its rate, the project's credit), and what settles
 * it after the answer (charges by run id, exactly once; usage). Keys and credit live here; D1's
 * projects and keys tables are the operator's view, written through by this object's outbox and
 * never read on the request path.
 */
export class Ledger extends DurableObject<Env> {
  private readonly store: LedgerStore;
  private readonly outbox: Outbox;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly alarmClock: Alarm;
  /** Run rows of the storage transaction under way: one outbox record at its end. */
  private runRows: RunRow[] = [];
  /** Rows settled recently, answered until the run log in D1 has them (see `recentRun`). */
  private readonly recentRows = new RecentRuns();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new LedgerStore(ctx.storage.sql);
    this.outbox = new Outbox(ctx.storage.sql, () => ({ kind: "ledger", name: this.store.project()?.id ?? "" }));
    this.alarmClock = new Alarm(ctx.storage);
    void ctx.blockConcurrencyWhile(() => this.alarmClock.load());
  }

  /** Creates the project with its first key (the operator); an existing project is left as it is. */
  init(p: NewProject): ProjectView {
    this.write(() => {
      if (this.store.project() !== undefined) return;
      const now = Date.now();
      this.store.createProject(p, now);
      this.outbox.add({ type: "project", project: this.store.project()! } satisfies LedgerRecord);
      if (this.store.keyByHash(p.key.hash) === undefined) this.addKey(p.key, now);
    });
    return this.store.view();
  }

  /** Admission: the key (live, with the scope), its rate, and the credit the request may spend. */
  admit(req: AdmitRequest): Admission {
    const now = Date.now();
    const out = this.write((): Admission => {
      for (const s of req.settlements ?? []) this.applySettlement(s, now);
      const p = this.store.project();
      const k = p === undefined ? undefined : this.store.keyByHash(req.keyHash);
      if (k === undefined || k.revoked_at !== null) return refuse(401, "invalid_api_key", "the API key is unknown or revoked");
      const key = this.store.keyView(k, p);
      if (req.scope !== undefined && !key.scopes.includes(req.scope)) return refuse(403, "insufficient_scope", `this API key lacks the "${req.scope}" scope`);
      const limit = this.bucket(k.id).take(key.requestsPerMinute, now, req.items);
      if (!limit.ok) return { ...refuse(429, "rate_limited", `this API key is over its ${key.requestsPerMinute} requests a minute; retry after ${limit.retryAfter} s`), retryAfter: limit.retryAfter };
      if (k.last_used_at === null || now - k.last_used_at >= TOUCH_MS) this.touch(k, now);
      if (req.reserve === undefined || req.reserve.length === 0) return { ok: true, key };
      const amount = reservationAmount(req.reserve, key.maxGasPerRun);
      if (typeof amount === "object") return amount;
      const id = newId("res");
      const chain = req.chainName ?? String(p!.chain_id);
      const senders = [...(req.senders ?? []), ...(req.sendsFromKey ? [k.address] : [])].map((a) => `${chain}:${a}`);
      if (!this.store.reserve({ id, amount, senders, keyId: k.id, kind: req.kind ?? "call", runs: req.reserve.length }, now)) {
        return refuse(402, "insufficient_credit", "the project's credit does not cover this request's most possible cost (its gas limit at the gas price): ask the operator for credit, or ask for less gas");
      }
      return { ok: true, key, reservation: { id, amount: String(amount) } };
    });
    if (out.ok && out.reservation !== undefined) void this.armAlarm(now + this.ttl);
    return out;
  }

  /** More credit for a request that runs again (an estimate's search, a re-execution). */
  topUp(reservationId: string, amount: string): boolean {
    return this.write(() => this.store.topUp(reservationId, Number(amount)));
  }

  /**
   * Settles a request's runs against its reservation, each once by run id (a run settled twice,
   * by the Worker and by the queue, is charged once); read-only runs' rows go to the run log
   * through the outbox. With `close`, the rest of the reservation goes back to the credit.
   */
  settle(s: Settlement): void {
    this.settleAll([s]);
  }

  /** Several requests' settlements in one transaction (those that waited in an isolate together). */
  settleAll(list: Settlement[]): void {
    this.write(() => {
      const now = Date.now();
      for (const s of list) this.applySettlement(s, now);
    });
  }

  private applySettlement(s: Settlement, now: number): void {
    const r = this.store.reservation(s.reservationId);
    // Gone only once closed or swept: what it held beyond its charges was dealt with then.
    let left = r === undefined ? 0 : r.amount - r.used;
    for (const run of s.runs) {
      const charge = Math.min(Number(run.charge), left);
      if (!this.store.settleOnce(run.runId, charge, now)) continue;
      left -= charge;
      this.store.addUsage(run.row?.createdAt ?? now, run.kind, Number(run.gasUsed), charge);
      if (run.row !== undefined) this.runRows.push({ ...run.row, charge: String(charge) });
      else if (run.sender !== undefined) this.store.remember(run.runId, { sender: run.sender }, now);
    }
    if (r !== undefined) this.store.release(r, r.amount - left, s.close);
  }

  project(): ProjectView | undefined {
    return this.store.project() === undefined ? undefined : this.store.view();
  }

  usage(from: number, to: number, granularity: "hour" | "day"): UsageRow[] {
    return this.store.usage(from, to, granularity);
  }

  keys(): KeyListing[] {
    return this.store.keys();
  }

  /** A new key of the project (the Worker made the secret; only its hash comes here). */
  createKey(k: { id: string; hash: string; prefix: string; scopes: Scope[] }): KeyListing {
    return this.write(() => {
      this.addKey(k, Date.now());
      return this.store.keys().find((x) => x.id === k.id)!;
    });
  }

  revokeKey(id: string): boolean {
    return this.write(() => {
      const done = this.store.revokeKey(id, Date.now());
      if (done) this.outbox.add({ type: "key", projectId: this.store.project()!.id, key: this.store.key(id)! } satisfies LedgerRecord);
      return done;
    });
  }

  markFunded(keyId: string): void {
    this.write(() => {
      if (this.store.markFunded(keyId, Date.now())) this.outbox.add({ type: "key", projectId: this.store.project()!.id, key: this.store.key(keyId)! } satisfies LedgerRecord);
    });
  }

  /** The operator's grant. */
  grant(amount: number): ProjectView | Refused {
    const out = this.write((): ProjectView | Refused => {
      if (this.store.project()!.credit + amount > MAX_CREDIT) return refuse(400, "invalid_amount", `a project's credit is at most ${MAX_CREDIT} micro-units`);
      this.store.addCredit(amount);
      const now = Date.now();
      this.outbox.add({ type: "grant", id: newId("grant"), projectId: this.store.project()!.id, amount, createdAt: now } satisfies LedgerRecord);
      this.outbox.add({ type: "project", project: this.store.project()! } satisfies LedgerRecord);
      return this.store.view();
    });
    return out;
  }

  /** The operator's plan limits. */
  setLimits(l: { maxGasPerRun?: number | null; requestsPerMinute?: number; retentionDays?: number }): ProjectView {
    return this.write(() => {
      this.store.setLimits(l);
      this.outbox.add({ type: "project", project: this.store.project()! } satisfies LedgerRecord);
      return this.store.view();
    });
  }

  /** A run settled recently, until the run log in D1 has it: its row, or the sender holding its record. */
  recentRun(runId: string): unknown {
    return this.recentRows.get(runId, () => this.outbox.newest(OUTBOX_SCAN)) ?? this.store.recent(runId);
  }

  outboxBodies(seqs: number[]): OutboxRow[] {
    return this.outbox.bodies(seqs);
  }

  outboxDelivered(seqs: number[]): void {
    this.write(() => this.outbox.delivered(seqs));
  }

  inspect(): { outbox: number; reservations: number } {
    return { outbox: this.outbox.size(), reservations: this.store.view().reserved };
  }

  /** Delivers the outbox, sweeps abandoned reservations, forgets old settlements. */
  override async alarm(): Promise<void> {
    this.alarmClock.fired();
    const now = Date.now();
    for (const r of this.store.expired(now - this.ttl)) await this.sweep(r);
    this.write(() => this.store.prune(now));
    const unconfirmed = await this.outbox.flush(this.env.RUN_LOG);
    const oldest = this.store.oldestReservation();
    const next = [unconfirmed ? now + OUTBOX_RECHECK_MS : Infinity, oldest === undefined ? Infinity : oldest + this.ttl];
    if (Math.min(...next) < Infinity) await this.armAlarm(Math.min(...next));
  }

  /**
   * A request that never closed its reservation. Its sends may have committed: each sender's
   * object is fenced (no commit of this reservation can happen after) and tells what did commit,
   * which is settled (a committed run's record carries the charge of all its executions). When
   * every run the request announced committed, the rest goes back to the credit. Otherwise what
   * ran cannot be known: the rest is charged, logged as an `abandoned` run (a Worker does not die
   * mid-request unless a run outgrew it, so this closes the way to run free by killing it).
   */
  private async sweep(r: ReservationRow): Promise<void> {
    const committed = await Promise.all(
      (JSON.parse(r.senders) as AccountName[]).map((name) => this.env.ACCOUNTS.get(this.env.ACCOUNTS.idFromName(name)).fence(r.id)),
    );
    const runs = committed.flat();
    this.write(() => {
      const now = Date.now();
      this.applySettlement({ reservationId: r.id, runs, close: false }, now);
      const rest = this.store.reservation(r.id);
      if (rest === undefined) return;
      const abandoned = runs.length < rest.runs && rest.amount > rest.used;
      const rests = abandoned ? [{ runId: `abandoned_${r.id}`, kind: rest.kind, gasUsed: "0", charge: String(rest.amount - rest.used), row: this.abandonedRow(rest, now) }] : [];
      this.applySettlement({ reservationId: r.id, runs: rests, close: true }, now);
    });
  }

  private abandonedRow(r: ReservationRow, now: number): RunRow {
    const p = this.store.project()!;
    const block = blockAtMs(projectClock(this.env), now);
    return {
      id: `abandoned_${r.id}`, projectId: p.id, keyId: r.key_id, chainId: String(p.chain_id), kind: r.kind, to: null, selector: null, gasLimit: "0", gasUsed: "0",
      status: "error", errorCode: "abandoned", durationMs: now - r.created_at, blockNumber: String(block), txHash: null, contractAddress: null, charge: "0", createdAt: now,
    };
  }

  private get ttl(): number {
    return Number(this.env.RESERVATION_TTL_MS ?? RESERVATION_TTL_MS);
  }

  private addKey(k: { id: string; hash: string; prefix: string; scopes: Scope[] }, now: number): void {
    const row = this.store.addKey(k, now);
    this.outbox.add({ type: "key", projectId: this.store.project()!.id, key: row } satisfies LedgerRecord, now);
  }

  private touch(k: KeyRow, now: number): void {
    this.store.touchKey(k.id, now);
    this.outbox.add({ type: "key", projectId: this.store.project()!.id, key: { ...k, last_used_at: now } } satisfies LedgerRecord, now);
  }

  private bucket(keyId: string): TokenBucket {
    let b = this.buckets.get(keyId);
    if (b === undefined) this.buckets.set(keyId, (b = new TokenBucket()));
    return b;
  }

  /** A storage transaction; records it added to the outbox are handed to the queue right after. */
  private write<T>(fn: () => T): T {
    let rows: RunRow[] = [];
    let out: T;
    try {
      out = this.ctx.storage.transactionSync(() => {
        this.runRows = [];
        const v = fn();
        rows = this.runRows;
        if (rows.length > 0) this.outbox.add({ type: "runs", rows } satisfies LedgerRecord);
        return v;
      });
    } catch (e) {
      // Rolled back: the rows the store keeps in memory may be ahead of storage.
      this.store.forget();
      throw e;
    } finally {
      this.runRows = [];
    }
    for (const row of rows) this.recentRows.add(row);
    if (this.outbox.takeAdded()) {
      // Armed in the write's turn: a record survives this object dying before the queue has it.
      this.alarmClock.armBy(Date.now() + OUTBOX_RECHECK_MS);
      this.flushSoon();
    }
    return out;
  }

  /** Hands new outbox rows to the queue now (not awaited by the caller); the alarm retries. */
  private flushSoon(): void {
    this.outbox.flushSoon(this.env.RUN_LOG, () => this.armAlarm(Date.now() + OUTBOX_RECHECK_MS));
  }

  /** Sets the alarm to `at` unless one is due sooner. */
  private async armAlarm(at: number): Promise<void> {
    this.alarmClock.armBy(at);
  }
}

/** Outbox rows read to find recent runs again after this object started (its memory of them is gone). */
const OUTBOX_SCAN = 1_000;

/**
 * Read-only runs settled recently, in memory: answered until the run log in D1 has them, which
 * is within seconds (bounded by count). After a restart the rows still in the outbox (not yet in
 * D1) are read back once; a row neither here nor there is in D1.
 */
class RecentRuns {
  private static readonly MAX = 10_000;
  private readonly rows = new Map<string, RunRow>();
  private scanned = false;

  add(row: RunRow): void {
    this.rows.set(row.id, row);
    if (this.rows.size > RecentRuns.MAX) this.rows.delete(this.rows.keys().next().value!);
  }

  get(runId: string, outbox: () => OutboxRow[]): RunRow | undefined {
    if (!this.rows.has(runId) && !this.scanned) {
      this.scanned = true;
      for (const { body } of outbox()) {
        const rec = body as LedgerRecord;
        if (rec.type === "runs") rec.rows.forEach((r) => this.add(r));
        else if (rec.type === "run") this.add(rec.row);
      }
    }
    return this.rows.get(runId);
  }
}

function refuse(status: Refused["status"], code: string, message: string): Refused {
  return { ok: false, status, code, message };
}

/** The most a request's runs may cost; the plan's gas cap applies (a run asking for more is refused). */
function reservationAmount(items: ReserveItem[], planMax: bigint | null): number | Refused {
  let total = 0n;
  for (const it of items) {
    let gas = BigInt(it.gas);
    if (planMax !== null && gas > planMax) {
      if (!it.gasDefaulted) return refuse(400, "gas_limit_too_high", `gas limit ${gas} is above this project's cap of ${planMax}`);
      gas = planMax;
    }
    total += BigInt(it.fixed) + (gas * BigInt(it.perMillionGas) + 999_999n) / 1_000_000n;
  }
  return total > BigInt(MAX_CREDIT) ? MAX_CREDIT : Number(total);
}

export type { KeyView };
