import { describe, expect, it } from "vitest";
import { api, anotherKey, newProject, sleep } from "./helpers.ts";
import { allRuns, expectError, rpc, setLimits } from "./metering-helpers.ts";

describe("plan limits", () => {
  it("refuses a run asking for more gas than the plan allows (400 gas_limit_too_high, REST and JSON-RPC); without gas, a run gets the plan's cap", async () => {
    const k = await newProject();
    await setLimits(k, { maxGasPerRun: 100_000 });
    expectError(await api(k, "POST", "/v1/call", { to: k.address, gas: 100_001 }), 400, "gas_limit_too_high");
    expectError(await api(k, "POST", "/v1/send", { to: k.address, gas: 200_000 }), 400, "gas_limit_too_high");
    expectError(await api(k, "POST", "/v1/simulate", { transactions: [{ to: k.address, gas: 200_000 }] }), 400, "gas_limit_too_high");
    const r = (await rpc(k, "eth_call", [{ to: k.address, gas: "0x30d40" }, "latest"])).json;
    expect(r.error.data.code).toBe("gas_limit_too_high");
    expect(await allRuns(k)).toEqual([]);
    expect((await api(k, "POST", "/v1/call", { to: k.address, gas: 100_000 })).status).toBe(200);
    expect((await api(k, "POST", "/v1/call", { to: k.address })).status).toBe(200);
    expect((await allRuns(k)).map((x) => x.gasLimit)).toEqual([100_000, 100_000]);
    expect((await api(k, "GET", "/v1/project")).json.limits).toEqual({ maxGasPerRun: 100_000, requestsPerMinute: 600, retentionDays: 30 });
  });

  it("limits requests per key: 429 rate_limited with Retry-After past the plan's rate, REST and JSON-RPC; other keys unaffected; tokens come back", async () => {
    const k = await newProject();
    await setLimits(k, { requestsPerMinute: 60 }); // one a second, bursts of 60
    // 70 at once: the burst of 60 passes, plus one a second while they run; the rest is refused.
    const t0 = Date.now();
    const statuses = (await Promise.all(Array.from({ length: 70 }, () => api(k, "GET", `/v1/accounts/${k.address}`)))).map((r) => r.status);
    const refill = Math.ceil((Date.now() - t0) / 1000);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(60);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(60 + refill);
    const limited = await api(k, "GET", "/v1/project");
    expectError(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.json.error.message).not.toContain(k.key);
    // A token comes back every second: on a slow machine one may have by now, so JSON-RPC gets
    // a few tries to meet the empty bucket (each try takes the token that came back).
    let viaRpc = await rpc(k, "eth_chainId");
    for (let i = 0; i < 5 && viaRpc.status === 200; i++) viaRpc = await rpc(k, "eth_chainId");
    expect(viaRpc.status).toBe(429);
    expect(viaRpc.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(viaRpc.json.error.data.code).toBe("rate_limited");
    // The limit is per key: another key of the same project still gets through.
    const other = await anotherKey(k);
    expect((await api(other, "GET", "/v1/project")).status).toBe(200);
    await sleep(Number(limited.headers.get("retry-after")) * 1000 + 100);
    expect((await api(k, "GET", "/v1/project")).status).toBe(200);
  });
});
