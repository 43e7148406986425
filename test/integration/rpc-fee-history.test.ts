import { describe, expect, it } from "vitest";
import { logCaughtUp, newProject, type TestKey } from "./helpers.ts";
import { setLimits } from "./metering-helpers.ts";
import { fetchWorker, rpc } from "./rpc-client.ts";

const post = (k: TestKey, body: unknown) => fetchWorker(`http://edge-evm.test/rpc/${k.key}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const item = (id: number, params: unknown[]) => ({ jsonrpc: "2.0", id, method: "eth_feeHistory", params });
const HUNDRED = Array.from({ length: 100 }, (_, i) => i);

describe("eth_feeHistory under load (issue 13, item 6)", () => {
  it("refuses bad params with -32602, never -32603", async () => {
    const k = await newProject("fee-params");
    for (const params of [
      [1.5, "latest"],
      [-1, "latest"],
      ["0x", "latest"],
      ["ten", "latest"],
      [`0x1${"0".repeat(16)}`, "latest"],
      [1e300, "latest"],
      [4, "latest", [50, 10]],
      [4, "latest", [101]],
      [4, "latest", [-1]],
      [4, "latest", ["50"]],
      [4, "latest", Array.from({ length: 101 }, () => 50)],
      [4, "nope"],
      [4],
    ]) {
      const r = await rpc(k, "eth_feeHistory", params);
      expect(r.error, JSON.stringify(params)).toMatchObject({ code: -32602 });
    }
  });

  it("bounds an answer: 1024 blocks × 100 percentiles come back as fewer blocks (10,240 rewards at most)", async () => {
    const k = await newProject("fee-size");
    const r = (await rpc(k, "eth_feeHistory", ["0x400", "latest", HUNDRED])).result;
    expect(r.reward.length).toBe(Math.min(102, r.gasUsedRatio.length));
    expect(r.reward.length * 100).toBeLessThanOrEqual(10_240);
    expect(r.baseFeePerGas).toHaveLength(r.gasUsedRatio.length + 1);
    const few = (await rpc(k, "eth_feeHistory", [4, "latest", [25, 75]])).result;
    expect(few.gasUsedRatio).toHaveLength(4);
    await logCaughtUp(k);
  });

  it("a batch of 100 is 100 requests: each item charged as a query, each taking a rate token", async () => {
    const k = await newProject("fee-batch");
    const res = await post(k, HUNDRED.map((i) => item(i, ["0x400", "latest", HUNDRED])));
    const text = await res.text();
    expect(text.length).toBeLessThan(16 * 1024 * 1024);
    console.log(`eth_feeHistory(1024 blocks, 100 percentiles) x100: ${text.length} bytes`);
    expect((JSON.parse(text) as any[]).every((r) => r.result !== undefined)).toBe(true);
    expect(res.headers.get("x-edge-evm-charge")).toBe(String(100 * 100));

    const limited = await newProject("fee-rate");
    await setLimits(limited, { requestsPerMinute: 60 });
    const first = await post(limited, HUNDRED.slice(0, 60).map((i) => item(i, [1, "latest"])));
    expect(first.status).toBe(200);
    const over = await post(limited, [item(0, [1, "latest"]), item(1, [1, "latest"])]);
    expect(over.status).toBe(429);
    await logCaughtUp(k);
    await logCaughtUp(limited);
  });
});
