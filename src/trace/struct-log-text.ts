/**
 * Pieces of the struct log's JSON text, written straight from its columns (StructLogColumns):
 * each the text JSON.stringify writes for the same value.
 */

/** What JSON.stringify would escape in a string: quote, backslash, controls, lone surrogates (any surrogate here: those go the slow way). */
const ESCAPES = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `s` as a JSON string. Hex and op names never need an escape; anything else is escaped as JSON.stringify does. */
export function quoted(s: string): string {
  return ESCAPES.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A stack item (a word: a number below 2^53, or a bigint). */
export type StackItem = number | bigint;

const SMALL_HEX: string[] = [];
const SMALL = 1 << 16;

/** An item's hex; small numbers (offsets, lengths, pcs, flags: most items) are made once per isolate. */
export function itemHex(v: StackItem): string {
  if (typeof v === "number" && v < SMALL) return (SMALL_HEX[v] ??= `0x${v.toString(16)}`);
  return `0x${v.toString(16)}`;
}

/** 16^k for k = 0..64. */
const POW16 = Array.from({ length: 65 }, (_, k) => 16n ** BigInt(k));

/** Hex digits of an item (`itemHex` without its "0x"), made without making the text. */
export function hexDigits(v: StackItem): number {
  if (typeof v === "number") {
    if (v < 2 ** 32) return v === 0 ? 1 : (35 - Math.clz32(v)) >> 2;
    return 8 + hexDigits(Math.floor(v / 2 ** 32));
  }
  // The least k with v < 16^k.
  let lo = 1, hi = 64;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v < POW16[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `n` as JSON writes it (`null` for what JSON cannot hold). */
export function jsonNumber(n: number): string {
  return Number.isFinite(n) ? `${n}` : "null";
}

/**
 * The text of a step's stack items, between its brackets, kept from step to step: a step keeps
 * the first items of the step before and adds a few, so the text of the kept items is cut from
 * the last text, not written again.
 */
export class StackText {
  private text = "";
  /** Length of the text of items [0, k), separators included. */
  private readonly ends: number[] = [0];
  private count = 0;

  /** The stack that keeps `keep` items of the last one and adds `items[from, to)`. */
  next(keep: number, items: readonly StackItem[], from: number, to: number): string {
    let text = this.text, count = this.count;
    if (keep < count) {
      text = text.slice(0, this.ends[keep]);
      count = keep;
    }
    // Keeping more than the last stack had leaves holes, which JSON writes as null (never made by the logger).
    for (; count < keep; this.ends[++count] = text.length) text += count === 0 ? "null" : ",null";
    for (let j = from; j < to; j++) {
      // Hex never needs an escape.
      const item = `"${itemHex(items[j])}"`;
      text += count === 0 ? item : `,${item}`;
      this.ends[++count] = text.length;
    }
    this.text = text;
    this.count = count;
    return text;
  }
}

/** The JSON of the last value given, made again only for another value (shows share captures from step to step). */
export class LastJson {
  private value: unknown = undefined;
  private text = "";

  of(value: object | string): string {
    if (value !== this.value) {
      this.value = value;
      this.text = JSON.stringify(value);
    }
    return this.text;
  }
}
