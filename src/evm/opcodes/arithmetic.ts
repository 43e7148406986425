import type { Frame } from "../frame.ts";
import { GAS_EXP_BYTE, GAS_EXP_BYTE_FRONTIER } from "../gas.ts";
import { charge, MASK256, toSigned } from "./util.ts";

// Stack discipline: the loop has checked depth; `a` is the top, results replace the lowest input.

export function add(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  s[sp - 1] = (s[sp] + s[sp - 1]) & MASK256;
}

export function mul(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  s[sp - 1] = (s[sp] * s[sp - 1]) & MASK256;
}

export function sub(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  s[sp - 1] = (s[sp] - s[sp - 1]) & MASK256;
}

export function div(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const b = s[sp - 1];
  s[sp - 1] = b === 0n ? 0n : s[sp] / b;
}

export function sdiv(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const b = s[sp - 1];
  s[sp - 1] = b === 0n ? 0n : (toSigned(s[sp]) / toSigned(b)) & MASK256;
}

export function mod(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const b = s[sp - 1];
  s[sp - 1] = b === 0n ? 0n : s[sp] % b;
}

export function smod(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const b = s[sp - 1];
  s[sp - 1] = b === 0n ? 0n : (toSigned(s[sp]) % toSigned(b)) & MASK256;
}

export function addmod(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2);
  const n = s[sp - 1];
  s[sp - 1] = n === 0n ? 0n : (s[sp + 1] + s[sp]) % n;
}

export function mulmod(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2);
  const n = s[sp - 1];
  s[sp - 1] = n === 0n ? 0n : (s[sp + 1] * s[sp]) % n;
}

/** EXP charging `byteGas` for each byte of the exponent (EIP-160 raised it from 10 to 50). */
function makeExp(byteGas: number): (f: Frame) => void {
  return function exp(f: Frame): void {
    const s = f.stack, sp = f.sp;
    const base = s[sp - 1], e = s[sp - 2];
    if (e !== 0n && !charge(f, byteGas * byteLength(e))) return;
    f.sp = sp - 1;
    s[sp - 2] = modPow(base, e);
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

// SIGNEXTEND masks per byte index: the bits kept, and the sign bit that decides the fill.
const LOW_MASKS: bigint[] = [];
const HIGH_MASKS: bigint[] = [];
const SIGN_BITS: bigint[] = [];
for (let b = 0; b < 31; b++) {
  const bit = BigInt(b * 8 + 7);
  LOW_MASKS.push((1n << (bit + 1n)) - 1n);
  HIGH_MASKS.push(MASK256 ^ ((1n << (bit + 1n)) - 1n));
  SIGN_BITS.push(1n << bit);
}

export function signextend(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const b = s[sp];
  if (b >= 31n) return;
  const i = Number(b), x = s[sp - 1];
  s[sp - 1] = (x & SIGN_BITS[i]) === 0n ? x & LOW_MASKS[i] : x | HIGH_MASKS[i];
}
