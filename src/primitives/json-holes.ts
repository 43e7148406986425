/**
 * Values whose JSON is too large to make in one piece (a struct log of 100,000 steps, a long
 * array): an answer leaves a hole where such a value goes and writes it in slices, or sends the
 * bytes its maker wrote (src/api/json-stream.ts), so the heap never holds all of its entries as
 * objects or as one string. Anywhere else (JSON.stringify alone) the value's
 * `toJSON` makes the whole thing.
 */
export interface SlicedText {
  /** The JSON of the value's items, a slice at a time, each slice its items joined by commas. */
  jsonSlices(): Iterable<string>;
  /** The length of all its slices joined by commas, when its maker counted it as it went: measured without writing them. */
  readonly jsonChars?: number;
}

/** A value whose JSON was written as it was made (a struct log). */
export interface WrittenJson {
  /** The JSON of the value's items joined by commas: ASCII bytes, in pieces sent one after another. */
  jsonBytes(): Iterable<Uint8Array>;
  /** The length of all its pieces. */
  readonly jsonChars: number;
}

export type SlicedJsonValue = SlicedText | WrittenJson;

let open: { token: string; values: SlicedJsonValue[] } | undefined;

/** Inside `withHoles`: registers `v` and answers the string that stands for it; else undefined. */
export function holeFor(v: SlicedJsonValue): string | undefined {
  if (open === undefined) return undefined;
  open.values.push(v);
  return `${open.token}${open.values.length - 1}`;
}

/** Runs `make` (a JSON.stringify) with the values that leave holes answering `token` + their index. */
export function withHoles<T>(token: string, make: () => T): { made: T; values: SlicedJsonValue[] } {
  const outer = open;
  open = { token, values: [] };
  try {
    return { made: make(), values: open.values };
  } finally {
    open = outer;
  }
}
