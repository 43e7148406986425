import { isJumpdest } from "../analysis.ts";
import { RETURN, REVERT, STOP, type Frame } from "../frame.ts";
import { totalGas } from "../gas-counter.ts";
import { pushWord, smallAt } from "../stack.ts";
import { expand, halt, lookAtClock } from "./util.ts";

export function stop(f: Frame): void {
  f.status = STOP;
}

// A wide destination is negative (WIDE) and fails isJumpdest, as does any beyond the code.

export function jump(f: Frame): void {
  if (--f.ctx.ticks < 0 && !lookAtClock(f)) return;
  const dest = f.stack[--f.sp];
  if (!isJumpdest(f.code, dest)) return halt(f, "invalid_jump");
  f.pc = dest;
}

export function jumpi(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2);
  if (s[sp] === 0) return;
  if (--f.ctx.ticks < 0 && !lookAtClock(f)) return;
  const dest = s[sp + 1];
  if (!isJumpdest(f.code, dest)) return halt(f, "invalid_jump");
  f.pc = dest;
}

export function pc(f: Frame): void {
  f.stack[f.sp++] = f.pc - 1;
}

export function gas(f: Frame): void {
  if (f.gasHi === 0n) f.stack[f.sp++] = f.gas;
  else pushWord(f, totalGas(f));
}

export function jumpdest(_f: Frame): void {}

function finish(f: Frame, status: number): void {
  const sp = (f.sp -= 2);
  const offset = smallAt(f, sp + 1), size = smallAt(f, sp);
  if (!expand(f, offset, size)) return;
  if (size !== 0) f.output = f.memory.read(offset, size);
  f.status = status;
}

export function ret(f: Frame): void {
  finish(f, RETURN);
}

export function revert(f: Frame): void {
  finish(f, REVERT);
}

export function invalid(f: Frame): void {
  halt(f, "invalid_opcode");
}
