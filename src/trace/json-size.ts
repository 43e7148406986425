/**
 * Sizes of JSON pieces, so a tracer can count what it will answer before it builds it. Each
 * member of an object or array counts one separator (its comma, or the closing bracket), so an
 * object of members m is `1 + Σ(m + 1)` bytes: see `objectBytes`.
 */

/** Digits of an integer as JSON writes it. */
export function numberBytes(n: number): number {
  if (n < 0) return 1 + numberBytes(-n);
  // A struct log asks four times a step: the common sizes without a loop.
  if (n < 1e4) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : 4;
  if (n < 1e8) return n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : 8;
  let digits = 9;
  for (let p = 1e9; n >= p; p *= 10) digits++;
  return digits;
}

/** A string of plain ASCII (hex, names): its characters and two quotes. */
export function asciiBytes(s: string): number {
  return s.length + 2;
}

/** `"0x…"` of `length` bytes (bytesToHex). */
export function hexBytes(length: number): number {
  return 2 * length + 4;
}

/** `"key":` plus the value and its separator. */
export function memberBytes(key: string, value: number): number {
  return key.length + 4 + value;
}

/** An object (or array) whose members, each counted with `memberBytes` or `value + 1`, sum to `members`. */
export function objectBytes(members: number): number {
  return members === 0 ? 2 : members + 1;
}

/** A string as JSON writes it, escapes included (for text that is not plain ASCII). */
export function textBytes(s: string): number {
  return JSON.stringify(s).length;
}

/** A 32-byte word in hex (wordToHex): `"0x` + 64 digits + `"`. */
export const WORD_BYTES = 68;
