import { HALT, RUNNING, type Frame } from "./frame.ts";
import { refill } from "./gas-counter.ts";

/**
 * Runs a frame until it stops, halts, suspends on missing state, or starts a child frame.
 * Every generic check (stack bounds, static gas) happens here, before dispatch, so instructions
 * assume a valid stack. No allocation, no await, no tracing branch.
 *
 * The stack shuffles that make up most steps (PUSH1, PUSH2, DUP, SWAP, POP, JUMPDEST: 50-70% of
 * the corpus's) run inline, without a call through the table; they are the same in every fork
 * and do what their table entries in opcodes/stack.ts and control.ts do (the inspected loop
 * still calls those).
 */
export function run(f: Frame): void {
  const t = f.ctx.table;
  const fns = t.fns, gasTable = t.gas, minStack = t.minStack, maxStack = t.maxStack;
  const code = f.code.padded;
  const s = f.stack, w = f.wide;
  while (f.status === RUNNING) {
    const op = code[f.pc];
    const sp = f.sp;
    if (sp < minStack[op]) return haltWith(f, "stack_underflow");
    if (sp > maxStack[op]) return haltWith(f, "stack_overflow");
    const g = gasTable[op];
    if (f.gas < g && !refill(f, g)) return haltWith(f, "out_of_gas");
    f.gas -= g;
    const pc = ++f.pc;
    if (op >= 0x80 && op <= 0x9f) {
      if (op <= 0x8f) {
        // DUP1..DUP16
        const from = sp + 0x7f - op;
        const v = s[from];
        s[sp] = v;
        if (v < 0) w[sp] = w[from];
        f.sp = sp + 1;
      } else {
        // SWAP1..SWAP16
        const top = sp - 1, other = top + 0x8f - op;
        const a = s[top], b = s[other];
        s[top] = b;
        s[other] = a;
        if (a < 0 || b < 0) {
          const x = w[top];
          w[top] = w[other];
          w[other] = x;
        }
      }
    } else if (op === 0x60) {
      s[sp] = code[pc];
      f.sp = sp + 1;
      f.pc = pc + 1;
    } else if (op === 0x61) {
      s[sp] = (code[pc] << 8) | code[pc + 1];
      f.sp = sp + 1;
      f.pc = pc + 2;
    } else if (op === 0x50) f.sp = sp - 1;
    else if (op !== 0x5b) fns[op](f);
  }
}

export function haltWith(f: Frame, reason: "stack_underflow" | "stack_overflow" | "out_of_gas"): void {
  f.status = HALT;
  f.haltReason = reason;
  f.gas = 0;
  f.gasHi = 0n;
}
