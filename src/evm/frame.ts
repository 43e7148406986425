import type { Address } from "../primitives/hex.ts";
import type { AnalysedCode } from "./analysis.ts";
import type { Context } from "./context.ts";
import type { JAccount } from "./journal.ts";
import { takeMemory } from "./memory.ts";
import { NO_LIMBS } from "./pool.ts";
import type { HaltReason } from "./types.ts";

/** Why a frame's loop stopped. RUNNING while it executes. */
export const RUNNING = 0;
export const STOP = 1;
export const RETURN = 2;
export const REVERT = 3;
export const HALT = 4;
/** Waiting for state the source did not have loaded; the same instruction runs again on resume. */
export const SUSPEND = 5;
/** Waiting for the child frame in `ctx.child` to finish. */
export const CALL = 6;

export const FRAME_CALL = 0;
export const FRAME_CREATE = 1;

const EMPTY = new Uint8Array(0);

/** One message call or contract creation: its code, stack, memory and gas. */
export class Frame {
  pc = 0;
  /** Gas above 2^52 (see gas-counter.ts); almost always 0n. */
  gasHi = 0n;
  sp = 0;
  status = RUNNING;
  haltReason: HaltReason | undefined = undefined;
  readonly memory = takeMemory();
  /**
   * Eight 32-bit limbs per stack slot, for wide words held as limbs (stack.ts, limbs.ts): empty
   * until the frame first holds one (`ensureLimbs`); a LIMBS or BOTH mark means it has them.
   */
  limbs: Int32Array = NO_LIMBS;
  /** Where `limbs` starts in evm.wasm's memory (bytes), for MULMOD's kernel; -1 when elsewhere. */
  limbsAt = -1;
  /** Output of the last call this frame made (RETURNDATASIZE/COPY). */
  returnData: Uint8Array = EMPTY;
  /** What this frame returns or reverts with. */
  output: Uint8Array = EMPTY;
  /** Where the parent wants this frame's output copied (CALL family). */
  retOffset = 0;
  retSize = 0;
  /**
   * The work meter's mark: `workMark - gas` is the gas this frame consumed since its last charge.
   * Gas lent to a callee leaves both, gas coming back enters both (see work.ts).
   */
  workMark = 0;

  constructor(
    readonly ctx: Context,
    readonly kind: number,
    readonly code: AnalysedCode,
    public gas: number,
    /** Small words, and a mark where `wide` or `limbs` holds the word (stack.ts). */
    readonly stack: Float64Array,
    readonly wide: bigint[],
    /** msg.sender */
    readonly caller: Address,
    /** The account whose storage and balance this frame acts on. */
    readonly address: Address,
    readonly account: JAccount,
    readonly value: bigint,
    readonly input: Uint8Array,
    readonly isStatic: boolean,
    readonly depth: number,
    /** Journal position to revert to when this frame fails. */
    readonly checkpoint: number,
  ) {}
}
