import { RUNNING, SUSPEND, type Frame } from "./frame.ts";
import { refill } from "./gas-counter.ts";
import { haltWith } from "./interpreter.ts";
import type { Inspector } from "./inspector.ts";
import { capHalt } from "./opcodes/util.ts";

/**
 * The interpreter loop of `interpreter.ts` with an inspector's step hooks: a separate copy, so
 * that the plain loop stays free of any tracing branch. An inspector whose output passed its cap
 * stops the run before the next instruction runs; one that wants no more steps (`stepsDone`)
 * returns the frame still running, for the plain loop to go on with.
 */
export function runInspected(f: Frame, insp: Inspector): void {
  const t = f.ctx.table;
  const fns = t.fns, gasTable = t.gas, minStack = t.minStack, maxStack = t.maxStack;
  const code = f.code.padded;
  // Method calls, not bound functions: V8 inlines a hook it sees one inspector class at.
  const step = insp.step !== undefined, stepEnd = insp.stepEnd !== undefined;
  while (f.status === RUNNING) {
    if (insp.stepsDone === true) return;
    if (step) insp.step!(f);
    if (insp.stop !== undefined) {
      capHalt(f, insp.stop);
      break;
    }
    const op = code[f.pc];
    const sp = f.sp;
    if (sp < minStack[op]) haltWith(f, "stack_underflow");
    else if (sp > maxStack[op]) haltWith(f, "stack_overflow");
    else {
      const g = gasTable[op];
      if (f.gas < g && !refill(f, g)) haltWith(f, "out_of_gas");
      else {
        f.gas -= g;
        f.pc++;
        fns[op](f);
      }
    }
    if ((f.status as number) === SUSPEND) insp.stepAbandoned?.(f);
    else if (stepEnd) insp.stepEnd!(f);
  }
}
