import { HALT, RUNNING, type Frame } from "./frame.ts";
import { refill } from "./gas-counter.ts";

/**
 * Runs a frame until it stops, halts, suspends on missing state, or starts a child frame.
 * Every generic check (stack bounds, static gas) happens here, before dispatch, so instructions
 * assume a valid stack. No allocation, no await, no tracing branch.
 */
export function run(f: Frame): void {
  const t = f.ctx.table;
  const fns = t.fns, gasTable = t.gas, minStack = t.minStack, maxStack = t.maxStack;
  const code = f.code.padded;
  while (f.status === RUNNING) {
    const op = code[f.pc];
    const sp = f.sp;
    if (sp < minStack[op]) return haltWith(f, "stack_underflow");
    if (sp > maxStack[op]) return haltWith(f, "stack_overflow");
    const g = gasTable[op];
    if (f.gas < g && !refill(f, g)) return haltWith(f, "out_of_gas");
    f.gas -= g;
    f.pc++;
    fns[op](f);
  }
}

export function haltWith(f: Frame, reason: "stack_underflow" | "stack_overflow" | "out_of_gas"): void {
  f.status = HALT;
  f.haltReason = reason;
  f.gas = 0;
  f.gasHi = 0n;
}
