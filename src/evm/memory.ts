import type { Frame } from "./frame.ts";
import { setPiece } from "../primitives/word-bytes.ts";
import { ensureLimbs } from "./limbs.ts";
import { takePooledMemory } from "./pool.ts";
import { BOTH, LIMBS, WIDE } from "./stack.ts";

/** A frame's memory: one buffer that grows by doubling; `size` is the EVM-visible size (words * 32). */
export class Memory {
  buf: Uint8Array;
  /** A view of `buf` kept across instructions: creating one per MLOAD showed in profiles. */
  view: DataView;
  size = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
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
      this.view = new DataView(next.buffer);
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

/** A new frame's memory: a finished frame's, or a fresh one of 1 KiB. */
export function takeMemory(): Memory {
  return takePooledMemory() ?? new Memory(new Uint8Array(1024));
}

const TWO_POW_32 = 4294967296;
const MASK64 = 0xffffffffffffffffn;
const MASK192 = (1n << 192n) - 1n;

/** Loads the 32-byte big-endian word at `offset` (in bounds) into stack slot `i`. */
export function loadWord(f: Frame, i: number, offset: number): void {
  const v = f.memory.view;
  if ((v.getUint32(offset) | v.getUint32(offset + 4) | v.getUint32(offset + 8) | v.getUint32(offset + 12) | v.getUint32(offset + 16) | v.getUint32(offset + 20)) === 0) {
    const hi = v.getUint32(offset + 24);
    if (hi < 0x200000) {
      f.stack[i] = hi * TWO_POW_32 + v.getUint32(offset + 28);
      return;
    }
  }
  // Wide: as limbs, straight from the bytes. A full-width word last stored from a bigint (or
  // made one since) also gets that bigint back, for the instructions that want one.
  const l = ensureLimbs(f), o = 8 * i;
  for (let k = 0; k < 8; k++) l[o + k] = v.getInt32(offset + 28 - 4 * k);
  if ((l[o + 7] | l[o + 6]) !== 0) {
    const r = (offset >>> 5) & (REMEMBERED - 1), b = r * 8;
    if (
      l[o + 7] === rememberedBytes[b] && l[o + 6] === rememberedBytes[b + 1] &&
      l[o + 5] === rememberedBytes[b + 2] && l[o + 4] === rememberedBytes[b + 3] &&
      l[o + 3] === rememberedBytes[b + 4] && l[o + 2] === rememberedBytes[b + 5] &&
      l[o + 1] === rememberedBytes[b + 6] && l[o] === rememberedBytes[b + 7]
    ) {
      f.stack[i] = BOTH;
      f.wide[i] = rememberedWords[r];
      return;
    }
  }
  f.stack[i] = LIMBS;
}

// The bigints of full-width words (a bit set in the top 64) last stored from a bigint, one by
// offset modulo 8 KiB, each kept with its 32 bytes and given again while the memory there still
// holds them. Building such a word costs seven BigInt operations (about 200 ns); weierstrudel
// loads its 254-bit field elements four times for each store.
const REMEMBERED = 256;
const rememberedBytes = new Int32Array(REMEMBERED * 8);
const rememberedWords = new Array<bigint>(REMEMBERED).fill(0n);

/** Keeps `w` as the word whose bytes are at `o` of a view. */
function remember(v: DataView, o: number, w: bigint): void {
  const k = (o >>> 5) & (REMEMBERED - 1), b = k * 8;
  for (let j = 0; j < 8; j++) rememberedBytes[b + j] = v.getInt32(o + 4 * j);
  rememberedWords[k] = w;
}

/** Stores stack slot `i` as the 32-byte big-endian word at `offset` (in bounds). */
export function storeWord(f: Frame, i: number, offset: number): void {
  const v = f.memory.view;
  const n = f.stack[i];
  if (n >= 0) {
    v.setUint32(offset, 0); v.setUint32(offset + 4, 0); v.setUint32(offset + 8, 0); v.setUint32(offset + 12, 0);
    v.setUint32(offset + 16, 0); v.setUint32(offset + 20, 0);
    v.setUint32(offset + 24, Math.floor(n / TWO_POW_32));
    v.setUint32(offset + 28, n >>> 0);
    return;
  }
  if (n === WIDE) {
    storeWide(v, offset, f.wide[i]);
    return;
  }
  const l = f.limbs, o = 8 * i;
  for (let k = 0; k < 8; k++) v.setInt32(offset + 28 - 4 * k, l[o + k]);
  if (n === BOTH && (l[o + 7] | l[o + 6]) !== 0) remember(v, offset, f.wide[i]);
}

/** A piece keeps the low 64 bits of what it is given, so no piece needs a mask. */
function storeWide(v: DataView, offset: number, value: bigint): void {
  if (value <= MASK64) {
    v.setUint32(offset, 0); v.setUint32(offset + 4, 0); v.setUint32(offset + 8, 0); v.setUint32(offset + 12, 0);
    v.setUint32(offset + 16, 0); v.setUint32(offset + 20, 0);
  } else {
    if (value <= MASK192) {
      v.setUint32(offset, 0); v.setUint32(offset + 4, 0);
    } else {
      setPiece(v, offset, value >> 192n);
      setPiece(v, offset + 8, value >> 128n);
      setPiece(v, offset + 16, value >> 64n);
      setPiece(v, offset + 24, value);
      remember(v, offset, value);
      return;
    }
    setPiece(v, offset + 8, value >> 128n);
    setPiece(v, offset + 16, value >> 64n);
  }
  setPiece(v, offset + 24, value);
}

/** Gas for a memory of `words` words: 3 per word plus words²/512. */
export function memoryCost(words: number): number {
  return 3 * words + Math.floor((words * words) / 512);
}
