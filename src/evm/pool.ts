import { STACK_LIMIT } from "./gas.ts";
import type { Frame } from "./frame.ts";
import type { Memory } from "./memory.ts";

/**
 * Stacks and memories of finished frames, reused by new ones: a call then allocates
 * nothing big. Module-wide, because runs are synchronous between suspensions and a suspended
 * run keeps the stacks it holds.
 */
const stacks: Float64Array[] = [];
const wides: bigint[][] = [];
const limbArrays: Int32Array[] = [];
const memories: Memory[] = [];
const POOL_LIMIT = 64;
/**
 * Memory buffers up to 1 MiB are kept, within 4 MiB for the whole pool: a fresh buffer's pages
 * are faulted in by the first touch of each, which made a frame that grows to 128 KiB spend a
 * third of its time in the kernel; zeroing a kept one costs a tenth of that.
 */
const BUFFER_KEEP_LIMIT = 1024 * 1024;
const POOL_BYTES_LIMIT = 4 * 1024 * 1024;
let pooledBytes = 0;

/** A stack's two arrays (stack.ts); a released stack's wide entries are stale, never read. */
export function takeStack(): Float64Array {
  return stacks.pop() ?? new Float64Array(STACK_LIMIT);
}

export function takeWide(): bigint[] {
  return wides.pop() ?? new Array<bigint>(STACK_LIMIT).fill(0n);
}

/**
 * Eight 32-bit limbs per stack slot (limbs.ts), 32 KiB: given to a frame only when it first holds
 * a wide word as limbs, so a chain of calls 1,024 deep that computes nothing wide takes none.
 * Regions of evm.wasm's memory first, where MULMOD's kernel reads and writes them in place
 * (mulmod-wasm.ts; `limbsAt` is the region's byte offset there); a frame past them gets an array
 * of its own (`limbsAt` -1). The offsets are kept beside the regions: a typed array's `buffer`
 * getter, asked per frame, cost calls several percent.
 */
export function giveLimbs(f: Frame): void {
  const at = wasmLimbsAt.pop();
  if (at !== undefined) {
    f.limbs = wasmLimbs.pop()!;
    f.limbsAt = at;
  } else {
    f.limbs = limbArrays.pop() ?? new Int32Array(8 * STACK_LIMIT);
    f.limbsAt = -1;
  }
}

const wasmLimbs: Int32Array[] = [];
const wasmLimbsAt: number[] = [];

/** Gives the pool `count` limb arrays of 32 KiB in `memory` from byte `at` (a memory that never grows). */
export function provideWasmLimbs(memory: WebAssembly.Memory, at: number, count: number): void {
  wasmLimbs.length = wasmLimbsAt.length = 0;
  for (let k = count - 1; k >= 0; k--) {
    const o = at + 4 * 8 * STACK_LIMIT * k;
    wasmLimbs.push(new Int32Array(memory.buffer, o, 8 * STACK_LIMIT));
    wasmLimbsAt.push(o);
  }
}

/** What a frame's `limbs` is until it takes an array. */
export const NO_LIMBS = new Int32Array(0);

/** Takes back a finished frame's limbs. */
export function releaseLimbs(f: Frame): void {
  if (f.limbsAt >= 0) {
    wasmLimbs.push(f.limbs);
    wasmLimbsAt.push(f.limbsAt);
  } else if (f.limbs.length > 0 && limbArrays.length < POOL_LIMIT) limbArrays.push(f.limbs);
}

export function releaseStack(stack: Float64Array, wide: bigint[]): void {
  if (stacks.length < POOL_LIMIT) {
    stacks.push(stack);
    wides.push(wide);
  }
}

/**
 * A finished frame's memory, its buffer zeroed and its size 0, with the DataView it kept: making
 * one per frame was 6% of a STOP call's time. Undefined when none is pooled.
 */
export function takePooledMemory(): Memory | undefined {
  const m = memories.pop();
  if (m !== undefined) pooledBytes -= m.buf.length;
  return m;
}

/** Keeps a finished frame's memory, whose first `size` bytes may be dirty: they are zeroed here. */
export function releaseMemory(m: Memory): void {
  const buf = m.buf;
  if (buf.length > BUFFER_KEEP_LIMIT || memories.length >= POOL_LIMIT || pooledBytes + buf.length > POOL_BYTES_LIMIT) return;
  buf.fill(0, 0, m.size);
  m.size = 0;
  memories.push(m);
  pooledBytes += buf.length;
}
