import type { Frame } from "../frame.ts";
import { GAS_EXP_BYTE, GAS_EXP_BYTE_FRONTIER } from "../gas.ts";
import { addInto, addModInto, copyLimbs, isShiftSum, limbsFirst, limbsOf, mulShiftSum, settle, shrAt, subInto } from "../limbs.ts";
import { BOTH, LIMBS, MAX_SMALL, setWord, WIDE, wordAt } from "../stack.ts";
import { mulmodLimbs, reduceLimbs } from "../mulmod-wasm.ts";
import { exponentOf, ONES_N, SHIFTS, wideExponent } from "./powers.ts";
import { charge, MASK256, SIGN_BIT, toSigned } from "./util.ts";

// Stack discipline: the loop has checked depth; `a` is the top, results replace the lowest input.
// Wide results wrap by a comparison and one subtraction where they can, not a mask: a BigInt
// operation allocates, a comparison does not.

const TWO_256 = 1n << 256n;
// Each instruction first tries small words (stack.ts): a double holds every integer up to 2^53
// exactly, and a result that rounds past MAX_SMALL was past it before rounding, so `r <= MAX_SMALL`
// proves the number exact. Anything else takes the bigint form of the same rule.

export function add(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0 && b >= 0) {
    const r = a + b;
    if (r <= MAX_SMALL) {
      s[sp - 1] = r;
      return;
    }
  }
  if (limbsFirst(a, b)) {
    limbsOf(f, sp);
    limbsOf(f, sp - 1);
    addInto(f.limbs, 8 * sp, 8 * (sp - 1));
    settle(f, sp - 1);
    return;
  }
  const r = wordAt(f, sp) + wordAt(f, sp - 1);
  setWord(f, sp - 1, r > MASK256 ? r - TWO_256 : r);
}

export function mul(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0 && b >= 0) {
    const r = a * b;
    if (r <= MAX_SMALL) {
      s[sp - 1] = r;
      return;
    }
  }
  if (limbsFirst(a, b)) {
    // Limbs by shifts and adds when one operand's limbs are all 0 or 1 (the multipliers that
    // pack and move lanes); any other product is BigInt's (16-bit digits in doubles measured
    // 130-400 ns, a BigInt product 30-40).
    limbsOf(f, sp);
    limbsOf(f, sp - 1);
    const l = f.limbs, x = 8 * sp, d = 8 * (sp - 1);
    const ax = isShiftSum(l, x);
    if (ax || isShiftSum(l, d)) {
      if (ax) mulShiftSum(l, d, x, d);
      else mulShiftSum(l, x, d, d);
      settle(f, sp - 1);
      return;
    }
  }
  const r = wordAt(f, sp) * wordAt(f, sp - 1);
  setWord(f, sp - 1, r > MASK256 ? r & MASK256 : r);
}

export function sub(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  let k = 0;
  if (a >= b && b >= 0) s[sp - 1] = a - b;
  // A constant with both forms minus a small word on limbs too: weierstrudel negates its field
  // elements as p - x, and the difference goes on to MULMOD, which takes limbs (mulmod-wasm.ts).
  else if (limbsFirst(a, b) || (a === BOTH && b >= 0)) {
    limbsOf(f, sp);
    limbsOf(f, sp - 1);
    subInto(f.limbs, 8 * sp, 8 * (sp - 1));
    settle(f, sp - 1);
  } else if (a === WIDE && b === 1 && (k = wideExponent(f.wide[sp])) >= 0) setWord(f, sp - 1, ONES_N[k]);
  else if (a < 0 && b >= 0 && b === lastSubtrahend && f.wide[sp] === lastMinuend) setWord(f, sp - 1, lastDifference);
  else {
    const r = wordAt(f, sp) - wordAt(f, sp - 1);
    const d = r < 0n ? r + TWO_256 : r;
    if (a < 0 && b >= 0) {
      lastMinuend = f.wide[sp];
      lastSubtrahend = b;
      lastDifference = d;
    }
    setWord(f, sp - 1, d);
  }
}

// 2^k - 1 (Solidity's masks, built as `shl(k, 1)` minus 1 at every use) is a table's; the last
// other wide word minus a small one is kept with its difference, computed once.
let lastMinuend = 0n;
let lastSubtrahend = -1;
let lastDifference = 0n;

// The quotient of doubles is within half an ulp of a/b, closer than 1/b to the next integer when
// a < 2^53: its floor is the integer quotient.
export function div(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0) {
    // A small dividend over a wide divisor is 0.
    s[sp - 1] = b > 0 ? Math.floor(a / b) : 0;
    return;
  }
  // By a power of two: a shift.
  const k = exponentOf(f, sp - 1);
  if (k >= 0) {
    if (a <= LIMBS) {
      // The dividend's limbs shift into the result's slot.
      copyLimbs(f.limbs, sp - 1, sp);
      shrAt(f.limbs, 8 * (sp - 1), k);
      settle(f, sp - 1);
    } else setWord(f, sp - 1, f.wide[sp] >> SHIFTS[k]);
    return;
  }
  const d = wordAt(f, sp - 1);
  setWord(f, sp - 1, d === 0n ? 0n : wordAt(f, sp) / d);
}

export function sdiv(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0 && b >= 0) s[sp - 1] = b === 0 ? 0 : Math.floor(a / b);
  else {
    const d = wordAt(f, sp - 1), x = wordAt(f, sp);
    // Two non-negative words divide as unsigned ones; otherwise a negative quotient wraps once
    // (|q| <= 2^255), by an addition rather than a mask.
    if (d === 0n) setWord(f, sp - 1, 0n);
    else if (x < SIGN_BIT && d < SIGN_BIT) setWord(f, sp - 1, x / d);
    else {
      const q = toSigned(x) / toSigned(d);
      setWord(f, sp - 1, q < 0n ? q + TWO_256 : q);
    }
  }
}

export function mod(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0) {
    // A small number modulo a wide one is itself.
    s[sp - 1] = b > 0 ? a % b : b === 0 ? 0 : a;
    return;
  }
  const d = wordAt(f, sp - 1);
  setWord(f, sp - 1, d === 0n ? 0n : wordAt(f, sp) % d);
}

export function smod(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const a = s[sp], b = s[sp - 1];
  if (a >= 0 && b >= 0) s[sp - 1] = b === 0 ? 0 : a % b;
  else {
    const d = wordAt(f, sp - 1), x = wordAt(f, sp);
    if (d === 0n) setWord(f, sp - 1, 0n);
    else if (x < SIGN_BIT && d < SIGN_BIT) setWord(f, sp - 1, x % d);
    else {
      const r = toSigned(x) % toSigned(d);
      setWord(f, sp - 1, r < 0n ? r + TWO_256 : r);
    }
  }
}

export function addmod(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2);
  const a = s[sp + 1], b = s[sp], n = s[sp - 1];
  if (a >= 0 && b >= 0 && n >= 0 && a + b <= MAX_SMALL) {
    s[sp - 1] = n === 0 ? 0 : (a + b) % n;
    return;
  }
  if (a === LIMBS || b === LIMBS || n === LIMBS) {
    limbsOf(f, sp + 1);
    limbsOf(f, sp);
    limbsOf(f, sp - 1);
    // Terms not reduced: reduced first on WebAssembly (mulmod-wasm.ts), by a modulus above 2^224.
    const l = f.limbs;
    if (addModInto(l, 8 * (sp + 1), 8 * sp, 8 * (sp - 1)) || (reduceLimbs(f, sp + 1, sp, sp - 1) && addModInto(l, 8 * (sp + 1), 8 * sp, 8 * (sp - 1)))) {
      settle(f, sp - 1);
      return;
    }
  }
  const m = wordAt(f, sp - 1);
  setWord(f, sp - 1, m === 0n ? 0n : (wordAt(f, sp + 1) + wordAt(f, sp)) % m);
}

export function mulmod(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2);
  const a = s[sp + 1], b = s[sp], n = s[sp - 1];
  if (a >= 0 && b >= 0 && n >= 0 && a * b <= MAX_SMALL) {
    s[sp - 1] = n === 0 ? 0 : (a * b) % n;
    return;
  }
  // By a modulus with limbs, when a factor has them too (or is small): on WebAssembly when the
  // modulus is above 2^224.
  if (n <= LIMBS && (a !== WIDE || b !== WIDE) && mulmodLimbs(f, sp + 1, sp, sp - 1)) return;
  const m = wordAt(f, sp - 1);
  setWord(f, sp - 1, m === 0n ? 0n : (wordAt(f, sp + 1) * wordAt(f, sp)) % m);
}

/** EXP charging `byteGas` for each byte of the exponent (EIP-160 raised it from 10 to 50). */
function makeExp(byteGas: number): (f: Frame) => void {
  return function exp(f: Frame): void {
    const sp = f.sp;
    const e = wordAt(f, sp - 2);
    if (e !== 0n && !charge(f, byteGas * byteLength(e))) return;
    f.sp = sp - 1;
    setWord(f, sp - 2, modPow(wordAt(f, sp - 1), e));
  };
}

export const exp = makeExp(GAS_EXP_BYTE);
export const expFrontier = makeExp(GAS_EXP_BYTE_FRONTIER);

function byteLength(x: bigint): number {
  return (x.toString(16).length + 1) >> 1;
}

function modPow(base: bigint, e: bigint): bigint {
  if (e === 0n) return 1n;
  if (base === 2n) return e < 256n ? 1n << e : 0n;
  let result = 1n;
  let b = base;
  while (e > 0n) {
    if (e & 1n) result = (result * b) & MASK256;
    e >>= 1n;
    if (e > 0n) b = (b * b) & MASK256;
  }
  return result;
}

// SIGNEXTEND per byte index b: the bits kept, the sign bit that decides the fill, and the bounds
// of the words it leaves alone (already sign-extended: below 2^(8b+7), or from 2^256 - 2^(8b+7)).
const LOW_MASKS: bigint[] = [];
const HIGH_MASKS: bigint[] = [];
const SIGN_BITS: bigint[] = [];
const NEGATIVE_FROM: bigint[] = [];
for (let b = 0; b < 31; b++) {
  const bit = BigInt(b * 8 + 7);
  LOW_MASKS.push((1n << (bit + 1n)) - 1n);
  HIGH_MASKS.push(MASK256 ^ ((1n << (bit + 1n)) - 1n));
  SIGN_BITS.push(1n << bit);
  NEGATIVE_FROM.push((1n << 256n) - (1n << bit));
}

export function signextend(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const b = s[sp], x = s[sp - 1];
  // A small word is unchanged from byte 6 on (its sign bit 55 or above is 0), or when below 2^(8b+7).
  if (b < 0 || b >= 31 || (x >= 0 && (b >= 6 || x < 2 ** (8 * b + 7)))) return;
  const w = wordAt(f, sp - 1);
  // Words already sign-extended (most that a contract extends twice) are compared, not rebuilt.
  if (x < 0 && (w < SIGN_BITS[b] || w >= NEGATIVE_FROM[b])) return;
  setWord(f, sp - 1, (w & SIGN_BITS[b]) === 0n ? w & LOW_MASKS[b] : w | HIGH_MASKS[b]);
}
