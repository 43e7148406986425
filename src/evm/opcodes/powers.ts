import type { Frame } from "../frame.ts";
import { limbsExponent } from "../limbs.ts";
import { LIMBS } from "../stack.ts";

/**
 * 2^k as a number, k as a bigint (a shift allocates no count), 2^k and 2^k - 1 as bigints,
 * k = 0..255: Solidity builds its masks as `shl(k, 1)` minus 1 at every use (address, uint128).
 */
export const POW2: number[] = [];
export const SHIFTS: bigint[] = [];
export const POW2_N: bigint[] = [];
export const ONES_N: bigint[] = [];
for (let k = 0; k < 256; k++) {
  POW2.push(2 ** k);
  SHIFTS.push(BigInt(k));
  POW2_N.push(1n << BigInt(k));
  ONES_N.push((1n << BigInt(k)) - 1n);
}

/** k when the bigint `w` is 2^k, else -1: the only candidate is log2 of its nearest double. */
export function wideExponent(w: bigint): number {
  const k = Math.log2(Number(w));
  return Number.isInteger(k) && k < 256 && w === POW2_N[k] ? k : -1;
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
  return wideExponent(f.wide[i]);
}
