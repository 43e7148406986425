import type { Hex } from "../primitives/hex.ts";
import { holeFor, type WrittenJson } from "../primitives/json-holes.ts";

/** One step of geth's struct logger ("opcode" tracer), field for field, in geth's order. */
export interface StructLogJson {
  pc: number;
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: Hex[];
  returnData?: Hex;
  memory?: Hex[];
  refund?: number;
  storage?: Record<Hex, Hex>;
  error?: string;
}

export const COMMA = 0x2c;
const FIRST_CHUNK = 4 * 1024;
const LAST_CHUNK = 64 * 1024;
/** Text of at least this many bytes that steps repeat (a capture, a deep stack's bottom) is referenced, not copied. */
export const SHARED = 1024;

/**
 * The struct log's answer, written as the run goes: the entries' JSON text (ASCII), joined by
 * commas, as bytes. Entries are written into chunks; text that steps repeat unchanged (a memory
 * or storage capture, the bottom of a deep stack) is a piece of its own, referenced by every
 * entry that shows it: the answer repeats it, the heap holds it once.
 *
 * Writing the entries as objects (then as columns) and their JSON after the run cost several
 * times the run itself; bytes written once are also what the answer sends, with no text to
 * encode.
 */
export class StructLogText implements WrittenJson {
  length = 0;
  /** The chunk being written, and where the next byte goes. */
  buf = new Uint8Array(0);
  at = 0;
  /** Where the bytes of the chunk not yet in `pieces` start. */
  private from = 0;
  private readonly pieces: Uint8Array[] = [];
  /** Bytes of the kept entries, a separator each. */
  private counted = 0;

  /** Makes room for `size` more bytes in the chunk being written. */
  room(size: number): void {
    if (this.at + size <= this.buf.length) return;
    this.flush();
    this.buf = new Uint8Array(Math.max(size, Math.min(LAST_CHUNK, Math.max(FIRST_CHUNK, 2 * this.buf.length))));
    this.at = this.from = 0;
  }

  /** `bytes`, which never change, come next in the text: referenced, not copied. */
  share(bytes: Uint8Array): void {
    this.flush();
    this.pieces.push(bytes);
  }

  private flush(): void {
    if (this.at > this.from) this.pieces.push(this.buf.subarray(this.from, this.at));
    this.from = this.at;
  }

  /** An entry was written whole; `bytes` is its length with its separator (as the logger counted it). */
  kept(bytes: number): void {
    this.length++;
    this.counted += bytes;
  }

  /** The length of the entries' JSON joined by commas: a batch measures an answer by it. */
  get jsonChars(): number {
    return this.length === 0 ? 0 : this.counted - 1;
  }

  /** The entries' JSON joined by commas, as pieces to send one after another. */
  *jsonBytes(): Generator<Uint8Array> {
    yield* this.pieces;
    if (this.at > this.from) yield this.buf.subarray(this.from, this.at);
  }

  /** The entries as objects (tests, and JSON.stringify outside an answer). */
  toArray(): StructLogJson[] {
    const decoder = new TextDecoder();
    let text = "";
    for (const piece of this.jsonBytes()) text += decoder.decode(piece);
    return JSON.parse(`[${text}]`) as StructLogJson[];
  }

  /** The answer's `structLogs`: a hole an answer writes piece by piece, else the entries. */
  toJSON(): unknown {
    return holeFor(this) ?? this.toArray();
  }
}

const encoder = new TextEncoder();

/** `s` (ASCII) as bytes: long text natively, short text without a call's overhead. */
export function asciiOf(s: string): Uint8Array {
  if (s.length > 64) return encoder.encode(s);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Above this many bytes, a native copy beats a loop (its call costs about what a dozen bytes
 * stored one by one do).
 */
export const LOOP_BYTES = 12;
const RANGE_LOOP_BYTES = 96;

/** Writes `src` at `at`; answers where it ends. Short text byte by byte, longer as one copy. */
export function putBytes(buf: Uint8Array, at: number, src: Uint8Array): number {
  const n = src.length;
  if (n > LOOP_BYTES) buf.set(src, at);
  else for (let i = 0; i < n; i++) buf[at + i] = src[i];
  return at + n;
}

/**
 * Writes `src[from, to)` at `at`; answers where it ends. A range copies natively only when long:
 * its view (`subarray`) is an allocation besides the call, which cost a struct log entry's new
 * stack items (25 bytes on average in sha1_divs) more than the loop.
 */
export function putRange(buf: Uint8Array, at: number, src: Uint8Array, from: number, to: number): number {
  if (to - from > RANGE_LOOP_BYTES) {
    buf.set(src.subarray(from, to), at);
    return at + to - from;
  }
  for (let i = from; i < to; i++) buf[at++] = src[i];
  return at;
}

/** Decimal digits of a non-negative integer below 2^53. */
function digitsOf(n: number): number {
  if (n < 1e4) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : 4;
  if (n < 1e8) return n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : 8;
  let digits = 9;
  for (let p = 1e9; n >= p; p *= 10) digits++;
  return digits;
}

/** Writes `n` as JSON does; answers where it ends. Integers below 2^53 digit by digit, anything else through its text. */
export function putNumber(buf: Uint8Array, at: number, n: number): number {
  if (n >= 0 && Number.isSafeInteger(n)) {
    // Two digits a division (a division costs more than the stores).
    let i = at + digitsOf(n);
    const end = i;
    while (n >= 100) {
      const q = Math.floor(n / 100), r = n - 100 * q;
      buf[--i] = ONES[r];
      buf[--i] = TENS[r];
      n = q;
    }
    if (n >= 10) {
      buf[--i] = ONES[n];
      buf[--i] = TENS[n];
    } else buf[--i] = 48 + n;
    return end;
  }
  const text = JSON.stringify(n);
  for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
  return at;
}

const HEX = asciiOf("0123456789abcdef");
/** The tens and ones digits of 0..99. */
const TENS = Uint8Array.from({ length: 100 }, (_, n) => 48 + Math.floor(n / 10));
const ONES = Uint8Array.from({ length: 100 }, (_, n) => 48 + (n % 10));

/**
 * Writes a stack item as `"0x…"` (its hex without leading zeros); answers where it ends. A
 * number (below 2^53) is written digit by digit; a bigint through its text.
 */
export function putItem(buf: Uint8Array, at: number, v: number | bigint): number {
  buf[at++] = 0x22;
  buf[at++] = 0x30;
  buf[at++] = 0x78;
  if (typeof v === "bigint") {
    const text = v.toString(16);
    for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
  } else {
    let hi = 0, lo = v;
    if (v >= 2 ** 32) {
      hi = Math.floor(v / 2 ** 32);
      lo = v - hi * 2 ** 32;
    }
    const digits = hi === 0 ? (lo === 0 ? 1 : (35 - Math.clz32(lo)) >> 2) : 8 + ((35 - Math.clz32(hi)) >> 2);
    let p = at + digits - 1;
    at += digits;
    if (hi !== 0) {
      for (let k = 0; k < 8; k++, lo >>>= 4) buf[p--] = HEX[lo & 15];
      lo = hi;
    }
    for (; p >= at - digits; lo >>>= 4) buf[p--] = HEX[lo & 15];
  }
  buf[at++] = 0x22;
  return at;
}

/**
 * Writes a word held as eight 32-bit limbs (least significant first, at `o` of `l`: the
 * interpreter's limb form) as `"0x…"`, its hex without leading zeros; answers where it ends. No
 * bigint is made: a wide word's text from its bigint (`toString(16)`, then its characters) costs
 * several times this.
 */
export function putLimbs(buf: Uint8Array, at: number, l: Int32Array, o: number): number {
  buf[at++] = 0x22;
  buf[at++] = 0x30;
  buf[at++] = 0x78;
  let k = 7;
  while (k > 0 && l[o + k] === 0) k--;
  let w = l[o + k] >>> 0;
  const digits = w === 0 ? 1 : (35 - Math.clz32(w)) >> 2;
  for (let p = at + digits - 1; p >= at; p--, w >>>= 4) buf[p] = HEX[w & 15];
  at += digits;
  for (k--; k >= 0; k--, at += 8) {
    w = l[o + k];
    for (let p = at + 7; p >= at; p--, w >>>= 4) buf[p] = HEX[w & 15];
  }
  buf[at++] = 0x22;
  return at;
}

/** The most bytes `putItem` writes: quotes, "0x" and 64 digits. */
export const ITEM_BYTES = 68;
