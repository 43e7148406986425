import type { Frame } from "./frame.ts";
import { giveLimbs } from "./pool.ts";
import { BOTH, LIMBS, WIDE } from "./stack.ts";

/**
 * Wide stack words as eight 32-bit limbs (stack.ts: LIMBS and BOTH slots), least significant
 * first, at `8 * i` of `Frame.limbs`. An Int32Array element is an int32 in V8's compiled code:
 * AND, OR, XOR, shifts, and additions with carry on limbs allocate nothing, where every BigInt
 * result is an allocation (25-50 ns). Converting between forms costs about what the BigInt
 * operations it would spare, so a word changes form only where an instruction needs the other.
 */

const TWO_32 = 4294967296;

// 64-bit pieces go between bigints and limbs through one BigUint64Array element seen as two
// 32-bit halves (the halves' order is the platform's).
const piece = new BigUint64Array(1);
const halves = new Uint32Array(piece.buffer);
const LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;
const MASK64 = 0xffffffffffffffffn;
const MASK128 = (1n << 128n) - 1n;
const MASK192 = (1n << 192n) - 1n;

function pieceOf(l: Int32Array, o: number): bigint {
  halves[LO] = l[o];
  halves[HI] = l[o + 1];
  return piece[0];
}

/** The word whose limbs are at `o`, built from only its non-zero 64-bit pieces above the lowest. */
export function limbsToBigint(l: Int32Array, o: number): bigint {
  // A negative number (as signed: snailtracer's fixed point) from its magnitude, which has fewer
  // non-zero pieces: one subtraction instead of up to nine operations.
  if (l[o + 7] === -1) {
    const m = MAGNITUDE;
    for (let k = 0; k < 8; k++) m[k] = l[o + k];
    negate(m, 0);
    return TWO_256 - positiveToBigint(m, 0);
  }
  return positiveToBigint(l, o);
}

const MAGNITUDE = new Int32Array(8);
const TWO_256 = 1n << 256n;

/** Limbs at `o` := 2^256 - limbs (two's complement negation). */
function negate(l: Int32Array, o: number): void {
  let c = 1;
  for (let k = 0; k < 8; k++) {
    const t = (~l[o + k] >>> 0) + c;
    l[o + k] = t | 0;
    c = t >= TWO_32 ? 1 : 0;
  }
}

function positiveToBigint(l: Int32Array, o: number): bigint {
  let w = pieceOf(l, o);
  if ((l[o + 2] | l[o + 3]) !== 0) w |= pieceOf(l, o + 2) << 64n;
  if ((l[o + 4] | l[o + 5]) !== 0) w |= pieceOf(l, o + 4) << 128n;
  if ((l[o + 6] | l[o + 7]) !== 0) w |= pieceOf(l, o + 6) << 192n;
  return w;
}

/** Writes the limbs of `x` (0 <= x < 2^256) at `o`. */
export function bigintToLimbs(l: Int32Array, o: number, x: bigint): void {
  piece[0] = x;
  l[o] = halves[LO];
  l[o + 1] = halves[HI];
  if (x <= MASK64) {
    l[o + 2] = l[o + 3] = l[o + 4] = l[o + 5] = l[o + 6] = l[o + 7] = 0;
    return;
  }
  piece[0] = x >> 64n;
  l[o + 2] = halves[LO];
  l[o + 3] = halves[HI];
  if (x <= MASK128) {
    l[o + 4] = l[o + 5] = l[o + 6] = l[o + 7] = 0;
    return;
  }
  piece[0] = x >> 128n;
  l[o + 4] = halves[LO];
  l[o + 5] = halves[HI];
  if (x <= MASK192) {
    l[o + 6] = l[o + 7] = 0;
    return;
  }
  piece[0] = x >> 192n;
  l[o + 6] = halves[LO];
  l[o + 7] = halves[HI];
}

/** Writes the limbs of a small word (0 <= n < 2^53) at `o`. */
export function numberToLimbs(l: Int32Array, o: number, n: number): void {
  l[o] = n >>> 0;
  l[o + 1] = Math.floor(n / TWO_32);
  l[o + 2] = l[o + 3] = l[o + 4] = l[o + 5] = l[o + 6] = l[o + 7] = 0;
}

/**
 * Makes the limbs of stack slot `i` valid at `8 * i` without changing its mark: an operand about
 * to be consumed, or the slot a result will replace.
 */
export function limbsOf(f: Frame, i: number): void {
  const n = f.stack[i];
  if (n >= 0) numberToLimbs(ensureLimbs(f), 8 * i, n);
  else if (n === WIDE) bigintToLimbs(ensureLimbs(f), 8 * i, f.wide[i]);
}

/** The frame's limbs, taken from the pool the first time a word of it becomes limbs. */
export function ensureLimbs(f: Frame): Int32Array {
  let l = f.limbs;
  if (l.length === 0) {
    giveLimbs(f);
    l = f.limbs;
  }
  return l;
}

/**
 * Whether an instruction on two words (stack marks `a`, `b`) works on limbs: when a word has only
 * its limbs, or both have both. A word with its bigint meets a small word or another bigint in
 * BigInt, as before limbs: snailtracer's signed fixed point goes on to SDIV, which wants bigints.
 */
export function limbsFirst(a: number, b: number): boolean {
  return a === LIMBS || b === LIMBS || (a === BOTH && b === BOTH);
}

/**
 * limbsFirst for OR and XOR, which also take a word with both forms and a small one on limbs:
 * their results stay wide (sha1 packs its 32-bit words into wider ones by OR).
 */
export function limbsFirstBitwise(a: number, b: number): boolean {
  return a === LIMBS || b === LIMBS || ((a === BOTH || b === BOTH) && a !== WIDE && b !== WIDE);
}

/** Marks slot `i`, whose limbs were just written, in its canonical form: a number below 2^53. */
export function settle(f: Frame, i: number): void {
  const l = f.limbs, o = 8 * i;
  const hi = l[o + 1] >>> 0;
  if ((l[o + 2] | l[o + 3] | l[o + 4] | l[o + 5] | l[o + 6] | l[o + 7]) === 0 && hi < 0x200000) {
    f.stack[i] = hi * TWO_32 + (l[o] >>> 0);
  } else f.stack[i] = LIMBS;
}

/** Copies the limbs of slot `from` to slot `to`. */
export function copyLimbs(l: Int32Array, to: number, from: number): void {
  copyLimbs8(l, 8 * to, 8 * from);
}

/** Swaps the limbs of two slots. */
export function swapLimbs(l: Int32Array, i: number, j: number): void {
  const a = 8 * i, b = 8 * j;
  let t = l[a]; l[a] = l[b]; l[b] = t;
  t = l[a + 1]; l[a + 1] = l[b + 1]; l[b + 1] = t;
  t = l[a + 2]; l[a + 2] = l[b + 2]; l[b + 2] = t;
  t = l[a + 3]; l[a + 3] = l[b + 3]; l[b + 3] = t;
  t = l[a + 4]; l[a + 4] = l[b + 4]; l[b + 4] = t;
  t = l[a + 5]; l[a + 5] = l[b + 5]; l[b + 5] = t;
  t = l[a + 6]; l[a + 6] = l[b + 6]; l[b + 6] = t;
  t = l[a + 7]; l[a + 7] = l[b + 7]; l[b + 7] = t;
}

/** Signed comparison of the limbs at `a` and `b` (two's complement): negative, zero or positive. */
export function compareSignedLimbs(l: Int32Array, a: number, b: number): number {
  const x = l[a + 7], y = l[b + 7];
  if (x !== y) return x < y ? -1 : 1;
  return compareLimbs(l, a, b);
}

/** Unsigned comparison of the limbs at `a` and `b`: negative, zero or positive. */
export function compareLimbs(l: Int32Array, a: number, b: number): number {
  for (let k = 7; k >= 0; k--) {
    const x = l[a + k] >>> 0, y = l[b + k] >>> 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

// Kernels on the limbs at offsets `a` and `d` of one array: the result replaces `d` (the stack
// slot the result goes to), 2^256 wrapping as the EVM's does.

// Unrolled: V8 neither unrolls nor drops the bounds checks of these short loops (a loop of eight
// limb ANDs measured 19 ns, unrolled 8 ns, a BigInt AND 18 ns).

/** d = a + d; answers the carry out of the top limb. */
export function addInto(l: Int32Array, a: number, d: number): number {
  let t = 0;
  t = (l[a] >>> 0) + (l[d] >>> 0);
  l[d] = t | 0;
  t = (l[a + 1] >>> 0) + (l[d + 1] >>> 0) + (t >= TWO_32 ? 1 : 0);
  l[d + 1] = t | 0;
  t = (l[a + 2] >>> 0) + (l[d + 2] >>> 0) + (t >= TWO_32 ? 1 : 0);
  l[d + 2] = t | 0;
  t = (l[a + 3] >>> 0) + (l[d + 3] >>> 0) + (t >= TWO_32 ? 1 : 0);
  l[d + 3] = t | 0;
  t = (l[a + 4] >>> 0) + (l[d + 4] >>> 0) + (t >= TWO_32 ? 1 : 0);
  l[d + 4] = t | 0;
  t = (l[a + 5] >>> 0) + (l[d + 5] >>> 0) + (t >= TWO_32 ? 1 : 0);
  l[d + 5] = t | 0;
  t = (l[a + 6] >>> 0) + (l[d + 6] >>> 0) + (t >= TWO_32 ? 1 : 0);
  l[d + 6] = t | 0;
  t = (l[a + 7] >>> 0) + (l[d + 7] >>> 0) + (t >= TWO_32 ? 1 : 0);
  l[d + 7] = t | 0;
  return t >= TWO_32 ? 1 : 0;
}

/** d = a - d. */
export function subInto(l: Int32Array, a: number, d: number): void {
  let t = 0;
  t = (l[a] >>> 0) - (l[d] >>> 0);
  l[d] = t | 0;
  t = (l[a + 1] >>> 0) - (l[d + 1] >>> 0) - (t < 0 ? 1 : 0);
  l[d + 1] = t | 0;
  t = (l[a + 2] >>> 0) - (l[d + 2] >>> 0) - (t < 0 ? 1 : 0);
  l[d + 2] = t | 0;
  t = (l[a + 3] >>> 0) - (l[d + 3] >>> 0) - (t < 0 ? 1 : 0);
  l[d + 3] = t | 0;
  t = (l[a + 4] >>> 0) - (l[d + 4] >>> 0) - (t < 0 ? 1 : 0);
  l[d + 4] = t | 0;
  t = (l[a + 5] >>> 0) - (l[d + 5] >>> 0) - (t < 0 ? 1 : 0);
  l[d + 5] = t | 0;
  t = (l[a + 6] >>> 0) - (l[d + 6] >>> 0) - (t < 0 ? 1 : 0);
  l[d + 6] = t | 0;
  t = (l[a + 7] >>> 0) - (l[d + 7] >>> 0) - (t < 0 ? 1 : 0);
  l[d + 7] = t | 0;
}

const PRODUCT = new Int32Array(8);

/** Whether every limb at `o` is 0 or 1 (2^64 + 1, 2^160: a multiplier that only shifts and adds). */
export function isShiftSum(l: Int32Array, o: number): boolean {
  return ((l[o] | l[o + 1] | l[o + 2] | l[o + 3] | l[o + 4] | l[o + 5] | l[o + 6] | l[o + 7]) & ~1) === 0;
}

/**
 * d = x * y (low 256 bits) where every limb of `y` is 0 or 1: the sum of x shifted by the limbs
 * set in y. blake2b_huff multiplies by 2^64 + 1 (two lanes in one word), sha1_divs by 2^160.
 */
export function mulShiftSum(l: Int32Array, x: number, y: number, d: number): void {
  const p = PRODUCT;
  p[0] = p[1] = p[2] = p[3] = p[4] = p[5] = p[6] = p[7] = 0;
  for (let j = 0; j < 8; j++) {
    if (l[y + j] === 0) continue;
    let c = 0;
    for (let k = j; k < 8; k++) {
      const t = (p[k] >>> 0) + (l[x + k - j] >>> 0) + c;
      p[k] = t | 0;
      c = t >= TWO_32 ? 1 : 0;
    }
  }
  l[d] = p[0]; l[d + 1] = p[1]; l[d + 2] = p[2]; l[d + 3] = p[3];
  l[d + 4] = p[4]; l[d + 5] = p[5]; l[d + 6] = p[6]; l[d + 7] = p[7];
}

export function andInto(l: Int32Array, a: number, d: number): void {
  l[d] &= l[a];
  l[d + 1] &= l[a + 1];
  l[d + 2] &= l[a + 2];
  l[d + 3] &= l[a + 3];
  l[d + 4] &= l[a + 4];
  l[d + 5] &= l[a + 5];
  l[d + 6] &= l[a + 6];
  l[d + 7] &= l[a + 7];
}

export function orInto(l: Int32Array, a: number, d: number): void {
  l[d] |= l[a];
  l[d + 1] |= l[a + 1];
  l[d + 2] |= l[a + 2];
  l[d + 3] |= l[a + 3];
  l[d + 4] |= l[a + 4];
  l[d + 5] |= l[a + 5];
  l[d + 6] |= l[a + 6];
  l[d + 7] |= l[a + 7];
}

export function xorInto(l: Int32Array, a: number, d: number): void {
  l[d] ^= l[a];
  l[d + 1] ^= l[a + 1];
  l[d + 2] ^= l[a + 2];
  l[d + 3] ^= l[a + 3];
  l[d + 4] ^= l[a + 4];
  l[d + 5] ^= l[a + 5];
  l[d + 6] ^= l[a + 6];
  l[d + 7] ^= l[a + 7];
}

export function notAt(l: Int32Array, d: number): void {
  l[d] = ~l[d]; l[d + 1] = ~l[d + 1]; l[d + 2] = ~l[d + 2]; l[d + 3] = ~l[d + 3];
  l[d + 4] = ~l[d + 4]; l[d + 5] = ~l[d + 5]; l[d + 6] = ~l[d + 6]; l[d + 7] = ~l[d + 7];
}

/** d >>= n, 0 <= n < 256. */
export function shrAt(l: Int32Array, d: number, n: number): void {
  const q = n >>> 5, r = n & 31;
  for (let i = 0; i < 8; i++) {
    const s = i + q;
    if (s >= 8) l[d + i] = 0;
    else if (r === 0) l[d + i] = l[d + s];
    else l[d + i] = (l[d + s] >>> r) | (s + 1 < 8 ? l[d + s + 1] << (32 - r) : 0);
  }
}

/** d <<= n, 0 <= n < 256, the low 256 bits. */
export function shlAt(l: Int32Array, d: number, n: number): void {
  const q = n >>> 5, r = n & 31;
  for (let i = 7; i >= 0; i--) {
    const s = i - q;
    if (s < 0) l[d + i] = 0;
    else if (r === 0) l[d + i] = l[d + s];
    else l[d + i] = (l[d + s] << r) | (s > 0 ? l[d + s - 1] >>> (32 - r) : 0);
  }
}

/**
 * d = (a + b) mod n for the limbs at `a`, `b` (overwritten) and `n` (overwritten by the result),
 * when that is one addition and at most one subtraction: a modulus that is a power of two below
 * 2^256 (a mask: blake2b_shifts adds 64-bit lanes modulo 2^64), or terms already reduced.
 * Answers false, touching nothing but `b`, when neither holds.
 */
export function addModInto(l: Int32Array, a: number, b: number, n: number): boolean {
  let bit = -1;
  for (let k = 0; k < 8; k++) {
    const x = l[n + k];
    if (x === 0) continue;
    if (bit >= 0 || (x & (x - 1)) !== 0) {
      bit = -2;
      break;
    }
    bit = 32 * k + 31 - Math.clz32(x);
  }
  if (bit >= 0 && bit < 255) {
    addInto(l, a, b);
    // Keep the bits below `bit`.
    const q = bit >>> 5, r = bit & 31;
    for (let k = 0; k < 8; k++) l[n + k] = k < q ? l[b + k] : k === q ? l[b + k] & ((1 << r) - 1) : 0;
    return true;
  }
  if (bit === -1 || compareLimbs(l, a, n) >= 0 || compareLimbs(l, b, n) >= 0) return false;
  const carry = addInto(l, a, b);
  if (carry !== 0 || compareLimbs(l, b, n) >= 0) subInto(l, b, n);
  else copyLimbs8(l, n, b);
  return true;
}

function copyLimbs8(l: Int32Array, to: number, from: number): void {
  l[to] = l[from]; l[to + 1] = l[from + 1]; l[to + 2] = l[from + 2]; l[to + 3] = l[from + 3];
  l[to + 4] = l[from + 4]; l[to + 5] = l[from + 5]; l[to + 6] = l[from + 6]; l[to + 7] = l[from + 7];
}

/** k when the limbs at `o` are 2^k, else -1. */
export function limbsExponent(l: Int32Array, o: number): number {
  let k = -1;
  for (let j = 0; j < 8; j++) {
    const x = l[o + j];
    if (x === 0) continue;
    if (k >= 0 || (x & (x - 1)) !== 0) return -1;
    k = 32 * j + 31 - Math.clz32(x);
  }
  return k;
}

/** Byte `i` (0 the most significant) of the limbs at `d`. */
export function byteAt(l: Int32Array, d: number, i: number): number {
  const bit = 8 * (31 - i);
  return (l[d + (bit >>> 5)] >>> (bit & 31)) & 0xff;
}
