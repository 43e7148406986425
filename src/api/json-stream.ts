import { concatBytes } from "../primitives/bytes.ts";
import { holeFor, withHoles, type SlicedJsonValue, type SlicedText, type WrittenJson } from "../primitives/json-holes.ts";

/** Arrays of an answer longer than this are written in slices (jsonAnswer, SlicedArray). */
export const STREAM_ITEMS = 2_000;
const SLICE = 500;

/**
 * A long array of an answer, written SLICE items at a time with the isolate handed back between
 * slices: the text is JSON.stringify's, but a 10,000-log eth_getLogs no longer holds the isolate
 * for one ~60 ms stringify while other requests (other tenants') wait behind it.
 */
export class SlicedArray implements SlicedText {
  constructor(private readonly items: readonly unknown[]) {}

  *jsonSlices(): Generator<string> {
    for (let at = 0; at < this.items.length; at += SLICE) yield JSON.stringify(this.items.slice(at, at + SLICE)).slice(1, -1);
  }

  toJSON(): unknown {
    return holeFor(this) ?? this.items;
  }
}

let token: string | undefined;

/**
 * JSON.stringify of `value` with a hole in place of each value that leaves one (`holeText(i)`).
 * The token is random per isolate (made at first use: Workers refuse randomness in global scope)
 * and never shown, so no string of a request can forge a hole.
 */
function stringifyWithHoles(value: unknown) {
  token ??= `\u0000edge-evm-hole-${crypto.randomUUID()}-`;
  return withHoles(token, () => JSON.stringify(value) as string | undefined);
}

const holeText = (i: number) => JSON.stringify(`${token!}${i}`);

/** The length of `value`'s JSON, its holes by their counted length, or measured a slice at a time (never made whole). */
export function jsonLength(value: unknown): number {
  const { made: text, values } = stringifyWithHoles(value);
  let n = text?.length ?? 0;
  values.forEach((v, i) => {
    n -= holeText(i).length - 2;
    if (v.jsonChars !== undefined) return void (n += v.jsonChars);
    if ("jsonBytes" in v) for (const piece of v.jsonBytes()) n += piece.length;
    else {
      let slices = 0;
      for (const s of v.jsonSlices()) n += s.length + (slices++ > 0 ? 1 : 0);
    }
  });
  return n;
}

/**
 * `value` as JSON, with every value that leaves a hole (a struct log, src/primitives/json-holes.ts)
 * written a slice at a time, the isolate handed back between slices: a 16 MiB trace answer
 * never holds all its entries as objects at once. A plain string when there is no hole.
 */
export function jsonAnswer(value: unknown): string | ReadableStream<Uint8Array> {
  const { made: text, values } = stringifyWithHoles(value);
  if (values.length === 0 || text === undefined) return text as string;
  const pieces: string[] = [];
  let rest = text;
  for (let i = 0; i < values.length; i++) {
    const [before, after] = rest.split(holeText(i));
    pieces.push(before);
    rest = after;
  }
  pieces.push(rest);
  const encoder = new TextEncoder();
  let hole = 0;
  let slices: Iterator<Uint8Array[]> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (slices === undefined) {
        controller.enqueue(encoder.encode(`${pieces[hole]}[`));
        slices = holeBytes(values[hole], encoder);
      } else await new Promise((r) => setTimeout(r, 0));
      const next = slices.next();
      if (!next.done) return next.value.forEach((bytes) => controller.enqueue(bytes));
      controller.enqueue(encoder.encode("]"));
      slices = undefined;
      if (++hole === values.length) {
        controller.enqueue(encoder.encode(pieces[hole]));
        controller.close();
      }
    },
  });
}

/** Bytes of a hole written before (a struct log's pieces) an answer sends between two hand-backs of the isolate. */
const SEND = 256 * 1024;
/** Pieces below this many bytes are sent joined with their neighbours (one copy), larger ones as they are. */
const JOIN_BELOW = 16 * 1024;

/** A hole's bytes, a slice (or about SEND bytes of pieces) at a time. */
function* holeBytes(v: SlicedJsonValue, encoder: TextEncoder): Iterator<Uint8Array[]> {
  if ("jsonBytes" in v) return yield* sentPieces(v);
  let first = true;
  for (const slice of v.jsonSlices()) {
    yield [encoder.encode(first ? slice : `,${slice}`)];
    first = false;
  }
}

/**
 * A written value's pieces as an answer sends them, about SEND bytes at a time: large pieces as
 * they are (no copy), runs of small ones (text around shared captures) joined into one array.
 */
export function* sentPieces(v: WrittenJson): Generator<Uint8Array[]> {
  let out: Uint8Array[] = [], size = 0;
  let small: Uint8Array[] = [], smallSize = 0;
  const flushSmall = () => {
    if (small.length > 0) out.push(small.length === 1 ? small[0] : concatBytes(...small));
    small = [];
    smallSize = 0;
  };
  for (const piece of v.jsonBytes()) {
    if (piece.length >= JOIN_BELOW) {
      flushSmall();
      out.push(piece);
    } else {
      small.push(piece);
      smallSize += piece.length;
      if (smallSize >= JOIN_BELOW) flushSmall();
    }
    size += piece.length;
    if (size >= SEND) {
      flushSmall();
      yield out;
      out = [];
      size = 0;
    }
  }
  flushSmall();
  if (out.length > 0) yield out;
}
