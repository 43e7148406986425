/** A frame's memory: one buffer that grows by doubling; `size` is the EVM-visible size (words * 32). */
export class Memory {
  buf: Uint8Array;
  size = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  /** Grows the visible size to `newSize` bytes (a multiple of 32); new bytes are zero. */
  grow(newSize: number): void {
    if (newSize <= this.size) return;
    if (newSize > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < newSize) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.size));
      this.buf = next;
    }
    this.size = newSize;
  }

  /** A copy of `[offset, offset+length)`; the range must be within `size`. */
  read(offset: number, length: number): Uint8Array {
    return this.buf.slice(offset, offset + length);
  }

  /** Writes `data[from, from+length)` at offset, zero-filling where data runs out. */
  writePadded(offset: number, data: Uint8Array, from: number, length: number): void {
    const available = from >= data.length ? 0 : Math.min(length, data.length - from);
    if (available > 0) this.buf.set(data.subarray(from, from + available), offset);
    if (available < length) this.buf.fill(0, offset + available, offset + length);
  }
}

/** Gas for a memory of `words` words: 3 per word plus words²/512. */
export function memoryCost(words: number): number {
  return 3 * words + Math.floor((words * words) / 512);
}
