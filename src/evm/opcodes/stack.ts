import type { PushValue } from "../analysis.ts";
import type { Frame } from "../frame.ts";
import { bigintToLimbs, copyLimbs, ensureLimbs, swapLimbs } from "../limbs.ts";
import { BOTH, LIMBS, MAX_SMALL } from "../stack.ts";

const MAX_SMALL_N = BigInt(MAX_SMALL);

export function pop(f: Frame): void {
  f.sp--;
}

export function push0(f: Frame): void {
  f.stack[f.sp++] = 0;
}

export function push1(f: Frame): void {
  f.stack[f.sp++] = f.code.padded[f.pc++];
}

export function push2(f: Frame): void {
  const c = f.code.padded, pc = f.pc;
  f.stack[f.sp++] = (c[pc] << 8) | c[pc + 1];
  f.pc = pc + 2;
}

/**
 * PUSH3..PUSH6 read their immediate each time (a small word); PUSH7..PUSH32 decode it once per
 * code and cache it by its position.
 */
export function makePush(n: number): (f: Frame) => void {
  if (n <= 6) {
    return function push(f: Frame): void {
      const c = f.code.padded, pc = f.pc;
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 256 + c[pc + i];
      f.stack[f.sp++] = v;
      f.pc = pc + n;
    };
  }
  return function push(f: Frame): void {
    const pc = f.pc;
    const cache = f.code.pushValues;
    let v = cache[pc];
    if (v === undefined) cache[pc] = v = decodeImmediate(f.code.padded, pc, n);
    // The cache holds the word's stack form: no comparison of a bigint with 2^53 per push. A wide
    // immediate is pushed as both its bigint and its limbs (its mask or constant goes on to limb
    // arithmetic or to an instruction that wants the bigint).
    if (typeof v === "number") f.stack[f.sp++] = v;
    else {
      const sp = f.sp++, l = ensureLimbs(f), o = 8 * sp;
      f.stack[sp] = BOTH;
      f.wide[sp] = v.word;
      const x = v.limbs;
      l[o] = x[0]; l[o + 1] = x[1]; l[o + 2] = x[2]; l[o + 3] = x[3];
      l[o + 4] = x[4]; l[o + 5] = x[5]; l[o + 6] = x[6]; l[o + 7] = x[7];
    }
    f.pc = pc + n;
  };
}

/** The immediate in its stack form: a number below 2^53, else a bigint and its limbs. */
function decodeImmediate(code: Uint8Array, at: number, n: number): PushValue {
  let hex = "0x";
  for (let i = 0; i < n; i++) {
    const b = code[at + i];
    hex += (b < 16 ? "0" : "") + b.toString(16);
  }
  const v = BigInt(hex);
  if (v <= MAX_SMALL_N) return Number(v);
  const limbs = new Int32Array(8);
  bigintToLimbs(limbs, 0, v);
  return { word: v, limbs };
}

// A wide word's bigint and limbs move with its mark; a small word's stale entries are never read.

export function makeDup(n: number): (f: Frame) => void {
  return function dup(f: Frame): void {
    const s = f.stack, sp = f.sp, from = sp - n;
    const v = s[from];
    s[sp] = v;
    if (v < 0) {
      if (v !== LIMBS) f.wide[sp] = f.wide[from];
      if (v <= LIMBS) copyLimbs(f.limbs, sp, from);
    }
    f.sp = sp + 1;
  };
}

export function makeSwap(n: number): (f: Frame) => void {
  return function swap(f: Frame): void {
    const s = f.stack, top = f.sp - 1, other = top - n;
    const a = s[top], b = s[other];
    s[top] = b;
    s[other] = a;
    if (a < 0 || b < 0) {
      const w = f.wide, t = w[top];
      w[top] = w[other];
      w[other] = t;
      if (a <= LIMBS || b <= LIMBS) swapLimbs(f.limbs, top, other);
    }
  };
}
