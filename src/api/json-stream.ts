/**
 * A JSON answer whose long array is written in slices, handing the isolate back between them:
 * the answer is the same text JSON.stringify makes, but a 10,000-log eth_getLogs no longer holds
 * the isolate for one ~60 ms stringify while other requests (other tenants') wait behind it.
 */

/** Arrays longer than this are written in slices. */
export const STREAM_ITEMS = 2_000;
const SLICE = 500;
const HOLE = "\u0000edge-evm-slices\u0000";

/** `value` as JSON with `value[key]` (an array) written in slices. */
export function slicedJson(value: Record<string, unknown>, key: string): ReadableStream<Uint8Array> {
  const items = value[key] as unknown[];
  const [head, tail] = JSON.stringify({ ...value, [key]: HOLE }).split(JSON.stringify(HOLE));
  const encoder = new TextEncoder();
  let at = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (at === 0) controller.enqueue(encoder.encode(`${head}[`));
      else await new Promise((r) => setTimeout(r, 0));
      const slice = items.slice(at, at + SLICE).map((x) => JSON.stringify(x) ?? "null");
      controller.enqueue(encoder.encode((at > 0 && slice.length > 0 ? "," : "") + slice.join(",")));
      at += SLICE;
      if (at >= items.length) {
        controller.enqueue(encoder.encode(`]${tail}`));
        controller.close();
      }
    },
  });
}
