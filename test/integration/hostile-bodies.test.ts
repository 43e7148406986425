import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newProject, testEnv, type TestKey } from "./helpers.ts";

const worker = exports as unknown as { default: { fetch(r: Request): Promise<Response> } };

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

async function state(k: TestKey) {
  const account = await testEnv.ACCOUNTS.get(testEnv.ACCOUNTS.idFromName(`${k.chainId}:${k.address}`)).load({ code: true, slots: ["0x0"] });
  const db = await testEnv.DB.prepare(`SELECT (SELECT COUNT(*) FROM runs WHERE project_id = ?1) AS runs, (SELECT credit FROM projects WHERE id = ?1) AS credit, (SELECT COUNT(*) FROM api_keys WHERE project_id = ?1) AS keys`).bind(k.projectId).first();
  return JSON.stringify({ account, db });
}

describe("hostile HTTP input", () => {
  it("answers every mutated or malformed request with a 4xx and a code, never a 5xx, and a refused request changes nothing", async () => {
    const k = await newProject();
    await testEnv.DB.prepare(`UPDATE projects SET requests_per_minute = 1000000 WHERE id = ?`).bind(k.projectId).run();
    await testEnv.DB.prepare(`UPDATE api_keys SET scopes = 'read simulate send admin' WHERE id = ?`).bind(k.keyId).run();
    await fc.assert(
      fc.asyncProperty(requests(k), async (r) => {
        const before = await state(k);
        const started = Date.now();
        const res = await worker.default.fetch(
          new Request(`http://edge-evm.test${r.path}`, { method: r.method, headers: { authorization: `Bearer ${k.key}`, ...(r.contentType ? { "content-type": r.contentType } : {}) }, body: r.text }),
        );
        const text = await res.text();
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(res.status, `${r.method} ${r.path} ${r.text?.slice(0, 200)} → ${text.slice(0, 200)}`).toBeLessThan(500);
        const json = JSON.parse(text);
        if (r.path === "/rpc") {
          if (json.error) expect(typeof json.error.code).toBe("number");
        } else if (res.status >= 400) {
          expect(typeof json.error.code).toBe("string");
          expect(typeof json.error.message).toBe("string");
          expect(await state(k), `${r.method} ${r.path} refused but changed state`).toBe(before);
        }
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
