import { holeFor, withHoles, type SlicedJsonValue } from "../primitives/json-holes.ts";

/** Arrays of an answer longer than this are written in slices (jsonAnswer, SlicedArray). */
export const STREAM_ITEMS = 2_000;
const SLICE = 500;

/**
 * A long array of an answer, written SLICE items at a time with the isolate handed back between
 * slices: the text is JSON.stringify's, but a 10,000-log eth_getLogs no longer holds the isolate
 * for one ~60 ms stringify while other requests (other tenants') wait behind it.
 */
export class SlicedArray implements SlicedJsonValue {
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
    let slices = 0;
    for (const s of v.jsonSlices()) n += s.length + (slices++ > 0 ? 1 : 0);
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
  let slices: Iterator<string> | undefined;
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (slices === undefined) {
        controller.enqueue(encoder.encode(`${pieces[hole]}[`));
        slices = values[hole].jsonSlices()[Symbol.iterator]();
        first = true;
      } else await new Promise((r) => setTimeout(r, 0));
      const next = slices.next();
      if (!next.done) {
        controller.enqueue(encoder.encode(first ? next.value : `,${next.value}`));
        first = false;
        return;
      }
      controller.enqueue(encoder.encode("]"));
      slices = undefined;
      if (++hole === values.length) {
        controller.enqueue(encoder.encode(pieces[hole]));
        controller.close();
      }
    },
  });
}
