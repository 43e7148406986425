import { STACK_LIMIT } from "./gas.ts";

/**
 * Stacks and memory buffers of finished frames, reused by new ones: a call then allocates
 * nothing big. Module-wide, because runs are synchronous between suspensions and a suspended
 * run keeps the stacks it holds.
 */
const stacks: Float64Array[] = [];
const wides: bigint[][] = [];
const buffers: Uint8Array[] = [];
const POOL_LIMIT = 64;
const BUFFER_KEEP_LIMIT = 64 * 1024;

/** A stack's two arrays (stack.ts); a released stack's wide entries are stale, never read. */
export function takeStack(): Float64Array {
  return stacks.pop() ?? new Float64Array(STACK_LIMIT);
}

export function takeWide(): bigint[] {
  return wides.pop() ?? new Array<bigint>(STACK_LIMIT).fill(0n);
}

export function releaseStack(stack: Float64Array, wide: bigint[]): void {
  if (stacks.length < POOL_LIMIT) {
    stacks.push(stack);
    wides.push(wide);
  }
}

export function takeBuffer(): Uint8Array {
  return buffers.pop() ?? new Uint8Array(1024);
}

/** Returns a buffer whose first `used` bytes may be dirty; it is zeroed before reuse. */
export function releaseBuffer(buf: Uint8Array, used: number): void {
  if (buf.length > BUFFER_KEEP_LIMIT || buffers.length >= POOL_LIMIT) return;
  buf.fill(0, 0, used);
  buffers.push(buf);
}
