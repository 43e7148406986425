import { isJumpdest } from "../analysis.ts";
import { RETURN, REVERT, STOP, type Frame } from "../frame.ts";
import { totalGas } from "../gas-counter.ts";
import { expand, halt, lookAtClock } from "./util.ts";

export function stop(f: Frame): void {
  f.status = STOP;
}

export function jump(f: Frame): void {
  if (--f.ctx.ticks < 0 && !lookAtClock(f)) return;
  const dest = f.stack[--f.sp];
  if (dest > 0xffffffffn || !isJumpdest(f.code, Number(dest))) return halt(f, "invalid_jump");
  f.pc = Number(dest);
}

export function jumpi(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2);
  if (s[sp] === 0n) return;
  if (--f.ctx.ticks < 0 && !lookAtClock(f)) return;
  const dest = s[sp + 1];
  if (dest > 0xffffffffn || !isJumpdest(f.code, Number(dest))) return halt(f, "invalid_jump");
  f.pc = Number(dest);
}

export function pc(f: Frame): void {
  f.stack[f.sp++] = BigInt(f.pc - 1);
}

export function gas(f: Frame): void {
  f.stack[f.sp++] = totalGas(f);
}

export function jumpdest(_f: Frame): void {}

function finish(f: Frame, status: number): void {
  const s = f.stack, sp = (f.sp -= 2);
  const offset = s[sp + 1], size = s[sp];
  if (!expand(f, offset, size)) return;
  if (size !== 0n) f.output = f.memory.read(Number(offset), Number(size));
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
