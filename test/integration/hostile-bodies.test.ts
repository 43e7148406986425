import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newProject, type TestKey } from "./helpers.ts";
import { expectRefusedCleanly, hostileProject, worker } from "./hostile-helpers.ts";

/** Every endpoint, with a valid body to mutate (one line each: new endpoints go here). */
const ENDPOINTS: { method: string; path: (k: TestKey) => string; body?: (k: TestKey) => Record<string, unknown> }[] = [
  { method: "POST", path: () => "/v1/contracts", body: () => ({ bytecode: "0x6001600055", value: "0", gas: 100_000 }) },
  { method: "POST", path: () => "/v1/call", body: (k) => ({ to: k.address, data: "0x", from: k.address, value: "0", gas: 50_000 }) },
  { method: "POST", path: () => "/v1/send", body: (k) => ({ to: k.address, data: "0x", value: "1", gas: 50_000 }) },
  { method: "POST", path: () => "/v1/simulate", body: (k) => ({ transactions: [{ to: k.address, data: "0x" }], stateOverrides: {}, trace: "call" }) },
  { method: "GET", path: (k) => `/v1/accounts/${k.address}` },
  { method: "GET", path: (k) => `/v1/accounts/${k.address}/code` },
  { method: "GET", path: (k) => `/v1/accounts/${k.address}/storage/0x1` },
  { method: "GET", path: () => "/v1/runs?limit=5" },
  { method: "GET", path: () => "/v1/runs/run_00000000000000000000000000000000" },
  { method: "GET", path: () => "/v1/usage?granularity=hour" },
  { method: "GET", path: () => "/v1/project" },
  { method: "POST", path: () => "/v1/keys", body: () => ({ scopes: ["read"] }) },
  { method: "DELETE", path: () => "/v1/keys/key_nope" },
  { method: "POST", path: () => "/v1/project/credit", body: () => ({ amount: "1" }) },
  { method: "POST", path: (k) => `/operator/projects/${k.projectId}/credit`, body: () => ({ amount: "1" }) },
  { method: "POST", path: () => "/rpc", body: (k) => ({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: k.address, data: "0x" }, "latest"] }) },
];

/** Values that break parsers: wrong types, odd or bad hex, huge or negative numbers, bad addresses, deep nesting. */
const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom("0x", "0x0", "0xzz", "0x123", "-1", "1e400", "NaN", "0x" + "f".repeat(65), "9".repeat(100), "0xABCDEFabcdef0000000000000000000000000000", "\u0000", "🦄", ""),
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
  fc.double(),
  fc.constant(JSON.parse("[".repeat(200) + "]".repeat(200))),
  fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF"), maxLength: 90 }).map((h) => `0x${h}`),
);

/** A request: a valid body with fields replaced, dropped or added, or plain garbage. */
function requests(k: TestKey) {
  return fc.record({
    endpoint: fc.constantFrom(...ENDPOINTS),
    mutation: fc.oneof(
      fc.record({ kind: fc.constant("replace" as const), key: fc.string({ maxLength: 12 }), value: hostileValue }),
      fc.record({ kind: fc.constant("garbage" as const), text: fc.oneof(fc.string(), fc.constant("{"), fc.constant('{"a":'), fc.constant("null"), fc.constant("[]")) }),
      fc.record({ kind: fc.constant("drop" as const), key: fc.string({ maxLength: 12 }) }),
      fc.record({ kind: fc.constant("extra" as const), key: fc.string({ minLength: 1, maxLength: 12 }), value: hostileValue }),
    ),
    contentType: fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", ""),
  }).map(({ endpoint, mutation, contentType }) => {
    const base = endpoint.body?.(k);
    let text: string | undefined;
    if (mutation.kind === "garbage") text = mutation.text;
    else if (base !== undefined) {
      const b: Record<string, unknown> = { ...base };
      const keys = Object.keys(b);
      const key = keys.length > 0 && mutation.key.length % 2 === 0 ? keys[mutation.key.length % keys.length] : mutation.key;
      if (mutation.kind === "drop") delete b[key];
      else b[key] = mutation.value;
      text = JSON.stringify(b);
    }
    return { method: endpoint.method, path: endpoint.path(k), text: endpoint.method === "GET" || endpoint.method === "DELETE" ? undefined : text, contentType };
  });
}

describe("hostile HTTP bodies", () => {
  it("answers every mutated or malformed body with a 4xx and a code, never a 5xx, and a refused request changes nothing", async () => {
    const k = await hostileProject();
    await fc.assert(
      fc.asyncProperty(requests(k), async (r) => {
        await expectRefusedCleanly(k, r);
      }),
      { numRuns: 300, seed: 20261124 },
    );
  }, 180_000);

  it("refuses an oversized body with 413 body_too_large before parsing it", async () => {
    const k = await newProject();
    const big = JSON.stringify({ to: k.address, data: `0x${"00".repeat(600_000)}` });
    for (const path of ["/v1/call", "/v1/simulate", "/v1/send"]) {
      const res = await worker.default.fetch(new Request(`http://edge-evm.test${path}`, { method: "POST", headers: { authorization: `Bearer ${k.key}`, "content-type": "application/json" }, body: big }));
      expect(res.status).toBe(413);
      expect(((await res.json()) as any).error.code).toBe("body_too_large");
    }
    const rpc = await worker.default.fetch(new Request(`http://edge-evm.test/rpc/${k.key}`, { method: "POST", body: big }));
    expect(rpc.status).toBe(413);
  });
});

describe("hostile HTTP bodies: the cases a generator rarely builds", () => {
  it("refuses a chunked body over the cap while reading it (no content-length), with or without an Idempotency-Key", async () => {
    const k = await newProject();
    const chunk = new TextEncoder().encode(`"${"0".repeat(64 * 1024 - 2)}"`);
    const stream = () => {
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 40) controller.enqueue(chunk); // 2.5 MiB in all
          else controller.close();
        },
      });
    };
    for (const [path, headers] of [["/v1/call", {}], ["/v1/send", { "idempotency-key": "big-body-1" }]] as const) {
      const req = new Request(`http://edge-evm.test${path}`, { method: "POST", headers: { authorization: `Bearer ${k.key}`, ...headers }, body: stream(), duplex: "half" } as RequestInit);
      expect(req.headers.get("content-length")).toBeNull();
      const res = await worker.default.fetch(req);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("body_too_large");
    }
  });

  it("refuses JSON nested 300,000 deep, lone surrogates and NUL bytes with a 4xx", async () => {
    const k = await hostileProject();
    const deep = `{"to": ${"[".repeat(300_000)}${"]".repeat(300_000)}}`;
    for (const text of [deep, `{"to": "\\ud800", "data": "0x"}`, `{"to": "0x\u0000", "data": "0x"}`, `{"data": "0x${"0".repeat(1001)}"}`]) {
      for (const path of ["/v1/call", "/v1/send", "/v1/simulate", "/v1/contracts"]) {
        const status = await expectRefusedCleanly(k, { method: "POST", path, text, contentType: "application/json" });
        expect(status).toBeGreaterThanOrEqual(400);
      }
    }
  }, 60_000);
});
