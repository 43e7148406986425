import { bigIntToAddress, type Address } from "../primitives/hex.ts";
import type { Frame } from "./frame.ts";
import { limbsToBigint } from "./limbs.ts";

/**
 * The operand stack holds each word in one of two forms. A word below 2^53 is a plain number in
 * `Frame.stack` (a Float64Array: reading, writing and arithmetic allocate nothing); a larger one
 * is marked negative there: WIDE, the bigint at the same index of `Frame.wide` (or LIMBS or
 * BOTH, below). The form is canonical: a wide slot always holds a value of 2^53 or more, so a
 * small word never equals a wide one, and a wide offset or size is beyond any memory, data or
 * code. Every write of a bigint goes through `setWord`, and of limbs through `settle`
 * (limbs.ts), which pick the form; only DUP and SWAP move wide entries as they are.
 */
export const WIDE = -1;
/**
 * A wide word may instead be held as eight 32-bit limbs, least significant first, at `8 * i` of
 * `Frame.limbs` (limbs.ts): LIMBS marks a slot whose limbs alone hold it, BOTH one whose limbs
 * and bigint are both valid. Words read from memory, code and limb arithmetic stay limbs, so
 * bitwise, shift, add and multiply chains allocate no BigInt; a bigint is made only where an
 * instruction needs one (`wordAt`), and kept (the slot becomes BOTH). A slot holds a bigint when
 * its mark is WIDE or BOTH (`!== LIMBS`), limbs when it is LIMBS or BOTH (`<= LIMBS`).
 */
export const LIMBS = -2;
export const BOTH = -3;
/** The largest small word, 2^53 - 1: any integer up to it is exact in a double. */
export const MAX_SMALL = Number.MAX_SAFE_INTEGER;
const MAX_SMALL_N = BigInt(MAX_SMALL);
/** What a wide word counts as where only its size matters: beyond any offset or size a run can pay for. */
export const BEYOND = 2 ** 62;

/** The word at stack index `i`, as a bigint. */
export function wordAt(f: Frame, i: number): bigint {
  const n = f.stack[i];
  return n >= 0 ? (n < 256 ? BYTES_N[n] : BigInt(n)) : n !== LIMBS ? f.wide[i] : bigintOfSlot(f, i);
}

/** A LIMBS slot's bigint, made once: the slot keeps both. */
function bigintOfSlot(f: Frame, i: number): bigint {
  const v = limbsToBigint(f.limbs, 8 * i);
  f.wide[i] = v;
  f.stack[i] = BOTH;
  return v;
}

/** Words below 256 as bigints: the small operands of wide arithmetic (1, 32, a shift) allocate nothing. */
const BYTES_N = Array.from({ length: 256 }, (_, n) => BigInt(n));

/** The word at stack index `i` as a number: exact when small, BEYOND when wide. */
export function smallAt(f: Frame, i: number): number {
  const n = f.stack[i];
  return n >= 0 ? n : BEYOND;
}

/** Stores a bigint word (0 <= v < 2^256) at index `i`, in its canonical form. */
export function setWord(f: Frame, i: number, v: bigint): void {
  if (v <= MAX_SMALL_N) f.stack[i] = Number(v);
  else {
    f.stack[i] = WIDE;
    f.wide[i] = v;
  }
}

export function pushWord(f: Frame, v: bigint): void {
  setWord(f, f.sp++, v);
}

/** The stack as bigints, bottom first (tests and debugging). */
export function stackWords(f: Frame): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < f.sp; i++) out.push(wordAt(f, i));
  return out;
}

/** The address a stack word names: its low 160 bits. */
export function addressAt(f: Frame, i: number): Address {
  return bigIntToAddress(wordAt(f, i));
}
