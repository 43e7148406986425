import type { Address } from "../primitives/hex.ts";
import { createAddress } from "./address.ts";
import { analyse } from "./analysis.ts";
import type { Context } from "./context.ts";
import { delegationTarget } from "./delegation.ts";
import { Fork } from "./fork.ts";
import { CALL, FRAME_CALL, FRAME_CREATE, REVERT, RUNNING, SUSPEND, type Frame } from "./frame.ts";
import { frameEnd, newFrame, releaseFrame, returnToParent, settleFrame } from "./frames.ts";
import { run } from "./interpreter.ts";
import { runInspected } from "./interpreter-inspected.ts";
import type { Inspector } from "./inspector.ts";
import { CLOCK_TICKS, drawWork, lookAtClock, meter } from "./opcodes/util.ts";
import { precompileCallWork, type WorkBudget } from "./work.ts";
import { MAX_PRECOMPILE_GAS, totalGas } from "./gas-counter.ts";
import { EmptyAccounts, Journal, type JAccount } from "./journal.ts";
import { startCreation } from "./opcodes/system.ts";
import { instructionTable } from "./opcodes/table.ts";
import { watchedTable } from "./opcodes/watched-table.ts";
import { precompileAddresses, precompilesOf } from "./precompiles/index.ts";
import type { Precompile } from "./precompiles/types.ts";
import { applyAuthorizations, recoverAuthority } from "./tx/authorization.ts";
import { blobBaseFee } from "./tx/blob.ts";
import { checkSender, checkStatic, type TxCosts } from "./tx/validate.ts";
import { MISS, type BlockEnv, type ExecStatus, type HaltReason, type Need, type StateSource, type Tx, type TxExecuted, type TxResult } from "./types.ts";

export interface RunOptions {
  source: StateSource;
  tx: Tx;
  block: BlockEnv;
  fork: Fork;
  /** Enforce nonce, fee and balance rules as for an included transaction (default true). */
  validate?: boolean;
  /** Sandbox caps (none by default: Ethereum itself has only gas). */
  limits?: RunLimits;
  /** Watches the run (tracers); a run without one executes the plain, hook-free loop. */
  inspector?: Inspector;
  /**
   * Load the coinbase only when the transaction pays it a tip (or reads it). Ethereum touches it
   * even to pay nothing, which deletes it if it exists empty (EIP-161); a service whose chains
   * never hold such an account can skip that load, which every run would otherwise make.
   */
  lazyCoinbase?: boolean;
  /**
   * The caller does not look at the sender's state changes (a call: its answer is the output,
   * gas and logs). A transaction that moves nothing from its sender (no value, no fee, not a
   * creation, no authorizations, not validated) then starts without loading the sender; its
   * nonce increment applies when the run first looks at the sender, if it does.
   */
  lazySender?: boolean;
  /**
   * The precompiles by address, when not the fork's: eth_simulateV1 moves them
   * (movePrecompileToAddress) or replaces them with code. Their warmth (EIP-2929) stays the fork's.
   */
  precompiles?: ReadonlyMap<Address, Precompile>;
  /**
   * A simulated message (geth's SkipTransactionChecks, eth_simulateV1): the sender may have code
   * (no EIP-3607 check) and the gas limit may pass EIP-7825's cap, even when validating.
   */
  simulation?: boolean;
}

/**
 * Caps that stop the whole run, not one frame: it ends halted with `memory_cap` or `time_cap`
 * (or `trace_cap`, when an inspector asks to stop), all its changes reverted, its gas used
 * counting what it spent until then.
 */
export interface RunLimits {
  /** Memory bytes over all live frames. */
  memoryBytes?: number;
  /**
   * Memory shared with other runs (the runs of one isolate, which live at once across their
   * loads): growth draws from it, frames give it back; when it is spent the run halts with
   * `isolate_memory`. Call `release()` on a run given up before it ended.
   */
  memoryPool?: { left: number };
  /** Epoch ms after which the run stops; checked every 1024 jumps or calls and at each step. */
  deadline?: number;
  /** The clock (default Date.now). In workerd it advances only across I/O, i.e. across loads. */
  now?: () => number;
  /**
   * Work units the run may use (work.ts), decremented as it runs; pass one object to every
   * execution of a request to bound them together. Spent: `time_cap`, whatever the clock says.
   */
  work?: WorkBudget;
}

export type StepResult = { done: true; result: TxResult } | { done: false; needs: Need[] };

const EMPTY = new Uint8Array(0);
const precompileSets = new Map<Fork, ReadonlySet<Address>>();

function precompileSet(fork: Fork): ReadonlySet<Address> {
  let s = precompileSets.get(fork);
  if (s === undefined) precompileSets.set(fork, (s = new Set(precompileAddresses(fork))));
  return s;
}

function emptyAccountRule(fork: Fork): EmptyAccounts {
  if (fork < Fork.SpuriousDragon) return EmptyAccounts.Kept;
  return fork < Fork.Paris ? EmptyAccounts.Touched : EmptyAccounts.OnWrite;
}

/** What the top-level message produced, before refunds and fees. */
interface TopOutcome {
  status: ExecStatus;
  haltReason?: HaltReason;
  gasLeft: bigint;
  output: Uint8Array;
}

/**
 * One transaction as a resumable state machine. `step()` runs synchronously until the
 * transaction ends or needs state its source has not loaded; the driver loads the needs and calls
 * `step()` again. Nothing awaits, and call frames live on an explicit stack.
 */
export class TxRun {
  private readonly journal: Journal;
  private readonly ctx: Context;
  private readonly frames: Frame[] = [];
  /** The inspector has step hooks: the inspected loop runs until it wants no more. */
  private readonly stepping: boolean;
  private authorities: (Address | undefined)[] | undefined;
  private started = false;
  private costs: TxCosts | undefined;
  private createdAddress: Address | undefined;
  private result: TxResult | undefined;

  constructor(private readonly opts: RunOptions) {
    const { source, tx, block, fork } = opts;
    this.journal = new Journal(source, precompileSet(fork), emptyAccountRule(fork));
    this.ctx = {
      fork,
      table: opts.inspector === undefined ? instructionTable(fork) : watchedTable(instructionTable(fork), opts.inspector),
      precompiles: opts.precompiles ?? precompilesOf(fork),
      journal: this.journal,
      block,
      origin: tx.from,
      gasPrice: 0n,
      blobHashes: tx.blobVersionedHashes,
      blobBaseFee: blobBaseFee(block, fork),
      child: null,
      memoryLive: 0,
      memoryCap: opts.limits?.memoryBytes ?? Infinity,
      memoryPool: opts.limits?.memoryPool ?? { left: Infinity },
      ticks: CLOCK_TICKS,
      deadline: opts.limits?.deadline ?? Infinity,
      now: opts.limits?.now ?? Date.now,
      work: opts.limits?.work ?? { left: Infinity },
      workUsed: 0,
      inspector: opts.inspector,
      readsBlock: false,
      abort: undefined,
    };
    const insp = opts.inspector;
    this.stepping = insp !== undefined && hasStepHooks(insp);
  }

  /**
   * Gives what its live frames hold back (a run given up, or ended): their memory to the shared
   * pool, their stacks and limbs to the isolate's pools. A frame's limbs may be one of the few
   * regions of evm.wasm's memory (pool.ts), which a run dropped while suspended would otherwise
   * keep for the isolate's life.
   */
  release(): void {
    for (const f of this.frames) releaseFrame(f);
    this.frames.length = 0;
    this.ctx.memoryPool.left += this.ctx.memoryLive;
    this.ctx.memoryLive = 0;
  }

  step(): StepResult {
    if (this.result !== undefined) return { done: true, result: this.result };
    if (!this.started) {
      const early = this.start();
      if (early === "suspended") return this.suspended();
      if (early !== undefined) return { done: true, result: (this.result = early) };
      if (this.frames.length === 0) throw new Error("TxRun: no frame after start");
    }
    return this.drive();
  }

  private suspended(): StepResult {
    const needs = this.journal.needs;
    this.journal.needs = [];
    return { done: false, needs };
  }

  /** Loads what the transaction touches up front, validates it and starts the top frame. */
  private start(): TxResult | "suspended" | undefined {
    const { tx, block, fork } = this.opts;
    const j = this.journal;
    const validate = this.opts.validate ?? true;
    const simulation = this.opts.simulation ?? false;
    const costs = checkStatic(tx, block, fork, validate, simulation);
    if ("valid" in costs) return costs;
    const deferSender = this.defersSender(costs, validate);
    if (!this.preload(costs, deferSender)) return "suspended";

    const sender = deferSender ? undefined : j.accountWithCode(tx.from)!;
    const bad = sender === undefined ? undefined : checkSender(tx, sender, costs, validate, simulation);
    if (bad !== undefined) return bad;
    this.started = true;
    this.costs = costs;
    this.ctx.gasPrice = costs.effectiveGasPrice;

    if (sender === undefined) j.deferNonceIncrement(tx.from);
    else {
      j.incrementNonce(sender);
      j.setBalance(sender, sender.balance - tx.gasLimit * costs.effectiveGasPrice - costs.blobFee);
    }
    if (fork >= Fork.Shanghai) j.warmAddress(block.coinbase); // EIP-3651
    j.warmAddress(tx.from);
    for (const item of tx.accessList) {
      j.warmAddress(item.address);
      const acc = j.account(item.address)!;
      for (const slot of item.storageKeys) j.warmSlot(acc, slot);
    }
    const gas = tx.gasLimit - costs.intrinsic;
    return tx.to === null ? this.startCreate(sender!, gas) : this.startCall(tx.to, gas);
  }

  /**
   * Whether the sender need not be loaded to start (see RunOptions.lazySender): nothing is taken
   * from it and nothing about it is checked, so only its nonce increment is left, and that can
   * wait until the run looks at the account. A sender the source holds already is not deferred.
   */
  private defersSender(costs: TxCosts, validate: boolean): boolean {
    const { tx, fork } = this.opts;
    return (this.opts.lazySender ?? false) && !validate && senderDeferrable(tx) && costs.effectiveGasPrice === 0n && costs.blobFee === 0n &&
      fork >= Fork.SpuriousDragon && !this.journal.accounts.has(tx.from) && this.journal.source.account(tx.from) === MISS;
  }

  /**
   * Loads every account the transaction itself touches (sender, recipient and the code it may
   * delegate to, coinbase, access list, authorities and their targets); false while some miss.
   */
  private preload(costs: TxCosts, deferSender: boolean): boolean {
    const { tx, block } = this.opts;
    const j = this.journal;
    const wanted: Address[] = this.paysCoinbase(costs) ? [block.coinbase] : [];
    for (const item of tx.accessList) wanted.push(item.address);
    let ok = true;
    for (const a of wanted) ok = j.account(a) !== undefined && ok;
    const withCode: Address[] = deferSender ? [] : [tx.from];
    if (tx.to !== null) withCode.push(tx.to);
    if (tx.authorizationList.length > 0) {
      this.authorities ??= tx.authorizationList.map(recoverAuthority);
      for (const a of this.authorities) if (a !== undefined) withCode.push(a);
      for (const auth of tx.authorizationList) withCode.push(auth.address);
    }
    for (const a of withCode) ok = j.accountWithCode(a) !== undefined && ok;
    if (!ok) return false;
    if (tx.to === null) return j.account(createAddress(tx.from, j.accounts.get(tx.from)!.nonce)) !== undefined;
    const delegate = this.opts.fork >= Fork.Prague ? delegationTarget(j.accounts.get(tx.to)!.code!) : undefined;
    return delegate === undefined || j.accountWithCode(delegate) !== undefined;
  }

  /** Whether the coinbase must be loaded to be paid (always, unless lazyCoinbase and no tip). */
  private paysCoinbase(costs: TxCosts): boolean {
    // Before EIP-161 (Spurious Dragon) the fee is written even when it is zero, creating the account.
    return !this.opts.lazyCoinbase || costs.effectiveGasPrice !== costs.burnPerGas || this.opts.fork < Fork.SpuriousDragon;
  }

  private startCreate(sender: JAccount, gas: bigint): TxResult | undefined {
    const { tx, fork } = this.opts;
    const j = this.journal;
    const address = createAddress(tx.from, sender.nonce - 1n);
    this.createdAddress = address;
    j.warmAddress(address);
    const acc = j.account(address)!;
    const insp = this.ctx.inspector;
    insp?.enter?.({ kind: "CREATE", from: tx.from, to: address, value: tx.value, gas, input: tx.data, depth: 0 });
    if (acc.blocksCreation()) {
      insp?.exit?.({ status: "halted", haltReason: "create_collision", early: "create_collision", output: EMPTY, gasLeft: 0n });
      return this.finish({ status: "halted", haltReason: "create_collision", gasLeft: 0n, output: EMPTY });
    }
    const checkpoint = j.checkpoint();
    startCreation(j, fork, acc);
    if (tx.value !== 0n) j.transfer(sender, acc, tx.value);
    this.frames.push(newFrame(this.ctx, FRAME_CREATE, analyse(tx.data), gas, tx.from, acc, tx.value, EMPTY, false, 0, checkpoint));
    return undefined;
  }

  private startCall(to: Address, gas: bigint): TxResult | undefined {
    const { tx, block, fork } = this.opts;
    const j = this.journal;
    j.warmAddress(to);
    // Authorizations apply before the top frame's checkpoint: a reverted call keeps them.
    if (tx.type === 4) {
      const refund = applyAuthorizations(j, tx.authorizationList, this.authorities!, block.chainId);
      if (refund !== 0) j.addRefund(refund);
    }
    const target = j.accountWithCode(to)!;
    const delegate = fork >= Fork.Prague ? delegationTarget(target.code!) : undefined;
    let runAcc = target;
    if (delegate !== undefined) {
      j.warmAddress(delegate);
      runAcc = j.accountWithCode(delegate)!;
    }
    const checkpoint = j.checkpoint();
    // Before Paris a message to an account that does not exist creates it, empty.
    if (fork < Fork.Paris) j.materialize(target);
    if (tx.value !== 0n) j.transfer(j.accounts.get(tx.from)!, target, tx.value);
    const insp = this.ctx.inspector;
    insp?.enter?.({ kind: "CALL", from: tx.from, to, value: tx.value, gas, input: tx.data, depth: 0 });
    const precompile = delegate === undefined ? this.ctx.precompiles.get(to) : undefined;
    if (precompile !== undefined) {
      const r = precompile(tx.data, gas > BigInt(MAX_PRECOMPILE_GAS) ? MAX_PRECOMPILE_GAS : Number(gas), fork);
      let top: TopOutcome = r !== null ? { status: "success", gasLeft: gas - BigInt(r.gasUsed), output: r.output } : { status: "halted", haltReason: "precompile_failure", gasLeft: 0n, output: EMPTY };
      if (!drawWork(this.ctx, precompileCallWork(precompile, r === null ? null : r.gasUsed, Number(gas)))) top = { status: "halted", haltReason: "time_cap", gasLeft: top.gasLeft, output: EMPTY };
      if (top.status !== "success") j.revert(checkpoint);
      else j.touch(target);
      insp?.exit?.({ ...top, early: r === null ? "precompile_failure" : undefined });
      return this.finish(top);
    }
    if (runAcc.code!.length === 0) {
      j.touch(target);
      insp?.exit?.({ status: "success", output: EMPTY, gasLeft: gas });
      return this.finish({ status: "success", gasLeft: gas, output: EMPTY });
    }
    const code = analyse(runAcc.code!, runAcc.codeHash);
    this.frames.push(newFrame(this.ctx, FRAME_CALL, code, gas, tx.from, target, tx.value, tx.data, false, 0, checkpoint));
    return undefined;
  }

  /** Runs frames until the top one finishes or the run needs state. */
  private drive(): StepResult {
    const frames = this.frames;
    if (!lookAtClock(frames[frames.length - 1])) return this.aborted();
    for (;;) {
      const f = frames[frames.length - 1];
      f.status = RUNNING;
      const insp = this.ctx.inspector;
      if (!this.stepping || insp!.stepsDone === true) run(f);
      else {
        runInspected(f, insp!);
        // It returns a running frame when the inspector wants no more steps.
        if (f.status === RUNNING) run(f);
      }
      // An inspector run in the plain loop has its cap looked at between frames.
      if (insp?.stop !== undefined && this.ctx.abort === undefined) this.ctx.abort = insp.stop;
      if (this.ctx.abort !== undefined) return this.aborted();
      if (f.status === SUSPEND) return this.suspended();
      if (f.status === CALL) {
        frames.push(this.ctx.child!);
        this.ctx.child = null;
        continue;
      }
      if (!meter(f)) return this.aborted();
      const ok = settleFrame(f);
      if (ok) this.journal.touch(f.account);
      this.ctx.inspector?.exit?.(frameEnd(f, ok));
      frames.pop();
      if (frames.length === 0) {
        this.result = this.finish(outcomeOf(f, ok));
        releaseFrame(f);
        return { done: true, result: this.result };
      }
      returnToParent(frames[frames.length - 1], f, ok);
    }
  }

  /** A sandbox cap stopped the run: unwind every frame, revert all it did, keep the gas it spent. */
  private aborted(): StepResult {
    const frames = this.frames;
    let gasLeft = 0n;
    for (const f of frames) gasLeft += totalGas(f);
    const reason = this.ctx.abort ?? "time_cap";
    const insp = this.ctx.inspector;
    if (insp?.exit !== undefined) for (let i = frames.length - 1; i >= 0; i--) insp.exit({ status: "halted", haltReason: reason, output: EMPTY, gasLeft: 0n });
    this.journal.revert(frames[0].checkpoint);
    for (const f of frames) releaseFrame(f);
    frames.length = 0;
    this.result = this.finish({ status: "halted", haltReason: reason, gasLeft, output: EMPTY });
    return { done: true, result: this.result };
  }

  /**
   * Refunds (capped at a half, a fifth since EIP-3529), the EIP-7623 floor, fees to the
   * coinbase, self-destructed accounts, and (EIP-161) touched accounts left empty.
   */
  private finish(top: TopOutcome): TxExecuted {
    const { tx, block, fork } = this.opts;
    const j = this.journal;
    const costs = this.costs!;
    const usedBeforeRefund = tx.gasLimit - top.gasLeft;
    // A failed top frame reverted its own refunds; what remains is the authorization refund.
    const counter = BigInt(j.refund);
    const cap = usedBeforeRefund / (fork >= Fork.London ? 5n : 2n);
    const refund = counter < cap ? counter : cap;
    let used = usedBeforeRefund - refund;
    if (used < costs.floor) used = costs.floor;
    // Not loaded: deferred (nothing to give back at a price of zero) and never looked at.
    const sender = j.accounts.get(tx.from);
    if (sender !== undefined) j.setBalance(sender, sender.balance + (tx.gasLimit - used) * costs.effectiveGasPrice);
    const coinbase = j.accounts.get(block.coinbase);
    const fee = used * (costs.effectiveGasPrice - costs.burnPerGas);
    // Not loaded: lazyCoinbase and no tip, and the transaction never looked at it.
    if (coinbase !== undefined) {
      if (coinbase.balance + fee !== 0n || fork < Fork.SpuriousDragon) j.setBalance(coinbase, coinbase.balance + fee);
      else if (coinbase.exists && coinbase.isEmpty()) j.destroy(coinbase);
    }
    for (const address of j.destructs) j.destroy(j.accounts.get(address)!);
    // A failed transaction touched nothing; RIPEMD-160's touch too is forgotten then.
    if (top.status === "success") j.destroyTouched();
    return {
      valid: true,
      status: top.status,
      haltReason: top.haltReason,
      gasUsed: used,
      gasRefunded: refund,
      gasSpent: usedBeforeRefund,
      work: this.ctx.workUsed,
      output: top.output,
      logs: j.logs,
      createdAddress: this.createdAddress,
      changes: j.changes(),
      readsBlock: this.ctx.readsBlock,
    };
  }
}

/** An inspector that watches only calls and logs needs no per-step hook: the plain loop serves it. */
function hasStepHooks(insp: Inspector): boolean {
  return insp.step !== undefined || insp.stepEnd !== undefined || insp.stepAbandoned !== undefined;
}

function outcomeOf(f: Frame, ok: boolean): TopOutcome {
  // A creation's output is the code it deployed (what geth answers for a call without `to`).
  if (ok) return { status: "success", gasLeft: totalGas(f), output: f.output };
  if (f.status === REVERT) return { status: "reverted", gasLeft: totalGas(f), output: f.output };
  return { status: "halted", haltReason: f.haltReason, gasLeft: 0n, output: EMPTY };
}

/** Runs a transaction against a fully loaded source. */
export function runTxSync(opts: RunOptions): TxResult {
  const run = new TxRun(opts);
  let r: StepResult;
  try {
    r = run.step();
  } finally {
    // Ended or not, nothing of it runs again: its frames go back to the pools (TxRun.release).
    run.release();
  }
  if (!r.done) throw new Error(`runTxSync: the state source is missing ${JSON.stringify(r.needs, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v))}`);
  return r.result;
}

/**
 * Whether a run with `lazySender` may start without its sender (as far as the transaction alone
 * tells: the run also needs a fee of zero at its block and an unvalidated run).
 */
export function senderDeferrable(tx: Tx): boolean {
  return tx.to !== null && tx.value === 0n && tx.type !== 4 && !(tx.gasPrice ?? tx.maxFeePerGas ?? 0n) && tx.blobVersionedHashes.length === 0;
}

/** What a transaction surely touches: load these before the first step to save round trips. */
export function txPrefetch(tx: Tx, block: BlockEnv, lazyCoinbase = false, lazySender = false): Need[] {
  // A sender the run may defer (RunOptions.lazySender) is left to the run; it asks if it must.
  const needs: Need[] = lazySender && senderDeferrable(tx) ? [] : [
    { kind: "account", address: tx.from },
    { kind: "code", address: tx.from },
  ];
  if (!lazyCoinbase) needs.push({ kind: "account", address: block.coinbase });
  if (tx.to !== null) needs.push({ kind: "account", address: tx.to }, { kind: "code", address: tx.to });
  for (const item of tx.accessList) needs.push({ kind: "account", address: item.address });
  return needs;
}
