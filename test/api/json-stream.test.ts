import { describe, expect, it } from "vitest";
import { slicedJson } from "../../src/api/json-stream.ts";

const text = async (s: ReadableStream<Uint8Array>) => new Response(s).text();

describe("slicedJson", () => {
  it("writes the same text as JSON.stringify, whatever the array's length and the key's place", async () => {
    for (const n of [0, 1, 499, 500, 501, 2_500]) {
      const items = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? undefined : { i, s: `"${i}"\u2028`, t: [i, null] }));
      const value = { jsonrpc: "2.0", id: n, result: items, after: { x: 1 } };
      expect(await text(slicedJson(value, "result"))).toBe(JSON.stringify(value));
      const first = { result: items, id: "a" };
      expect(await text(slicedJson(first, "result"))).toBe(JSON.stringify(first));
    }
  });
});
