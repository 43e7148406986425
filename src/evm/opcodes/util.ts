import type { Context } from "../context.ts";
import { HALT, SUSPEND, type Frame } from "../frame.ts";
import { memoryCost } from "../memory.ts";
import { wordFromView } from "../../primitives/word-bytes.ts";
import { refill } from "../gas-counter.ts";
import type { CapReason, HaltReason } from "../types.ts";
import { WORK_PLAIN } from "../work.ts";
import { WIDE } from "../stack.ts";

export const MASK256 = (1n << 256n) - 1n;
export const MASK160 = (1n << 160n) - 1n;
export const SIGN_BIT = 1n << 255n;
/** Memory beyond 4 GiB can never be paid for; treat larger offsets as out of gas. */
const MAX_MEMORY = 0x1_0000_0000;

export function halt(f: Frame, reason: HaltReason): void {
  f.status = HALT;
  f.haltReason = reason;
  f.gas = 0;
  f.gasHi = 0n;
}

/** How many jumps and calls run between two looks at the clock. */
export const CLOCK_TICKS = 1024;

/**
 * Stops the whole run for a sandbox cap. Unlike `halt`, the frame keeps its gas, so the run's
 * gas used counts only what was spent; TxRun unwinds every frame and commits nothing.
 */
export function capHalt(f: Frame, reason: CapReason): void {
  f.status = HALT;
  f.haltReason = reason;
  f.ctx.abort = reason;
}

/** Counts a jump or call; every CLOCK_TICKS of them, looks at the clock. False: run stopped. */
export function tick(f: Frame): boolean {
  return --f.ctx.ticks >= 0 || lookAtClock(f);
}

/**
 * Charges the work done since the last look and checks the clock: past the work budget or the
 * deadline, stops the run with `time_cap`; otherwise starts a new count of ticks.
 */
export function lookAtClock(f: Frame): boolean {
  const ctx = f.ctx;
  ctx.ticks = CLOCK_TICKS;
  if (!meter(f)) return false;
  if (ctx.now() <= ctx.deadline) return true;
  capHalt(f, "time_cap");
  return false;
}

/** Charges the gas `f` consumed since its last charge as ordinary work (work.ts). */
export function meter(f: Frame): boolean {
  const used = f.workMark - f.gas;
  f.workMark = f.gas;
  // Negative only after a refill from the reserve above 2^52 gas, which no budgeted run has.
  return spendWork(f, used > 0 ? used * WORK_PLAIN : 0);
}

/** Counts `units` of work against the run's budget; past it, stops the run with `time_cap`. */
export function spendWork(f: Frame, units: number): boolean {
  if (drawWork(f.ctx, units)) return true;
  capHalt(f, "time_cap");
  return false;
}

/** Counts `units` of work; false when the budget is spent. */
export function drawWork(ctx: Context, units: number): boolean {
  ctx.workUsed += units;
  return (ctx.work.left -= units) >= 0;
}

/** Grows memory to `size` bytes (a multiple of 32) within the cap over all live frames. */
export function resize(f: Frame, size: number): boolean {
  const add = size - f.memory.size;
  if (add <= 0) return true;
  const ctx = f.ctx;
  if (ctx.memoryLive + add > ctx.memoryCap) {
    capHalt(f, "memory_cap");
    return false;
  }
  if (ctx.memoryPool.left < add) {
    capHalt(f, "isolate_memory");
    return false;
  }
  ctx.memoryPool.left -= add;
  ctx.memoryLive += add;
  f.memory.grow(size);
  return true;
}

/**
 * Stops before the current instruction has changed anything because the state it needs is not
 * loaded: undo the static charge and the pc step so the instruction runs again on resume.
 */
export function suspend(f: Frame): void {
  f.pc -= 1;
  f.gas += f.ctx.table.gas[f.code.padded[f.pc]];
  f.status = SUSPEND;
}

/** Charges gas; halts with out_of_gas and returns false when there is not enough. */
export function charge(f: Frame, amount: number): boolean {
  if (f.gas < amount && !refill(f, amount)) {
    halt(f, "out_of_gas");
    return false;
  }
  f.gas -= amount;
  return true;
}

// Offsets and sizes are numbers: a wide word arrives as BEYOND (stack.ts), past MAX_MEMORY, and
// sums of two of them stay exact wherever they are below it.

/**
 * Gas to grow memory to cover [offset, offset+size), without charging it; -1 when it can never
 * be paid. A zero size never expands memory, whatever the offset.
 */
export function memoryExpansionCost(f: Frame, offset: number, size: number): number {
  return size === 0 ? 0 : costToCover(f, offset + size);
}

/** Gas to grow memory to at least `end` bytes; -1 when it can never be paid. */
export function costToCover(f: Frame, end: number): number {
  if (end > MAX_MEMORY) return -1;
  const newWords = Math.ceil(end / 32);
  const oldWords = f.memory.size / 32;
  return newWords <= oldWords ? 0 : memoryCost(newWords) - memoryCost(oldWords);
}

/** Resizes memory after its cost was paid; false when the memory cap stopped the run. */
export function growMemory(f: Frame, offset: number, size: number): boolean {
  return size === 0 || resize(f, Math.ceil((offset + size) / 32) * 32);
}

/** Charges for and grows memory to cover the range; false (halted) when out of gas. */
export function expand(f: Frame, offset: number, size: number): boolean {
  if (size === 0) return true;
  const cost = memoryExpansionCost(f, offset, size);
  if (cost < 0) {
    halt(f, "out_of_gas");
    return false;
  }
  if (cost > 0) {
    if (!charge(f, cost)) return false;
    return resize(f, Math.ceil((offset + size) / 32) * 32);
  }
  return true;
}

/** Expands memory for a copy of `size` bytes and charges 3 gas per word copied. */
export function expandForCopy(f: Frame, offset: number, size: number): boolean {
  if (size === 0) return true;
  if (size > 0xffffffff) {
    halt(f, "out_of_gas");
    return false;
  }
  return charge(f, 3 * Math.ceil(size / 32)) && expand(f, offset, size);
}

export function toSigned(x: bigint): bigint {
  return x >= SIGN_BIT ? x - TWO_256 : x;
}

const TWO_256 = 1n << 256n;

/**
 * Puts bytes `[offset, offset+32)` of data, zero-padded past its end, in stack slot `i`
 * (CALLDATALOAD); `offset` is a number, BEYOND for a wide word.
 */
export function loadPaddedWord(f: Frame, i: number, data: Uint8Array, offset: number): void {
  if (offset >= data.length) {
    f.stack[i] = 0;
    return;
  }
  if (offset + 32 > data.length) {
    const tmp = new Uint8Array(32);
    tmp.set(data.subarray(offset));
    data = tmp;
    offset = 0;
  }
  // The first 25 bytes zero and the 26th below 0x20: the word is below 2^53.
  let high = 0;
  for (let k = 0; k < 25; k++) high |= data[offset + k];
  if (high === 0 && data[offset + 25] < 0x20) {
    let v = 0;
    for (let k = 25; k < 32; k++) v = v * 256 + data[offset + k];
    f.stack[i] = v;
    return;
  }
  f.stack[i] = WIDE;
  f.wide[i] = wordFromView(new DataView(data.buffer, data.byteOffset + offset, 32), 0);
}
