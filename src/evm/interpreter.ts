import { HALT, RUNNING, type Frame } from "./frame.ts";
import { refill } from "./gas-counter.ts";
import { copyLimbs, swapLimbs } from "./limbs.ts";
import { LIMBS, MAX_SMALL } from "./stack.ts";

/**
 * Runs a frame until it stops, halts, suspends on missing state, or starts a child frame.
 * Every generic check (stack bounds, static gas) happens here, before dispatch, so instructions
 * assume a valid stack. No allocation, no await, no tracing branch.
 *
 * The stack shuffles that make up most steps (PUSH1, PUSH2, DUP, SWAP, POP, JUMPDEST: 50-70% of
 * the corpus's) run inline, without a call through the table, and so do ADD, SUB, LT, GT, EQ
 * and ISZERO on small words and JUMP and JUMPI to a valid destination; they are the same in every
 * fork and do what their table entries in opcodes/ do (the inspected loop still calls those).
 */
export function run(f: Frame): void {
  const t = f.ctx.table;
  const fns = t.fns, gasTable = t.gas, minStack = t.minStack, maxStack = t.maxStack;
  const ctx = f.ctx;
  const analysed = f.code, code = analysed.padded, jumpdests = analysed.jumpdests, codeLength = analysed.length;
  const s = f.stack, w = f.wide;
  // The frame's pc, stack pointer and gas live in locals while inline instructions run, and go
  // back to the frame around every call through the table (which reads and moves them) and at
  // every exit: an inline step touches no field of the frame.
  let pc = f.pc, sp = f.sp, gas = f.gas;
  if (f.status !== RUNNING) return;
  for (;;) {
    const op = code[pc];
    if (sp < minStack[op]) return haltAt(f, pc, sp, "stack_underflow");
    if (sp > maxStack[op]) return haltAt(f, pc, sp, "stack_overflow");
    const g = gasTable[op];
    if (gas < g) {
      f.gas = gas;
      if (!refill(f, g)) return haltAt(f, pc, sp, "out_of_gas");
      gas = f.gas;
    }
    gas -= g;
    pc++;
    if (op >= 0x80 && op <= 0x9f) {
      if (op <= 0x8f) {
        // DUP1..DUP16
        const from = sp + 0x7f - op;
        const v = s[from];
        s[sp] = v;
        if (v < 0) {
          if (v !== LIMBS) w[sp] = w[from];
          // (f.limbs, not a local: a table call may have given the frame its limbs.)
          if (v <= LIMBS) copyLimbs(f.limbs, sp, from);
        }
        sp++;
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
          if (a <= LIMBS || b <= LIMBS) swapLimbs(f.limbs, top, other);
        }
      }
      continue;
    }
    switch (op) {
      case 0x60: // PUSH1
        s[sp++] = code[pc++];
        continue;
      case 0x61: // PUSH2
        s[sp++] = (code[pc] << 8) | code[pc + 1];
        pc += 2;
        continue;
      case 0x50: // POP
        sp--;
        continue;
      case 0x5b: // JUMPDEST
        continue;
      // A valid destination before the clock's next look (control.ts); anything else, the table.
      case 0x56: { // JUMP
        const dest = s[sp - 1];
        if (ctx.ticks > 0 && dest >= 0 && dest < codeLength && (jumpdests[dest >> 3] & (1 << (dest & 7))) !== 0) {
          ctx.ticks--;
          sp--;
          pc = dest;
          continue;
        }
        break;
      }
      case 0x57: { // JUMPI
        if (s[sp - 2] === 0) {
          sp -= 2;
          continue;
        }
        const dest = s[sp - 1];
        if (ctx.ticks > 0 && dest >= 0 && dest < codeLength && (jumpdests[dest >> 3] & (1 << (dest & 7))) !== 0) {
          ctx.ticks--;
          sp -= 2;
          pc = dest;
          continue;
        }
        break;
      }
      // Small words only (stack.ts); anything else goes to the table's instruction.
      case 0x01: { // ADD
        const a = s[sp - 1], b = s[sp - 2], r = a + b;
        if (a >= 0 && b >= 0 && r <= MAX_SMALL) {
          s[sp - 2] = r;
          sp--;
          continue;
        }
        break;
      }
      case 0x03: { // SUB
        const a = s[sp - 1], b = s[sp - 2];
        if (a >= b && b >= 0) {
          s[sp - 2] = a - b;
          sp--;
          continue;
        }
        break;
      }
      case 0x10: // LT
      case 0x11: // GT
      case 0x14: { // EQ
        const a = s[sp - 1], b = s[sp - 2];
        if (a >= 0 && b >= 0) {
          s[sp - 2] = (op === 0x10 ? a < b : op === 0x11 ? a > b : a === b) ? 1 : 0;
          sp--;
          continue;
        }
        break;
      }
      case 0x15: // ISZERO
        s[sp - 1] = s[sp - 1] === 0 ? 1 : 0;
        continue;
    }
    f.pc = pc;
    f.sp = sp;
    f.gas = gas;
    fns[op](f);
    if (f.status !== RUNNING) return;
    pc = f.pc;
    sp = f.sp;
    gas = f.gas;
  }
}

function haltAt(f: Frame, pc: number, sp: number, reason: "stack_underflow" | "stack_overflow" | "out_of_gas"): void {
  f.pc = pc;
  f.sp = sp;
  haltWith(f, reason);
}

export function haltWith(f: Frame, reason: "stack_underflow" | "stack_overflow" | "out_of_gas"): void {
  f.status = HALT;
  f.haltReason = reason;
  f.gas = 0;
  f.gasHi = 0n;
}
