import { describe, expect, it } from "vitest";
import { newProject } from "./helpers.ts";
import { fetchWorker } from "./rpc-client.ts";

const ORIGIN = "https://dapp.example";

describe("CORS on /rpc and /v1", () => {
  it.each(["/rpc/some-key", "/rpc", "/v1/runs", "/v1/call"])("answers a browser's preflight for %s before admission (no key needed)", async (path) => {
    const res = await fetchWorker(`http://edge-evm.test${path}`, {
      method: "OPTIONS",
      headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("a cross-origin JSON-RPC fetch is answered with the CORS headers and its cost readable", async () => {
    const k = await newProject("cors");
    const res = await fetchWorker(`http://edge-evm.test/rpc/${k.key}`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: "0x0000000000000000000000000000000000000004", data: "0x1234" }, "latest"] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-expose-headers")).toContain("x-edge-evm-charge");
    expect(res.headers.get("x-edge-evm-executions")).toBe("1");
    expect(((await res.json()) as { result: string }).result).toBe("0x1234");
  });

  it("a cross-origin /v1 request with a bearer key, and a refused one, both carry the CORS headers", async () => {
    const k = await newProject("cors-v1");
    const ok = await fetchWorker("http://edge-evm.test/v1/runs?limit=1", { headers: { origin: ORIGIN, authorization: `Bearer ${k.key}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe("*");
    const refused = await fetchWorker("http://edge-evm.test/v1/runs", { headers: { origin: ORIGIN, authorization: "Bearer nope" } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("an OPTIONS that is not a preflight is not CORS: refused with a JSON error like any other request", async () => {
    const res = await fetchWorker("http://edge-evm.test/v1/accounts/", { method: "OPTIONS" });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(typeof ((await res.json()) as { error: { code: string } }).error.code).toBe("string");
  });

  it("the operator's routes stay same-origin", async () => {
    const res = await fetchWorker("http://edge-evm.test/operator/projects", { method: "OPTIONS", headers: { origin: ORIGIN, "access-control-request-method": "POST" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});
