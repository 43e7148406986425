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

/** PUSH3..PUSH32: immediates up to 6 bytes fit a double exactly; longer ones go through hex. */
export function makePush(n: number): (f: Frame) => void {
  if (n <= 6) {
    return function pushSmall(f: Frame): void {
      const c = f.code.padded;
      let pc = f.pc, v = 0;
      const end = pc + n;
      while (pc < end) v = v * 256 + c[pc++];
      f.stack[f.sp++] = BigInt(v);
      f.pc = end;
    };
  }
  return function pushLarge(f: Frame): void {
    const c = f.code.padded;
    let pc = f.pc;
    const end = pc + n;
    let hex = "0x";
    while (pc < end) {
      const b = c[pc++];
      hex += (b < 16 ? "0" : "") + b.toString(16);
    }
    f.stack[f.sp++] = BigInt(hex);
    f.pc = end;
  };
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
