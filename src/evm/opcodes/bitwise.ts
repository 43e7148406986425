import type { Frame } from "../frame.ts";
import { MASK256, SIGN_BIT, toSigned } from "./util.ts";

export function lt(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  s[sp - 1] = s[sp] < s[sp - 1] ? 1n : 0n;
}

export function gt(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  s[sp - 1] = s[sp] > s[sp - 1] ? 1n : 0n;
}

export function slt(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  s[sp - 1] = toSigned(s[sp]) < toSigned(s[sp - 1]) ? 1n : 0n;
}

export function sgt(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  s[sp - 1] = toSigned(s[sp]) > toSigned(s[sp - 1]) ? 1n : 0n;
}

export function eq(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  s[sp - 1] = s[sp] === s[sp - 1] ? 1n : 0n;
}

export function iszero(f: Frame): void {
  const s = f.stack, i = f.sp - 1;
  s[i] = s[i] === 0n ? 1n : 0n;
}

export function and(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  s[sp - 1] = s[sp] & s[sp - 1];
}

export function or(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  s[sp - 1] = s[sp] | s[sp - 1];
}

export function xor(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  s[sp - 1] = s[sp] ^ s[sp - 1];
}

export function not(f: Frame): void {
  const s = f.stack, i = f.sp - 1;
  s[i] = MASK256 ^ s[i];
}

export function byte(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const i = s[sp];
  s[sp - 1] = i >= 32n ? 0n : (s[sp - 1] >> (8n * (31n - i))) & 0xffn;
}

export function shl(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const shift = s[sp];
  s[sp - 1] = shift >= 256n ? 0n : (s[sp - 1] << shift) & MASK256;
}

export function shr(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const shift = s[sp];
  s[sp - 1] = shift >= 256n ? 0n : s[sp - 1] >> shift;
}

export function sar(f: Frame): void {
  const s = f.stack, sp = --f.sp;
  const shift = s[sp];
  const x = s[sp - 1];
  if (shift >= 256n) s[sp - 1] = x & SIGN_BIT ? MASK256 : 0n;
  else s[sp - 1] = (toSigned(x) >> shift) & MASK256;
}

/** CLZ (EIP-7939, Osaka): leading zero bits; 256 for zero. */
export function clz(f: Frame): void {
  const s = f.stack, i = f.sp - 1;
  const x = s[i];
  s[i] = x === 0n ? 256n : BigInt(256 - x.toString(2).length);
}
