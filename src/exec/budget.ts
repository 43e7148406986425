import type { Ledger } from "../durable/ledger/ledger.ts";
import type { Reservation, ReserveItem, SettledRun } from "../durable/ledger/protocol.ts";
import type { RunLimits } from "../evm/run.ts";
import type { TxResult } from "../evm/types.ts";
import type { Config } from "./config.ts";
import { ServiceError, tooLarge } from "./errors.ts";
import type { ExecMeter } from "./meter.ts";
import type { RunKind } from "../records/run.ts";
import { costOf, gasCost, traceCost, type Prices } from "../billing/prices.ts";
import { TraceMeter } from "../trace/meter.ts";
import { CAPS } from "./caps.ts";
import { workBudget, type WorkBudget } from "../evm/work.ts";
import { isolateMemory } from "./isolate-memory.ts";
import { pendingSettlements } from "./settlements.ts";
import type { Held, UpstreamUsage } from "../fork/upstream.ts";

/** A project's ledger, as the requests of this isolate reach it. */
export interface LedgerRef {
  project: string;
  stub: DurableObjectStub<Ledger>;
}

/**
 * The clock only bounds how long an execution may wait for state in all (locks of other
 * transactions, slow objects); its computation and its round trips are counted as work.
 */
const IO_WAIT_CAP_MS = 30_000;

/** What a request cost, as its answer shows it. */
export interface Cost {
  /** Gas of every execution the request ran (an estimate's search, re-executions: all of them). */
  gasExecuted: string;
  executions: number;
  /** Micro-units charged. */
  charge: string;
}

/**
 * One request's budget: the credit its admission reserved, the gas and time all its executions
 * may use together, and the runs it made, settled with the ledger after the answer. Executions
 * are refused before they start when the request's gas budget or reserved credit would not
 * cover them (the reservation grows from the credit first when it can).
 */
export class RequestBudget {
  readonly runs: SettledRun[] = [];
  private gasExecuted = 0n;
  private executions = 0;
  /** Charged so far by closed runs. */
  private closedCharge = 0n;
  private readonly open = new Set<RunMeter>();
  private reserved: bigint;
  /**
   * The request's time cap as counted work (estimated CPU, src/evm/work.ts), shared by all its
   * executions: deterministic where the platform's clock stands still during computation.
   */
  readonly work: WorkBudget;
  /**
   * Charges of the request besides its runs' (upstream requests, answers from the cache, trace
   * bytes), settled with its last run. A deliverable one (`waivable`: what the answer carries) is
   * dropped with the answer when the credit cannot pay it (confirm).
   */
  private readonly surcharges: { f: () => bigint; waivable: boolean }[] = [];
  private waived = false;
  /** Of the reservation, what is held for charges about to be incurred (upstream requests in flight). */
  private held = 0n;
  /** The least top-up the ledger refused. */
  private refused: bigint | undefined;
  private readonly upstreams = new WeakSet<UpstreamUsage>();
  /** `confirm` and `settle` ran (each runs once). */
  private confirmed: Promise<boolean> | undefined;
  private settling = false;
  /** What all the request's tracers built, bounded together (CAPS.traceBytes) and paid per MiB. */
  readonly trace = new TraceMeter(CAPS.traceBytes);

  constructor(
    readonly config: Config,
    readonly prices: Prices,
    private readonly ledger: LedgerRef | undefined,
    private readonly reservation: Reservation | undefined,
  ) {
    this.reserved = reservation === undefined ? 0n : BigInt(reservation.amount);
    this.work = workBudget(config.timeCapMs);
    this.surcharge(() => traceCost(prices, this.trace.bytes), true);
  }

  /** The reservation items of runs of `kind` with `gas` (for admission). */
  static reserveItem(prices: Prices, kind: RunKind, gas: bigint, gasDefaulted: boolean): ReserveItem {
    return { fixed: String(prices.perRun[kind]), perMillionGas: String(prices.perMillionGas), gas: String(gas), gasDefaulted };
  }

  /** Opens a run: its kind's price is charged from now on; executions go through its meter. */
  meter(kind: RunKind): RunMeter {
    const m = new RunMeter(this, kind);
    this.open.add(m);
    return m;
  }

  /** A run that ran nothing after all (an idempotent replay): it costs nothing. */
  discard(m: RunMeter): void {
    this.open.delete(m);
  }

  get reservationId(): string | undefined {
    return this.reservation?.id;
  }

  /** Closes a run with what settles it (its row, or the sender holding its committed record). */
  close(m: RunMeter, run: Omit<SettledRun, "kind" | "gasUsed" | "charge">): void {
    this.open.delete(m);
    this.closedCharge += m.charge();
    this.runs.push({ ...run, kind: m.kind, gasUsed: String(m.gas), charge: String(m.charge()) });
  }

  /**
   * A charge that grows while the request runs (read at the answer and at settlement). Unless it
   * is `waivable` (the answer is refused when the credit cannot pay it), it must be held before
   * it is incurred (hold), like an upstream request.
   */
  surcharge(f: () => bigint, waivable = false): void {
    this.surcharges.push({ f, waivable });
  }

  /**
   * Charges `usage`'s requests to a network's upstream at `price` each, and has each round trip
   * paid before it is sent: its requests are held in the reservation (grown when it must), else
   * 402 `insufficient_credit` before anything is asked of the network.
   */
  chargeUpstream(price: bigint, usage: UpstreamUsage): void {
    // Once per use (a fork's JSON-RPC session counts on the fork chain's).
    if (this.upstreams.has(usage)) return;
    this.upstreams.add(usage);
    this.surcharge(() => price * BigInt(usage.requests));
    if (price > 0n) usage.pay = (requests, least) => this.holdRequests(price, requests, least ?? requests);
  }

  /** Holds between `least` and `most` requests at `price` (as many as the credit covers); answers how many, and the release. */
  private async holdRequests(price: bigint, most: number, least: number): Promise<Held> {
    const why = "the project's credit does not cover this request's next requests to the network's upstream: ask the operator for credit";
    try {
      return { requests: most, release: await this.hold(price * BigInt(most), why) };
    } catch (e) {
      if (least >= most) throw e;
      const requests = Number((this.reserved - this.committed()) / price);
      if (requests < least) throw e;
      return { requests, release: await this.hold(price * BigInt(requests), why) };
    }
  }

  /**
   * Holds `amount` of the reservation (grown first when it must; 402 with `why` when the credit
   * cannot) for a charge about to be incurred; answers the release, once it is counted.
   */
  async hold(amount: bigint, why: string): Promise<() => void> {
    await this.claim(amount, why, () => (this.held += amount));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= amount;
    };
  }

  /** What the request may come to: closed runs, open ones at the most their executions may use, surcharges and holds. */
  private committed(): bigint {
    let n = this.closedCharge + this.extra() + this.held;
    for (const m of this.open) n += m.ceiling();
    return n;
  }

  /**
   * Grows the reservation, when it must, to cover what the request may come to and `more`, then
   * `takes` it in the same turn as the last check: parallel claims cannot both count on the same
   * part of the reservation.
   */
  private async claim(more: bigint, why: string, takes: () => void): Promise<void> {
    for (;;) {
      const need = this.committed() + more;
      if (need <= this.reserved) return takes();
      await this.grow(need, why);
    }
  }

  /**
   * Before the answer goes: the reservation must cover what the request came to. When the credit
   * cannot pay what the answer carries (a trace's bytes, a cached answer), that is waived and the
   * answer refused (false): nothing is delivered unpaid.
   */
  confirm(): Promise<boolean> {
    return (this.confirmed ??= this.claim(0n, "", () => {}).then(
      () => true,
      () => {
        this.waived = true;
        return false;
      },
    ));
  }

  /** Whether the request's surcharges (upstream use, cache hits, traces) come to anything so far. */
  surcharged(): boolean {
    return this.extra() > 0n;
  }

  private extra(): bigint {
    return this.surcharges.reduce((n, s) => (this.waived && s.waivable ? n : n + s.f()), 0n);
  }

  /** What the request has cost so far. */
  cost(): Cost {
    let charge = this.closedCharge + this.extra();
    for (const m of this.open) charge += m.charge();
    return { gasExecuted: String(this.gasExecuted), executions: this.executions, charge: String(charge) };
  }

  /** Gas the request's executions may still use together. */
  gasLeft(): bigint {
    return this.config.requestGas - this.gasExecuted;
  }

  /** Before an execution: the request's gas and credit must cover it. */
  async begin(m: RunMeter, gasLimit: bigint): Promise<RunLimits> {
    if (this.gasExecuted + gasLimit > this.config.requestGas) {
      throw tooLarge("request_gas_exceeded", `this request's executions would use more than ${this.config.requestGas} gas in all (it has used ${this.gasExecuted}); ask for less gas`);
    }
    await this.claim(gasCost(this.prices, gasLimit), "the project's credit does not cover this request's next execution (its gas limit at the gas price): ask the operator for credit, or ask for less gas", () => (m.executing = gasLimit));
    // The work budget is the request's time cap, counted; the clock bounds only an execution's
    // waits for state (in workerd it stands still while the EVM computes).
    if (this.work.left <= 0) throw tooLarge("time_cap", "this request's executions used all the work its time cap allows");
    return { memoryBytes: this.config.memoryCapBytes, memoryPool: isolateMemory, deadline: Date.now() + Math.max(this.config.timeCapMs, IO_WAIT_CAP_MS), work: this.work };
  }

  end(m: RunMeter, result: TxResult): bigint {
    m.executing = 0n;
    this.executions++;
    const used = result.valid ? result.gasUsed : 0n;
    this.gasExecuted += used;
    return used;
  }

  /**
   * Settles every run with the ledger and gives back what the reservation held beyond. The
   * request's surcharges go to its last logged run; the reservation covers them (`confirm`, done
   * before the answer went, or now: what it cannot cover is waived).
   */
  async settle(): Promise<void> {
    // Once: two routers' settleAfter both reach a request under /rpc, and the surcharges must
    // not go onto its last run twice (the network routes' upstream cost was charged twice).
    if (this.reservation === undefined || this.ledger === undefined || this.settling) return;
    this.settling = true;
    await this.confirm();
    const extra = this.extra();
    const last = [...this.runs].reverse().find((r) => r.row !== undefined);
    if (extra > 0n && last !== undefined) {
      const charge = String(BigInt(last.charge) + extra);
      Object.assign(last, { charge, row: { ...last.row!, charge } });
    }
    // Rides on the project's next admission from this isolate, or goes on its own shortly.
    await pendingSettlements.settle(this.ledger.project, this.ledger.stub, { reservationId: this.reservation.id, runs: this.runs, close: true });
  }

  /**
   * Takes more of the credit into the reservation: at least double, so a search does not ask at
   * every step, else what is short. An amount the ledger refused is not asked for again (the
   * credit only goes down while the request runs), so a request near the end of its credit does
   * not ask the ledger at every load.
   */
  private async grow(need: bigint, why: string): Promise<void> {
    const short = need - this.reserved;
    if (short <= 0n) return;
    for (const more of short >= this.reserved ? [short] : [this.reserved, short]) {
      if (this.refused !== undefined && more >= this.refused) continue;
      if (this.ledger !== undefined && this.reservation !== undefined && (await this.ledger.stub.topUp(this.reservation.id, String(more)))) {
        this.reserved += more;
        return;
      }
      if (this.refused === undefined || more < this.refused) this.refused = more;
    }
    throw new ServiceError(402, "insufficient_credit", why);
  }
}

/** The meter of one run: its executions' gas, and its charge (its kind's price plus that gas). */
export class RunMeter implements ExecMeter {
  gas = 0n;
  /** A fixed price other than its kind's (an answer from a cache). */
  fixed: bigint | undefined;
  /** The gas limit of its execution under way (0: none). */
  executing = 0n;

  constructor(private readonly budget: RequestBudget, readonly kind: RunKind) {}

  get config(): Config {
    return this.budget.config;
  }

  get trace(): TraceMeter {
    return this.budget.trace;
  }

  charge(): bigint {
    return this.fixed !== undefined ? this.fixed + gasCost(this.budget.prices, this.gas) : costOf(this.budget.prices, this.kind, this.gas);
  }

  /** The most it may come to: its charge, and all the gas of its execution under way. */
  ceiling(): bigint {
    return this.charge() + gasCost(this.budget.prices, this.executing);
  }

  begin(gasLimit: bigint): Promise<RunLimits> {
    return this.budget.begin(this, gasLimit);
  }

  end(result: TxResult): void {
    this.gas += this.budget.end(this, result);
  }
}
