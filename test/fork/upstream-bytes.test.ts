import { describe, expect, it } from "vitest";
import { Upstream } from "../../src/fork/upstream.ts";
import type { Network } from "../../src/fork/network.ts";

const NETWORK: Network = { name: "test", chainId: 1n, urls: ["http://upstream.test/"], proofs: true, forks: {} };
const CHUNK = 1024;

/**
 * An upstream whose every answer is a JSON-RPC result string of `size` bytes, sent in 1 KiB
 * chunks a turn apart (so answers read in parallel interleave); counts the bytes it handed out.
 */
function slowUpstream(size: number) {
  const sent = { bytes: 0 };
  const fetcher = (async (_url: string, init: RequestInit) => {
    const id = (JSON.parse(String(init.body)) as { id: number }[])[0].id;
    const head = `[{"jsonrpc":"2.0","id":${id},"result":"`, tail = `"}]`;
    const text = head + "a".repeat(size - head.length - tail.length) + tail;
    const bytes = new TextEncoder().encode(text);
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        await new Promise((r) => setTimeout(r, 0));
        if (at >= bytes.length) return c.close();
        const chunk = bytes.subarray(at, at + CHUNK);
        at += chunk.length;
        sent.bytes += chunk.length;
        c.enqueue(chunk);
      },
    });
    return new Response(body, { status: 200 });
  }) as typeof fetch;
  return { sent, fetcher };
}

describe("upstream bytes", () => {
  it("answers read in parallel share the request's byte limit while they arrive", async () => {
    const limit = 64 * 1024;
    const { sent, fetcher } = slowUpstream(48 * 1024);
    const upstream = new Upstream(NETWORK, { roundTrips: 64, bytes: limit }, fetcher);
    // Each answer alone is within the limit; four together are three times over it.
    const calls = [0, 1, 2, 3].map(() => upstream.call("eth_getCode", ["0x" + "00".repeat(20), "latest"]));
    const settled = await Promise.allSettled(calls);
    expect(settled.some((s) => s.status === "rejected" && (s.reason as { code?: string }).code === "upstream_bytes_exceeded")).toBe(true);
    // What was taken from the network: the limit, and at most one more chunk for each answer in flight.
    expect(sent.bytes).toBeLessThanOrEqual(limit + 4 * CHUNK);
    expect(upstream.usage.bytes).toBeGreaterThan(limit);
  });

  it("an answer within the limit is read whole and counted by its bytes", async () => {
    const { fetcher } = slowUpstream(10_000);
    const upstream = new Upstream(NETWORK, { roundTrips: 64, bytes: 1 << 20 }, fetcher);
    const result = (await upstream.call("eth_getCode", ["0x" + "00".repeat(20), "latest"])) as string;
    expect(result.length).toBe(10_000 - `[{"jsonrpc":"2.0","id":0,"result":""}]`.length);
    const request = JSON.stringify([{ jsonrpc: "2.0", id: 0, method: "eth_getCode", params: ["0x" + "00".repeat(20), "latest"] }]);
    expect(upstream.usage).toMatchObject({ requests: 1, roundTrips: 1, bytes: request.length + 10_000 });
  });
});
