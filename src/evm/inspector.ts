import type { Address } from "../primitives/hex.ts";
import type { Frame } from "./frame.ts";
import type { ExecStatus, HaltReason, Log } from "./types.ts";

/** The kinds of message a call tree holds, named as geth's call tracer names them. */
export type CallKind = "CALL" | "CALLCODE" | "DELEGATECALL" | "STATICCALL" | "CREATE" | "CREATE2" | "SELFDESTRUCT";

/** A message as it starts: before any value moves or code runs. */
export interface CallStart {
  kind: CallKind;
  from: Address;
  /** For a creation: the address being created. */
  to: Address;
  value: bigint;
  gas: bigint;
  input: Uint8Array;
  /** 0 for the transaction's own message. */
  depth: number;
}

/** How a message ended; what it spent is the `gas` of its start minus `gasLeft`. */
export interface CallEnd {
  status: ExecStatus;
  haltReason?: HaltReason;
  /** Why a message failed before running any code (geth's errors of evm.Call). */
  early?: "call_depth_exceeded" | "insufficient_balance" | "create_collision" | "nonce_overflow" | "precompile_failure";
  output: Uint8Array;
  gasLeft: bigint;
}

/**
 * Watches a run, as revm's Inspector does. With no inspector the interpreter runs its plain loop,
 * which has no hook at all; with step hooks, it runs a copy of the loop that calls `step` and
 * `stepEnd` around each instruction; an inspector that only `watch`es a few opcodes keeps the
 * plain loop. Calls, creations, logs and selfdestructs are reported from the few
 * places that handle them, behind one `ctx.inspector !== undefined` test.
 *
 * Every message reported by `enter` is closed by exactly one `exit`, in nesting order, also for
 * calls that run no code (precompiles, accounts without code, failed depth or balance checks).
 */
export interface Inspector {
  /** Before the instruction at `f.pc` runs (before its stack and gas checks). */
  step?(f: Frame): void;
  /** After it ran in this frame (a call it starts has taken its gas; its callee has not run). */
  stepEnd?(f: Frame): void;
  /** The instruction of the last `step` stopped to load state and will run again: forget it. */
  stepAbandoned?(f: Frame): void;
  /**
   * Opcodes `watch` is called for, as each instruction of them is about to run: its stack and
   * static gas checked, `f.pc` past its opcode. An instruction that waits for state is watched
   * again when it runs again. Cheaper than `step`: without step hooks the interpreter keeps its
   * plain loop and wraps only these instructions (opcodes/watched-table.ts). Read once per run.
   */
  readonly watched?: ReadonlySet<number>;
  watch?(f: Frame, op: number): void;
  /**
   * Set once the inspector wants no more step hooks in this run (a struct logger past its step
   * limit): the run goes on in the plain loop, its other hooks still called.
   */
  readonly stepsDone?: boolean;
  enter?(call: CallStart): void;
  exit?(end: CallEnd): void;
  /** A log was emitted; `index` is its position among the transaction's logs that still stand. */
  log?(log: Log, depth: number, index: number): void;
  /**
   * Set once the inspector's output passed its cap (any hook may find that out): the run ends
   * halted with `trace_cap` before its next instruction, like the other caps of `RunLimits`.
   */
  readonly stop?: "trace_cap";
}
