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
const EMPTY = new Uint8Array(0);
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
  /** The chunk being written, a view of it for word stores, and where the next byte goes. */
  buf: Uint8Array;
  view: DataView;
  at = 0;
  /** Counts the chunks written (a region written again counts anew): text kept at an index is there while it is the same. */
  chunks = 0;
  /** Where the bytes of the chunk not yet in `pieces` start. */
  private from = 0;
  private readonly pieces: Uint8Array[] = [];
  /** Of the region's pieces not yet copied out (empty in `pieces` until then): their index, start and end, three numbers each. */
  private readonly uncopied: number[] = [];
  /** Bytes of the kept entries, a separator each. */
  private counted = 0;

  /**
   * `region`, when given, is the one chunk written (with SLACK bytes past any write: a view of the
   * WebAssembly writer's memory, which writes entries there too), written again from its start
   * when full: its text goes to the pieces as copies.
   */
  constructor(private region?: Uint8Array) {
    this.buf = region ?? new Uint8Array(0);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Makes room for `size` more bytes in the chunk being written (and SLACK past them). */
  room(size: number): void {
    if (this.at + size + SLACK <= this.buf.length) return;
    this.flush();
    this.chunks++;
    this.at = this.from = 0;
    if (this.region !== undefined) {
      this.copyOut();
      if (size + SLACK > this.region.length) throw new Error(`an entry's ${size} bytes to copy pass the region's ${this.region.length}`);
      return;
    }
    this.buf = new Uint8Array(Math.max(size + SLACK, Math.min(LAST_CHUNK, Math.max(FIRST_CHUNK, 2 * this.buf.length))));
    this.view = new DataView(this.buf.buffer);
  }

  /**
   * The text is whole: a region's text is copied out and the region let go. An answer is kept
   * until it is sent (a batch keeps each of its answers), and should hold its own bytes, not its
   * writer's memory (256 KiB an instance, however short the log).
   */
  seal(): void {
    if (this.region === undefined) return;
    this.flush();
    this.copyOut();
    this.region = undefined;
    this.buf = new Uint8Array(0);
    this.view = new DataView(this.buf.buffer);
    this.at = this.from = 0;
  }

  /** The WebAssembly writer's memory this log holds a view of: none without the writer, or once sealed. */
  get writerMemory(): ArrayBufferLike | undefined {
    return this.region?.buffer;
  }

  /** `bytes`, which never change, come next in the text: referenced, not copied. */
  share(bytes: Uint8Array): void {
    this.flush();
    this.pieces.push(bytes);
  }

  /** The bytes written since the last piece become one: a view of the chunk (of the region's copy, made when it is full or read). */
  private flush(): void {
    if (this.at > this.from) {
      if (this.region === undefined) this.pieces.push(this.buf.subarray(this.from, this.at));
      else {
        this.uncopied.push(this.pieces.length, this.from, this.at);
        this.pieces.push(EMPTY);
      }
    }
    this.from = this.at;
  }

  /** The region's pieces not yet copied (which tile one range of it) become views of one copy of it. */
  private copyOut(): void {
    const u = this.uncopied;
    if (u.length === 0) return;
    const start = u[1], copy = this.buf.slice(start, u[u.length - 1]);
    for (let i = 0; i < u.length; i += 3) this.pieces[u[i]] = copy.subarray(u[i + 1] - start, u[i + 2] - start);
    u.length = 0;
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
    // A region's text is copied out: the answer never holds a view of memory written again.
    if (this.region !== undefined) {
      this.flush();
      this.copyOut();
    }
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

/** `,"op":"NAME","gas":`: an entry's text between its pc and its gas, by either writer. */
export function opMember(name: string): string {
  return `,"op":${JSON.stringify(name)},"gas":`;
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
const LOOP_BYTES = 12;
/** Above this many bytes, a native copy (subarray and set, or copyWithin) beats one by groups (putWords). */
export const WORD_LOOP_BYTES = 128;

/** Writes `src` at `at`; answers where it ends. Short text byte by byte, longer as one copy. */
export function putBytes(buf: Uint8Array, at: number, src: Uint8Array): number {
  const n = src.length;
  if (n > LOOP_BYTES) buf.set(src, at);
  else for (let i = 0; i < n; i++) buf[at + i] = src[i];
  return at + n;
}

/**
 * Bytes past the end of what is written that a writer may store over: text goes out eight bytes
 * at a store (a byte store costs about what an eight-byte one does), so the last store of a
 * piece can pass its end by up to seven bytes, which what comes next overwrites. Every array
 * written to keeps this many bytes free past its text.
 *
 * The eight bytes go through a float64 (DataView's getFloat64 and setFloat64, which keep its
 * bits). Text is ASCII, so a group's top byte is below 0x7f and no group is a NaN, the one value
 * an engine may rewrite.
 */
export const SLACK = 8;

/** ASCII text as groups of eight bytes (little-endian, the last padded with zeros), written a group at a store. */
export interface Text {
  readonly length: number;
  readonly groups: Float64Array;
}

export function textOf(s: string): Text {
  const bytes = new Uint8Array((s.length + 7) & ~7);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  const view = new DataView(bytes.buffer), groups = new Float64Array(bytes.length / 8);
  for (let i = 0; i < groups.length; i++) groups[i] = view.getFloat64(8 * i, true);
  return { length: s.length, groups };
}

/** Writes `t` at `at` (passing its end by up to seven bytes); answers where it ends. */
export function putText(view: DataView, at: number, t: Text): number {
  const groups = t.groups;
  for (let i = 0, p = at; i < groups.length; i++, p += 8) view.setFloat64(p, groups[i], true);
  return at + t.length;
}

/** Copies the text `src[from, to)` to `at` eight bytes at a time (reading and writing up to seven bytes past the range); answers where it ends. */
export function putWords(view: DataView, at: number, src: DataView, from: number, to: number): number {
  for (let p = at, i = from; i < to; i += 8, p += 8) view.setFloat64(p, src.getFloat64(i, true), true);
  return at + to - from;
}

/** The ASCII of the four decimal digits of each value below 10^4 (with leading zeros), packed little-endian. */
function decimalTable(): Uint32Array {
  const table = new Uint32Array(10_000);
  for (let v = 0; v < 10_000; v++) {
    let word = 0;
    for (let k = 0, n = v; k < 4; k++, n = Math.floor(n / 10)) word |= (48 + (n % 10)) << (8 * (3 - k));
    table[v] = word;
  }
  return table;
}

/** Made at first use (40 KiB): an isolate that traces nothing never builds it. */
let dec4: Uint32Array | undefined;

/** The four decimal digits of each value below 10^4 (ASCII, packed little-endian, leading zeros kept). */
export function decimals(): Uint32Array {
  return (dec4 ??= decimalTable());
}
/**
 * The two hex digits of each byte, packed little-endian: four digits are two lookups. A table of
 * every 16-bit value (256 KiB) was no faster in a trace, where it competes for the cache.
 */
export const HEX2 = Uint16Array.from({ length: 256 }, (_, b) => "0123456789abcdef".charCodeAt(b >> 4) | ("0123456789abcdef".charCodeAt(b & 15) << 8));

/** The four hex digits of the low 16 bits of `w`, packed little-endian. */
function hex4(w: number): number {
  return HEX2[(w >>> 8) & 255] | (HEX2[w & 255] << 16);
}

/** Writes the last `d` (1 to 4) of the four digits packed in `word`; answers where they end. */
function putLast(view: DataView, at: number, word: number, d: number): number {
  view.setUint32(at, word >>> (8 * (4 - d)), true);
  return at + d;
}

/** Decimal digits of a non-negative integer below 10^4. */
function digits4(n: number): number {
  return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : 4;
}

/** Writes `n` (below 10^8) without leading zeros, four digits a store; answers where it ends. */
function putDecimal8(view: DataView, at: number, n: number, dec: Uint32Array): number {
  if (n < 1e4) return putLast(view, at, dec[n], digits4(n));
  const hi = Math.floor(n / 1e4);
  at = putLast(view, at, dec[hi], digits4(hi));
  view.setUint32(at, dec[n - 1e4 * hi], true);
  return at + 4;
}

/**
 * Writes `n` as JSON does; answers where it ends. Integers below 2^53 four digits a store (a
 * division by 10^4 or 10^8 of an integer below 2^53 is never rounded up to the next integer, so
 * `Math.floor` gives the quotient); anything else through its text.
 */
export function putNumber(view: DataView, at: number, n: number): number {
  const dec = decimals();
  if (n >= 0 && n < 1e8 && (n | 0) === n) return putDecimal8(view, at, n, dec);
  if (n >= 0 && Number.isSafeInteger(n)) {
    const hi = Math.floor(n / 1e8), lo = n - 1e8 * hi, mid = Math.floor(lo / 1e4);
    at = putDecimal8(view, at, hi, dec);
    view.setUint32(at, dec[mid], true);
    view.setUint32(at + 4, dec[lo - 1e4 * mid], true);
    return at + 8;
  }
  const text = JSON.stringify(n);
  for (let i = 0; i < text.length; i++) view.setUint8(at++, text.charCodeAt(i));
  return at;
}

/** `"0x` as a word (its fourth byte is overwritten by the digits). */
const QUOTE_0X = 0x22 | (0x30 << 8) | (0x78 << 16);

/** Hex digits of a non-zero 32-bit value (unsigned). */
function hexDigits(w: number): number {
  return (35 - Math.clz32(w)) >> 2;
}

/** Writes the 32-bit value `w` (unsigned) as `d` hex digits (1 to 8, without its leading zeros); answers where they end. */
function putHex(view: DataView, at: number, w: number, d: number): number {
  if (d <= 4) return putLast(view, at, hex4(w), d);
  at = putLast(view, at, hex4(w >>> 16), d - 4);
  view.setUint32(at, hex4(w), true);
  return at + 4;
}

/**
 * Writes a stack item as `"0x…"` (its hex without leading zeros); answers where it ends. A
 * number (below 2^53) is written four digits a store; a bigint through its text.
 */
export function putItem(view: DataView, at: number, v: number | bigint): number {
  view.setUint32(at, QUOTE_0X, true);
  at += 3;
  if (typeof v === "bigint") {
    const text = v.toString(16);
    for (let i = 0; i < text.length; i++) view.setUint8(at++, text.charCodeAt(i));
  } else {
    if (v >= 2 ** 32) {
      const hi = Math.floor(v / 2 ** 32), lo = v - hi * 2 ** 32;
      at = putHex(view, at, hi, hexDigits(hi));
      at = putHex(view, at, lo, 8);
    } else at = putHex(view, at, v, v === 0 ? 1 : hexDigits(v));
  }
  view.setUint8(at, 0x22);
  return at + 1;
}

/**
 * Writes a word held as eight 32-bit limbs (least significant first, at `o` of `l`: the
 * interpreter's limb form) as `"0x…"`, its hex without leading zeros; answers where it ends. No
 * bigint is made: a wide word's text from its bigint (`toString(16)`, then its characters) costs
 * several times this.
 */
export function putLimbs(view: DataView, at: number, l: Int32Array, o: number): number {
  view.setUint32(at, QUOTE_0X, true);
  at += 3;
  let k = 7;
  while (k > 0 && l[o + k] === 0) k--;
  const top = l[o + k] >>> 0;
  at = putHex(view, at, top, top === 0 ? 1 : hexDigits(top));
  for (k--; k >= 0; k--) at = putHex(view, at, l[o + k] >>> 0, 8);
  view.setUint8(at, 0x22);
  return at + 1;
}

/** The most bytes `putItem` writes: quotes, "0x" and 64 digits. */
export const ITEM_BYTES = 68;
