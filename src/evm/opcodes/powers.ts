import type { Frame } from "../frame.ts";
import { limbsExponent } from "../limbs.ts";
import { LIMBS } from "../stack.ts";

/** 2^k as a number, k as a bigint (a shift allocates no count) and 2^k as a bigint, k = 0..255. */
export const POW2: number[] = [];
export const SHIFTS: bigint[] = [];
const POW2_N: bigint[] = [];
for (let k = 0; k < 256; k++) {
  POW2.push(2 ** k);
  SHIFTS.push(BigInt(k));
  POW2_N.push(1n << BigInt(k));
}

/**
 * k when the stack word at `i` is 2^k, else -1. Compilers multiply and divide by powers of two
 * where they mean shifts (sha1_divs, Solidity's packed fields); a BigInt shift costs a sixth of
 * a division. A double holds every power of two exactly, so log2 of the word's nearest double
 * is the only candidate (log2 rounds too: 2^53 - 1 gives 53), checked against the exact power.
 */
export function exponentOf(f: Frame, i: number): number {
  const n = f.stack[i];
  if (n >= 0) {
    const k = Math.log2(n);
    return Number.isInteger(k) && POW2[k] === n ? k : -1;
  }
  if (n <= LIMBS) return limbsExponent(f.limbs, 8 * i);
  const w = f.wide[i];
  const k = Math.log2(Number(w));
  return Number.isInteger(k) && w === POW2_N[k] ? k : -1;
}
