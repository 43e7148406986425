import type { Frame } from "../frame.ts";
import { andInto, byteAt, compareLimbs, compareSignedLimbs, limbsFirst, limbsFirstBitwise, limbsOf, notAt, orInto, settle, shlAt, shrAt, xorInto } from "../limbs.ts";
import { LIMBS, MAX_SMALL, setWord, WIDE, wordAt } from "../stack.ts";
import { POW2, POW2_N, SHIFTS } from "./powers.ts";
import { andLow } from "../../primitives/word-bytes.ts";
import { MASK160, MASK256, SIGN_BIT } from "./util.ts";

// Small words first (stack.ts); a small word is below any wide one, and never negative as signed.

const TWO_32 = 4294967296;
const TWO_256 = 1n << 256n;

/** Unsigned comparison of two wide slots (marks `m`, `n`): by bigint when both have one, else by limbs. */
function compareWide(f: Frame, i: number, m: number, j: number, n: number): number {
  if (m !== LIMBS && n !== LIMBS) {
    const x = f.wide[i], y = f.wide[j];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  limbsOf(f, i);
  limbsOf(f, j);
  return compareLimbs(f.limbs, 8 * i, 8 * j);
}

/** Signed comparison of two slots, one of them held as limbs only. */
function compareSigned(f: Frame, i: number, j: number): number {
  limbsOf(f, i);
  limbsOf(f, j);
  return compareSignedLimbs(f.limbs, 8 * i, 8 * j);
}

/** Signed a < b, bigint words. */
function signedLess(a: bigint, b: bigint): boolean {
  const an = a >= SIGN_BIT, bn = b >= SIGN_BIT;
  return an === bn ? a < b : an;
}

export function lt(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0 && b >= 0) s[sp - 1] = a < b ? 1 : 0;
  else s[sp - 1] = a >= 0 ? 1 : b >= 0 ? 0 : compareWide(f, sp, a, sp - 1, b) < 0 ? 1 : 0;
}

export function gt(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0 && b >= 0) s[sp - 1] = a > b ? 1 : 0;
  else s[sp - 1] = b >= 0 ? 1 : a >= 0 ? 0 : compareWide(f, sp, a, sp - 1, b) > 0 ? 1 : 0;
}

export function slt(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0 && b >= 0) s[sp - 1] = a < b ? 1 : 0;
  else if (a === LIMBS || b === LIMBS) s[sp - 1] = compareSigned(f, sp, sp - 1) < 0 ? 1 : 0;
  else s[sp - 1] = signedLess(wordAt(f, sp), wordAt(f, sp - 1)) ? 1 : 0;
}

export function sgt(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0 && b >= 0) s[sp - 1] = a > b ? 1 : 0;
  else if (a === LIMBS || b === LIMBS) s[sp - 1] = compareSigned(f, sp, sp - 1) > 0 ? 1 : 0;
  else s[sp - 1] = signedLess(wordAt(f, sp - 1), wordAt(f, sp)) ? 1 : 0;
}

export function eq(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  // Canonical forms: a small word never equals a wide one.
  if (a >= 0 || b >= 0) s[sp - 1] = a === b ? 1 : 0;
  else s[sp - 1] = compareWide(f, sp, a, sp - 1, b) === 0 ? 1 : 0;
}

export function iszero(f: Frame): void {
  const s = f.stack, i = f.sp - 1;
  s[i] = s[i] === 0 ? 1 : 0;
}

// Bitwise operators on doubles see only 32 bits: a small word is split into its high 21 and low
// 32 bits.

export function and(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0 && b >= 0) s[sp - 1] = (Math.floor(a / TWO_32) & Math.floor(b / TWO_32)) * TWO_32 + ((a & b) >>> 0);
  // With one word small, so is the result, from the wide word's low 64 bits: no BigInt.
  else if (a >= 0) s[sp - 1] = andSmall(f, sp - 1, b, a);
  else if (b >= 0) s[sp - 1] = andSmall(f, sp, a, b);
  else {
    if (a !== LIMBS && b !== LIMBS) {
      // Solidity masks every address it reads with 2^160 - 1, which leaves any address as it is.
      const x = f.wide[sp], y = f.wide[sp - 1];
      if (y === MASK160 && x <= MASK160) {
        s[sp - 1] = WIDE;
        f.wide[sp - 1] = x;
        return;
      }
      if (x === MASK160 && y <= MASK160) return;
      if (!limbsFirst(a, b)) {
        setWord(f, sp - 1, x & y);
        return;
      }
    }
    limbsOf(f, sp);
    limbsOf(f, sp - 1);
    andInto(f.limbs, 8 * sp, 8 * (sp - 1));
    settle(f, sp - 1);
  }
}

/** The wide word at `i` (mark `m`) AND a small one. */
function andSmall(f: Frame, i: number, m: number, n: number): number {
  if (m === WIDE) return andLow(f.wide[i], n);
  const l = f.limbs, o = 8 * i;
  return (l[o + 1] & Math.floor(n / TWO_32)) * TWO_32 + ((l[o] & n) >>> 0);
}

export function or(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0 && b >= 0) s[sp - 1] = (Math.floor(a / TWO_32) | Math.floor(b / TWO_32)) * TWO_32 + ((a | b) >>> 0);
  else if (limbsFirstBitwise(a, b)) {
    limbsOf(f, sp);
    limbsOf(f, sp - 1);
    orInto(f.limbs, 8 * sp, 8 * (sp - 1));
    settle(f, sp - 1);
  } else setWord(f, sp - 1, wordAt(f, sp) | wordAt(f, sp - 1));
}

export function xor(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0 && b >= 0) s[sp - 1] = (Math.floor(a / TWO_32) ^ Math.floor(b / TWO_32)) * TWO_32 + ((a ^ b) >>> 0);
  else if (limbsFirstBitwise(a, b)) {
    limbsOf(f, sp);
    limbsOf(f, sp - 1);
    xorInto(f.limbs, 8 * sp, 8 * (sp - 1));
    settle(f, sp - 1);
  } else setWord(f, sp - 1, wordAt(f, sp) ^ wordAt(f, sp - 1));
}

export function not(f: Frame): void {
  const i = f.sp - 1;
  if (f.stack[i] === WIDE) setWord(f, i, MASK256 ^ f.wide[i]);
  else {
    limbsOf(f, i);
    notAt(f.limbs, 8 * i);
    settle(f, i);
  }
}

export function byte(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const i = s[sp], x = s[sp - 1];
  if (i < 0 || i >= 32) s[sp - 1] = 0;
  else if (x >= 0) s[sp - 1] = i < 25 ? 0 : Math.floor(x / POW2[8 * (31 - i)]) % 256;
  else if (x <= LIMBS) s[sp - 1] = byteAt(f.limbs, 8 * (sp - 1), i);
  else s[sp - 1] = Number((f.wide[sp - 1] >> SHIFTS[8 * (31 - i)]) & 0xffn);
}

// A small word times 2^k is exact as a double (only its exponent grows): below 2^256 it converts
// to a bigint in one step, with no shift and no mask.
const TWO_256_N = 2 ** 256;
/**
 * The last such result: contracts build the same constants again and again (Solidity's address
 * mask is `shl(160, 1)` minus 1 at every use), and a bigint is immutable, so it is shared.
 */
let lastShl = -1;
let lastShlWord = 0n;

export function shl(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const k = s[sp], x = s[sp - 1];
  if (k < 0 || k >= 256) s[sp - 1] = 0;
  else if (x >= 0) {
    const r = x * POW2[k];
    if (r <= MAX_SMALL) s[sp - 1] = r;
    else if (x === 1) {
      s[sp - 1] = WIDE;
      f.wide[sp - 1] = POW2_N[k];
    } else if (r < TWO_256_N) {
      s[sp - 1] = WIDE;
      f.wide[sp - 1] = r === lastShl ? lastShlWord : (lastShlWord = BigInt((lastShl = r)));
    } else setWord(f, sp - 1, (BigInt(x) << SHIFTS[k]) & MASK256);
  } else if (x <= LIMBS) {
    shlAt(f.limbs, 8 * (sp - 1), k);
    settle(f, sp - 1);
  } else setWord(f, sp - 1, (f.wide[sp - 1] << SHIFTS[k]) & MASK256);
}

export function shr(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const k = s[sp], x = s[sp - 1];
  if (k < 0 || k >= 256) s[sp - 1] = 0;
  else if (x >= 0) s[sp - 1] = k < 53 ? Math.floor(x / POW2[k]) : 0;
  else if (x <= LIMBS) {
    shrAt(f.limbs, 8 * (sp - 1), k);
    settle(f, sp - 1);
  } else setWord(f, sp - 1, f.wide[sp - 1] >> SHIFTS[k]);
}

export function sar(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const k = s[sp], x = s[sp - 1];
  if (x >= 0) s[sp - 1] = k >= 0 && k < 53 ? Math.floor(x / POW2[k]) : 0;
  else {
    const w = wordAt(f, sp - 1);
    if (w < SIGN_BIT) setWord(f, sp - 1, k >= 0 && k < 256 ? w >> SHIFTS[k] : 0n);
    else setWord(f, sp - 1, k >= 0 && k < 256 ? ((w - TWO_256) >> SHIFTS[k]) & MASK256 : MASK256);
  }
}

/** CLZ (EIP-7939, Osaka): leading zero bits; 256 for zero. */
export function clz(f: Frame): void {
  const s = f.stack, i = f.sp - 1;
  const x = s[i];
  if (x >= TWO_32) s[i] = 224 - (32 - Math.clz32(Math.floor(x / TWO_32)));
  else if (x >= 0) s[i] = 256 - (32 - Math.clz32(x));
  else s[i] = 256 - wordAt(f, i).toString(2).length;
}
