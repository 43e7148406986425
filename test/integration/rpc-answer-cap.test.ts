import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_ANSWER_BYTES } from "../../src/api/rpc/handler.ts";
import { api, newProject } from "./helpers.ts";

const worker = exports as unknown as { default: { fetch(r: Request): Promise<Response> } };

/** Runtime: RETURN(0, 256 KiB) — the largest output a run may give (CAPS.returnDataBytes). */
const BIG_OUTPUT = "0x6006600a5f3960065ff3620400005ff3";

describe("the size of a JSON-RPC answer", () => {
  it("stops a batch whose answer passes the cap: later items answer -32003 response too large and are not run", async () => {
    const k = await newProject();
    const big = (await api(k, "POST", "/v1/contracts", { bytecode: BIG_OUTPUT })).json.address;
    const batch = Array.from({ length: 100 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_call", params: [{ to: big }, "latest"] }));
    const res = await worker.default.fetch(new Request(`http://edge-evm.test/rpc/${k.key}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch) }));
    const text = await res.text();
    expect(text.length).toBeLessThan(MAX_ANSWER_BYTES + 1024 * 1024);
    const answers = JSON.parse(text) as { id: number; result?: string; error?: { code: number; data?: { code: string } } }[];
    expect(answers.map((a) => a.id)).toEqual(batch.map((b) => b.id));
    const ran = answers.filter((a) => a.result !== undefined);
    expect(ran.length).toBeGreaterThan(10);
    expect(ran.every((a) => a.result!.length === 2 + 2 * 256 * 1024)).toBe(true);
    const refused = answers.slice(ran.length);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => a.error?.code === -32003 && a.error.data?.code === "answer_too_large")).toBe(true);
    // Only what ran is paid: the cost header counts the executions made.
    expect(Number(res.headers.get("x-edge-evm-executions"))).toBe(ran.length + 1);
  });
});
