import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { costOf, pricesOf } from "../../src/billing/prices.ts";
import type { RunRow } from "../../src/records/run.ts";
import Counter from "../contracts/Counter.json";
import { encodeCall } from "./abi.ts";
import { api, ledgerOf, logCaughtUp, newProject, testEnv, type TestKey } from "./helpers.ts";
import { allRuns, credit, expectError, ledgerSql, rpc, setCredit, sumCharges } from "./metering-helpers.ts";

const prices = pricesOf(testEnv);

async function reserved(k: TestKey): Promise<number> {
  return (await api(k, "GET", "/v1/project")).json.reserved;
}

/** Makes every reservation of the project look older than the TTL, then runs the ledger's alarm (its sweep). */
async function sweepAbandoned(k: TestKey): Promise<void> {
  await ledgerSql(k.projectId, `UPDATE reservations SET created_at = created_at - ?`, 10 * 60 * 1000 + 1);
  await runDurableObjectAlarm(ledgerOf(k.projectId));
}

describe("credit", () => {
  it("answers 402 insufficient_credit before anything runs, for every kind of run (REST and JSON-RPC)", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") });
    const account = (await api(k, "GET", `/v1/accounts/${k.address}`)).json;
    const runsBefore = await allRuns(k);
    // Enough for a cheap call of 100,000 gas (300 micro-units), not for any run at the default gas cap.
    await setCredit(k, 1000);
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
    await logCaughtUp(k);
    expect(await credit(k)).toBe(1000 - Number(costOf(prices, "call", BigInt(cheap.json.gasUsed))));
  });

  it("never drives credit below zero under 50 concurrent requests near the limit; the log holds every charge once", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const gas = 200_000n;
    const hold = Number(costOf(prices, "simulate", gas)); // the larger of the two reservations
    const start = hold * 20 + hold / 2;
    await logCaughtUp(k);
    await setCredit(k, start);
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
    await logCaughtUp(k);
    const left = await credit(k);
    expect(left).toBeGreaterThanOrEqual(0);
    const runs = await allRuns(k);
    // Every run is logged once; a 402 can also come after its run began (a simulation whose
    // re-run the credit no longer covers): that run is logged and charged for what it ran.
    expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
    const stopped = runs.filter((r) => r.errorCode === "insufficient_credit").length;
    expect(runs.length - 1 - stopped, JSON.stringify(runs.map((r) => [r.kind, r.status, r.errorCode]))).toBe(statuses.filter((s) => s === 200).length);
    expect(stopped).toBeLessThanOrEqual(statuses.filter((s) => s === 402).length);
    expect(start - left).toBe(sumCharges(runs) - chargedBefore);
    expect(await reserved(k)).toBe(0);
  });

  it("charges a request whose Worker died before settling what it reserved, logged as abandoned, once", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    await logCaughtUp(k);
    await setCredit(k, 20_000);
    // The coordinator "dies" after preparing: nothing committed, nothing settled.
    const died = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()"), gas: 40_000 }, { "x-fault": "die-after-prepare" });
    expect(died.status).toBe(500);
    const held = Number(costOf(prices, "send", 40_000n));
    expect(await reserved(k)).toBe(held);
    expect(await credit(k)).toBe(20_000 - held);
    // Not yet abandoned: the alarm leaves a young reservation alone.
    await runDurableObjectAlarm(ledgerOf(k.projectId));
    expect(await reserved(k)).toBe(held);
    await sweepAbandoned(k);
    await logCaughtUp(k);
    expect(await reserved(k)).toBe(0);
    expect(await credit(k)).toBe(20_000 - held);
    const abandoned = (await allRuns(k)).filter((r) => r.errorCode === "abandoned");
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]).toMatchObject({ kind: "send", status: "error", charge: held });
    // The sender's object was fenced: that request can never commit now.
    await sweepAbandoned(k);
    expect((await allRuns(k)).filter((r) => r.errorCode === "abandoned")).toHaveLength(1);
  });

  it("settles a send committed by a Worker that then died: its record charges it once, the rest comes back", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    await logCaughtUp(k);
    await setCredit(k, 20_000);
    const died = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()"), gas: 60_000 }, { "x-fault": "die-after-decide" });
    expect(died.status).toBe(500);
    // Committed: the record travels from the sender's outbox; the queue settles its charge.
    await logCaughtUp(k, [k.address], { reservations: false });
    await sweepAbandoned(k);
    await logCaughtUp(k);
    const runs = await allRuns(k);
    const sent = runs.filter((r) => r.kind === "send");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ status: "success" });
    expect(runs.filter((r) => r.errorCode === "abandoned")).toEqual([]);
    expect(await credit(k)).toBe(20_000 - sent[0].charge);
    expect(await reserved(k)).toBe(0);
  });

  it("settles each run once by its id and never above its reservation; a run settled after its sweep is logged free", async () => {
    const k = await newProject();
    await setCredit(k, 10_000);
    const ledger = ledgerOf(k.projectId);
    const keyHash = (await import("../../src/records/api-key.ts")).hashKey(k.key);
    const row = (id: string, gasUsed: string, charge: string): RunRow => ({
      id, projectId: k.projectId, keyId: k.keyId, chainId: String(k.chainId), kind: "call", to: null, selector: null, gasLimit: "0", gasUsed,
      status: "success", errorCode: null, durationMs: 1, blockNumber: "1", txHash: null, contractAddress: null, charge, createdAt: Date.now(),
    });
    const item = { fixed: "100", perMillionGas: "2000", gas: "0", gasDefaulted: false };
    const a = await ledger.admit({ keyHash, items: 1, reserve: [item], kind: "call" });
    if (!a.ok || a.reservation === undefined) throw new Error("not admitted");
    // Used a million gas on a reservation of 100: charged the 100, no more; twice settled, once charged.
    const run = { runId: "run_over", kind: "call" as const, gasUsed: "1000000", charge: "2100", row: row("run_over", "1000000", "2100") };
    await ledger.settle({ reservationId: a.reservation.id, runs: [run], close: false });
    await ledger.settle({ reservationId: a.reservation.id, runs: [run], close: true });
    expect(await credit(k)).toBe(9_900);
    // Swept as abandoned (nothing committed: charged whole), then settled late: logged free.
    const late = await ledger.admit({ keyHash, items: 1, reserve: [{ ...item, gas: "1000000" }], kind: "call" });
    if (!late.ok || late.reservation === undefined) throw new Error("not admitted");
    await sweepAbandoned(k);
    expect(await credit(k)).toBe(9_900 - 2_100);
    await ledger.settle({ reservationId: late.reservation.id, runs: [{ runId: "run_late", kind: "call", gasUsed: "50000", charge: "200", row: row("run_late", "50000", "200") }], close: true });
    expect(await credit(k)).toBe(9_900 - 2_100);
    await logCaughtUp(k);
    const runs = await allRuns(k);
    expect(runs.map((r) => [r.id, r.charge]).sort()).toEqual([[`abandoned_${late.reservation.id}`, 2_100], ["run_late", 0], ["run_over", 100]]);
    const usage = (await api(k, "GET", "/v1/usage")).json.total;
    expect(usage).toEqual({ runs: 3, gas: 1_050_000, charge: 2_200 });
  });
});
