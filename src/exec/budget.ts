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
  /** Charges of the request besides its runs' (a network's upstream requests), settled with its last run. */
  private readonly surcharges: (() => bigint)[] = [];
  /** `settle` ran (it runs once). */
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
    this.surcharge(() => traceCost(prices, this.trace.bytes));
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

  /** A charge that grows while the request runs (read at the answer and at settlement). */
  surcharge(f: () => bigint): void {
    this.surcharges.push(f);
  }

  private extra(): bigint {
    return this.surcharges.reduce((n, f) => n + f(), 0n);
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
    let need = this.closedCharge + gasCost(this.prices, gasLimit);
    for (const o of this.open) need += o.charge();
    if (need > this.reserved) await this.grow(need);
    // The work budget is the request's time cap, counted; the clock bounds only an execution's
    // waits for state (in workerd it stands still while the EVM computes).
    if (this.work.left <= 0) throw tooLarge("time_cap", "this request's executions used all the work its time cap allows");
    return { memoryBytes: this.config.memoryCapBytes, memoryPool: isolateMemory, deadline: Date.now() + Math.max(this.config.timeCapMs, IO_WAIT_CAP_MS), work: this.work };
  }

  end(result: TxResult): bigint {
    this.executions++;
    const used = result.valid ? result.gasUsed : 0n;
    this.gasExecuted += used;
    return used;
  }

  /**
   * Settles every run with the ledger and gives back what the reservation held beyond. The
   * request's surcharges go to its last logged run (grown into the reservation first, when it can).
   */
  async settle(): Promise<void> {
    // Once: two routers' settleAfter both reach a request under /rpc, and the surcharges must
    // not go onto its last run twice (the network routes' upstream cost was charged twice).
    if (this.reservation === undefined || this.ledger === undefined || this.settling) return;
    this.settling = true;
    const extra = this.extra();
    const last = [...this.runs].reverse().find((r) => r.row !== undefined);
    if (extra > 0n && last !== undefined) {
      const total = this.closedCharge + extra;
      if (total > this.reserved) await this.grow(total).catch(() => undefined);
      const charge = String(BigInt(last.charge) + extra);
      Object.assign(last, { charge, row: { ...last.row!, charge } });
    }
    // Rides on the project's next admission from this isolate, or goes on its own shortly.
    await pendingSettlements.settle(this.ledger.project, this.ledger.stub, { reservationId: this.reservation.id, runs: this.runs, close: true });
  }

  /** Takes more of the credit into the reservation: at least double, so a search does not ask at every step. */
  private async grow(need: bigint): Promise<void> {
    const more = need - this.reserved > this.reserved ? need - this.reserved : this.reserved;
    if (this.ledger !== undefined && this.reservation !== undefined && (await this.ledger.stub.topUp(this.reservation.id, String(more)))) {
      this.reserved += more;
      return;
    }
    if (this.ledger !== undefined && this.reservation !== undefined && more > need - this.reserved && (await this.ledger.stub.topUp(this.reservation.id, String(need - this.reserved)))) {
      this.reserved = need;
      return;
    }
    throw new ServiceError(402, "insufficient_credit", "the project's credit does not cover this request's next execution (its gas limit at the gas price): ask the operator for credit, or ask for less gas");
  }
}

/** The meter of one run: its executions' gas, and its charge (its kind's price plus that gas). */
export class RunMeter implements ExecMeter {
  gas = 0n;
  /** A fixed price other than its kind's (an answer from a cache). */
  fixed: bigint | undefined;

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

  begin(gasLimit: bigint): Promise<RunLimits> {
    return this.budget.begin(this, gasLimit);
  }

  end(result: TxResult): void {
    this.gas += this.budget.end(result);
  }
}
