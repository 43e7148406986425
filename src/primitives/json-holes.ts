/**
 * Values whose JSON is too large to make in one piece (a struct log of 100,000 steps): an answer
 * leaves a hole where such a value goes and writes it in slices (src/api/json-stream.ts), so the
 * heap never holds all of its entries at once. Anywhere else (JSON.stringify alone) the value's
 * `toJSON` makes the whole thing.
 */
export interface SlicedJsonValue {
  /** The JSON of the value's items, a slice at a time, each slice its items joined by commas. */
  jsonSlices(): Iterable<string>;
  /** The length of all its slices joined by commas, when its maker counted it as it went: measured without writing them. */
  readonly jsonChars?: number;
}

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
