import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { releaseAbandoned, RESERVATION_TTL_MS } from "../../src/billing/credit.ts";
import { openMeter } from "../../src/billing/meter.ts";
import { costOf, pricesOf } from "../../src/billing/prices.ts";
import { insertRun } from "../../src/db/runs.ts";
import worker from "../../src/index.ts";
import Counter from "../contracts/Counter.json";
import { encodeCall } from "./abi.ts";
import { api, newProject, testEnv, type TestKey } from "./helpers.ts";
import { allRuns, credit, expectError, rpc, setProject, sumCharges } from "./metering-helpers.ts";

const prices = pricesOf(testEnv);

async function reserved(k: TestKey): Promise<number> {
  return (await api(k, "GET", "/v1/project")).json.reserved;
}

/** Makes every reservation of the project look older than the TTL, as if its Worker had died long ago. */
async function age(k: TestKey): Promise<void> {
  await testEnv.DB.prepare(`UPDATE reservations SET created_at = created_at - ? WHERE project_id = ?`).bind(RESERVATION_TTL_MS + 1, k.projectId).run();
}

describe("credit", () => {
  it("answers 402 insufficient_credit before anything runs, for every kind of run (REST and JSON-RPC)", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") });
    const account = (await api(k, "GET", `/v1/accounts/${k.address}`)).json;
    const runsBefore = await allRuns(k);
    // Enough for a cheap call of 100,000 gas (300 micro-units), not for any run at the default gas cap.
    await setProject(k, "credit = ?", 1000);
    const inc = { to: counter, data: encodeCall("increment()") };
    expectError(await api(k, "POST", "/v1/call", inc), 402, "insufficient_credit");
    expectError(await api(k, "POST", "/v1/send", inc), 402, "insufficient_credit");
    expectError(await api(k, "POST", "/v1/simulate", { transactions: [inc] }), 402, "insufficient_credit");
    expectError(await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode }), 402, "insufficient_credit");
    expectError(await api(k, "POST", "/v1/send", { ...inc, gas: 100_000 }), 402, "insufficient_credit"); // send's own price is 1,000 + gas
    const r = (await rpc(k, "eth_call", [inc, "latest"])).json;
    expect(r.error).toMatchObject({ code: -32002, data: { code: "insufficient_credit" } });
    // Nothing executed: no new run, same nonce, the counter still 1, the credit untouched.
    expect(await allRuns(k)).toEqual(runsBefore);
    expect((await api(k, "GET", `/v1/accounts/${k.address}`)).json).toEqual(account);
    expect(BigInt((await api(k, "GET", `/v1/accounts/${counter}/storage/0`)).json.value)).toBe(1n);
    expect(await credit(k)).toBe(1000);
    expect(await reserved(k)).toBe(0);
    // Asking for less gas makes the reservation fit.
    const cheap = await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("count()"), gas: 100_000 });
    expect(cheap.status).toBe(200);
    expect(await credit(k)).toBe(1000 - Number(costOf(prices, "call", BigInt(cheap.json.gasUsed))));
  });

  it("never drives credit below zero under 50 concurrent requests near the limit; the log holds every charge once", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const gas = 200_000n;
    const hold = Number(costOf(prices, "simulate", gas)); // the larger of the two reservations
    const start = hold * 20 + hold / 2;
    await setProject(k, "credit = ?", start);
    const chargedBefore = sumCharges(await allRuns(k));
    const bodies = Array.from({ length: 50 }, (_, i) =>
      i % 5 === 0
        ? api(k, "POST", "/v1/simulate", { transactions: [{ to: counter, data: encodeCall("increment()"), gas: gas.toString() }] })
        : api(k, "POST", "/v1/call", { to: counter, data: encodeCall("count()"), gas: gas.toString() }),
    );
    const statuses = (await Promise.all(bodies)).map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 402)).toBe(true);
    // Each run costs far less than its reservation, so more than 20 fit, but not all 50.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
    expect(statuses.filter((s) => s === 402).length).toBeGreaterThan(0);
    const left = await credit(k);
    expect(left).toBeGreaterThanOrEqual(0);
    const runs = await allRuns(k);
    expect(runs.length - 1).toBe(statuses.filter((s) => s === 200).length);
    expect(start - left).toBe(sumCharges(runs) - chargedBefore);
    expect(await reserved(k)).toBe(0);
  });

  it("gives back credit held by a Worker that died before settling: when the credit falls short, and by the cron sweep", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    await setProject(k, "credit = ?", 20_000);
    // The coordinator "dies" after preparing: the run is never settled nor logged.
    const died = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()"), gas: 40_000 }, { "x-fault": "die-after-prepare" });
    expect(died.status).toBe(500);
    const held = Number(costOf(prices, "send", 40_000n));
    expect(await reserved(k)).toBe(held);
    expect(await credit(k)).toBe(20_000 - held);
    // A fresh reservation is never released: a run that still fits leaves it alone.
    await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("count()"), gas: 30_000 });
    expect(await reserved(k)).toBe(held);
    // Once abandoned (older than the TTL), a request the remaining credit cannot cover gets it back.
    await age(k);
    // 9.5M gas reserves 19,100: more than is left (about 18,760), less than with the release.
    const ok = await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("count()"), gas: 9_500_000 });
    expect(ok.status).toBe(200);
    expect(await reserved(k)).toBe(0);
    const runs = await allRuns(k);
    expect(20_000 - (await credit(k))).toBe(sumCharges(runs.slice(0, 2)));

    // The cron sweep releases abandoned reservations of every project.
    const other = await newProject();
    const otherCounter = (await api(other, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    await setProject(other, "credit = ?", 100_000);
    const dead = await api(other, "POST", "/v1/send", { to: otherCounter, data: encodeCall("increment()"), gas: 40_000 }, { "x-fault": "die-after-prepare" });
    expect(dead.status).toBe(500);
    expect(await reserved(other)).toBe(held);
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController(), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(await reserved(other)).toBe(held); // not yet abandoned
    await age(other);
    const ctx2 = createExecutionContext();
    worker.scheduled(createScheduledController(), testEnv, ctx2);
    await waitOnExecutionContext(ctx2);
    expect(await reserved(other)).toBe(0);
    expect(await credit(other)).toBe(100_000);
  });

  it("settles once, never above the reservation; a run settled after its reservation was released is logged free", async () => {
    const k = await newProject();
    await setProject(k, "credit = ?", 10_000);
    const record = (id: string, gasUsed: bigint, charge: bigint) => ({
      id, projectId: k.projectId, keyId: k.keyId, chainId: BigInt(k.chainId), kind: "call" as const, to: null, selector: null, gasLimit: 0n, gasUsed,
      status: "success" as const, errorCode: null, durationMs: 1, blockNumber: 1n, txHash: null, contractAddress: null, charge,
    });
    // Reserved for 0 gas (100), used a million: charged the 100 reserved, no more.
    const m = (await openMeter(testEnv.DB, testEnv, k.projectId, "call", 0n))!;
    const closed = m.close("run_over", 1_000_000n);
    expect(closed.charge).toBe(100n);
    await insertRun(testEnv.DB, record("run_over", 1_000_000n, closed.charge), [], undefined, closed.statements);
    expect(await credit(k)).toBe(9_900);
    // Released as abandoned (the sweep ran 15 minutes later), then settled: free, and logged so.
    const late = (await openMeter(testEnv.DB, testEnv, k.projectId, "call", 1_000_000n))!;
    expect(await credit(k)).toBe(9_900 - 2_100);
    await releaseAbandoned(testEnv.DB, Date.now() + RESERVATION_TTL_MS + 1);
    expect(await credit(k)).toBe(9_900);
    const lateClose = late.close("run_late", 50_000n);
    await insertRun(testEnv.DB, record("run_late", 50_000n, lateClose.charge), [], undefined, lateClose.statements);
    expect(await credit(k)).toBe(9_900);
    const runs = await allRuns(k);
    expect(runs.map((r) => [r.id, r.charge])).toEqual([["run_late", 0], ["run_over", 100]]);
    const usage = (await api(k, "GET", "/v1/usage")).json.total;
    expect(usage).toEqual({ runs: 2, gas: 1_050_000, charge: 100 });
  });
});
