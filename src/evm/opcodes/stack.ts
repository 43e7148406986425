import type { Frame } from "../frame.ts";

export function pop(f: Frame): void {
  f.sp--;
}

export function push0(f: Frame): void {
  f.stack[f.sp++] = 0n;
}

export function push1(f: Frame): void {
  f.stack[f.sp++] = BigInt(f.code.padded[f.pc++]);
}

export function push2(f: Frame): void {
  const c = f.code.padded, pc = f.pc;
  f.stack[f.sp++] = BigInt((c[pc] << 8) | c[pc + 1]);
  f.pc = pc + 2;
}

/** PUSH3..PUSH32: each immediate is decoded once per code and cached by its position. */
export function makePush(n: number): (f: Frame) => void {
  return function push(f: Frame): void {
    const pc = f.pc;
    const cache = f.code.pushValues;
    let v = cache[pc];
    if (v === undefined) cache[pc] = v = decodeImmediate(f.code.padded, pc, n);
    f.stack[f.sp++] = v;
    f.pc = pc + n;
  };
}

function decodeImmediate(code: Uint8Array, at: number, n: number): bigint {
  if (n <= 6) {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + code[at + i];
    return BigInt(v);
  }
  let hex = "0x";
  for (let i = 0; i < n; i++) {
    const b = code[at + i];
    hex += (b < 16 ? "0" : "") + b.toString(16);
  }
  return BigInt(hex);
}

export function makeDup(n: number): (f: Frame) => void {
  return function dup(f: Frame): void {
    const s = f.stack;
    s[f.sp] = s[f.sp - n];
    f.sp++;
  };
}

export function makeSwap(n: number): (f: Frame) => void {
  return function swap(f: Frame): void {
    const s = f.stack, top = f.sp - 1, other = top - n;
    const t = s[top];
    s[top] = s[other];
    s[other] = t;
  };
}
