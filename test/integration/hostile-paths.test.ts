import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { api } from "./helpers.ts";
import { expectRefusedCleanly, hostileProject } from "./hostile-helpers.ts";

/**
 * Every route by its path, with {placeholders} for what a client puts in the URL (one line per
 * endpoint: new endpoints go here). The property test fills the placeholders with hostile values
 * and sends every method to every path.
 */
const ROUTES: { method: string; path: string }[] = [
  { method: "GET", path: "/v1/accounts/{address}" },
  { method: "GET", path: "/v1/accounts/{address}/code" },
  { method: "GET", path: "/v1/accounts/{address}/storage/{slot}" },
  { method: "GET", path: "/v1/runs?limit={number}&cursor={any}" },
  { method: "GET", path: "/v1/runs/{any}" },
  { method: "GET", path: "/v1/usage?granularity={any}&from={number}" },
  { method: "GET", path: "/v1/project" },
  { method: "GET", path: "/v1/keys" },
  { method: "DELETE", path: "/v1/keys/{any}" },
  { method: "POST", path: "/v1/call" },
  { method: "POST", path: "/rpc/{any}" },
  { method: "GET", path: "/v1/{any}" },
  { method: "GET", path: "/{any}/{any}" },
];

/** A correctly checksummed address (EIP-55's own example) and the same with one letter's case flipped. */
const CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const BAD_CHECKSUM = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";

const hostileSegment = fc.oneof(
  fc.constantFrom(CHECKSUMMED, BAD_CHECKSUM, CHECKSUMMED.toLowerCase(), `0x${CHECKSUMMED.slice(2).toUpperCase()}`, "0x123", "0x" + "a".repeat(39), "0x" + "a".repeat(41), "0xzz", "", "..", "%00", "%2F", "%F0%9F%A6%84", "-1", "1e400", "0x" + "f".repeat(65), (1n << 256n).toString(), "9".repeat(5000), "run_00000000000000000000000000000000", "key_nope", "c0", "c1", "hour", "day"),
  fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEFxg-_.~"), maxLength: 70 }),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);

const requests = fc.record({
  route: fc.constantFrom(...ROUTES),
  method: fc.oneof(fc.constant(undefined), fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")),
  values: fc.array(hostileSegment, { minLength: 4, maxLength: 4 }),
  body: fc.oneof(fc.constant(undefined), fc.constantFrom("{}", "[]", "{", "null", '{"to":"0x"}')),
}).map(({ route, method, values, body }) => {
  let i = 0;
  const path = route.path.replace(/\{[a-z]+\}/g, () => values[i++ % values.length]);
  const m = method ?? route.method;
  return { method: m, path, text: m === "GET" || m === "OPTIONS" ? undefined : body, contentType: "application/json" };
});

describe("hostile HTTP paths and methods", () => {
  it("answers hostile path values, unknown routes and wrong methods with a 4xx and a code (or a 2xx read), never a 5xx, changing nothing", async () => {
    const k = await hostileProject();
    await fc.assert(
      fc.asyncProperty(requests, async (r) => {
        const status = await expectRefusedCleanly(k, r);
        // Reads of a well-formed path may succeed; nothing else here may.
        if (status < 400) expect(["GET", "POST"]).toContain(r.method);
      }),
      { numRuns: 250, seed: 20261125 },
    );
  }, 180_000);

  it("refuses an address with a wrong EIP-55 checksum in a path or a body, and takes the right one", async () => {
    const k = await hostileProject();
    for (const path of [`/v1/accounts/${BAD_CHECKSUM}`, `/v1/accounts/${BAD_CHECKSUM}/code`, `/v1/accounts/${BAD_CHECKSUM}/storage/0`]) {
      const r = await api(k, "GET", path);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe("invalid_address_checksum");
    }
    for (const path of ["/v1/call", "/v1/send"]) {
      const r = await api(k, "POST", path, { to: BAD_CHECKSUM, data: "0x" });
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe("invalid_address_checksum");
    }
    expect((await api(k, "GET", `/v1/accounts/${CHECKSUMMED}`)).status).toBe(200);
    expect((await api(k, "POST", "/v1/call", { to: CHECKSUMMED, data: "0x" })).status).toBe(200);
  });
});
