import { describe, expect, it } from "vitest";
import { costOf, pricesOf } from "../../src/billing/prices.ts";
import Counter from "../contracts/Counter.json";
import { encodeCall } from "./abi.ts";
import { api, newProject, testEnv } from "./helpers.ts";
import { allRuns, credit, rpc, sumCharges } from "./metering-helpers.ts";

const prices = pricesOf(testEnv);
/** Init code deploying a runtime that stores at 2 MiB: above the test memory cap (1 MiB). */
const MEMORY_HOG = "0x60088060095f395ff3" + "6001622000005200";

describe("charges", () => {
  it("uses the configured prices: kind price plus gas per million, rounded up", () => {
    expect(prices.perRun).toEqual({ call: 100n, simulate: 200n, send: 1000n, deploy: 5000n, query: 100n });
    expect(prices.perMillionGas).toBe(2000n);
    expect(costOf(prices, "call", 0n)).toBe(100n);
    expect(costOf(prices, "call", 500n)).toBe(101n); // 500 × 2000 / 1e6 = 1 exactly
    expect(costOf(prices, "call", 501n)).toBe(102n); // 1.002 rounds up
    expect(costOf(prices, "send", 21_000n)).toBe(1042n);
    expect(costOf(prices, "deploy", 1_000_000n)).toBe(7000n);
  });

  it("charges call, simulate, send and deploy exactly their price plus the gas each used, once; the credit moves by the same", async () => {
    const k = await newProject();
    const before = await credit(k);
    const deploy = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json;
    const send = (await api(k, "POST", "/v1/send", { to: deploy.address, data: encodeCall("increment()") })).json;
    const call = (await api(k, "POST", "/v1/call", { to: deploy.address, data: encodeCall("count()") })).json;
    const sim = (await api(k, "POST", "/v1/simulate", { transactions: [{ to: deploy.address, data: encodeCall("increment()") }, { to: deploy.address, data: encodeCall("increment()") }] })).json;
    const runs = await allRuns(k);
    const byId = new Map(runs.map((r) => [r.id, r]));
    const expected = [
      [deploy.runId, "deploy", deploy.gasUsed],
      [send.runId, "send", send.gasUsed],
      [call.runId, "call", call.gasUsed],
      // A simulation also runs each transaction again with its access list: charged too.
      [sim.runId, "simulate", sim.results.reduce((n: number, r: any) => n + r.gasUsed + r.gasUsedWithAccessList, 0)],
    ] as const;
    for (const [id, kind, gas] of expected) {
      const run = byId.get(id);
      expect(run, kind).toMatchObject({ kind, gasUsed: gas });
      expect(BigInt(run.charge), kind).toBe(costOf(prices, kind, BigInt(gas)));
    }
    expect(runs).toHaveLength(4);
    expect(sim.cost).toEqual({ gasExecuted: String(byId.get(sim.runId).gasUsed), executions: 4, charge: String(byId.get(sim.runId).charge) });
    expect(before - (await credit(k))).toBe(sumCharges(runs));
    expect((await api(k, "GET", "/v1/project")).json).toMatchObject({ credit: before - sumCharges(runs), reserved: 0 });
  });

  it("charges a revert, a halt and a cap hit for the gas they used, and a refused transaction its kind's price", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const hog = (await api(k, "POST", "/v1/contracts", { bytecode: MEMORY_HOG })).json.address;
    const before = await credit(k);
    const reverted = await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("fail(string)", { string: "no" }) });
    expect(reverted.json.status).toBe("reverted");
    const halted = await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("increment()"), gas: 30_000 });
    expect(halted.json.error.code).toBe("out_of_gas");
    const capped = await api(k, "POST", "/v1/send", { to: hog });
    expect(capped.json.error.code).toBe("memory_cap");
    const invalid = await api(k, "POST", "/v1/call", { to: counter, gas: 20_000 });
    expect(invalid.json.error.code).toBe("intrinsic_gas_too_low");
    const runs = (await allRuns(k)).slice(0, 4);
    expect(runs.map((r) => [r.kind, r.status, r.errorCode])).toEqual([
      ["call", "invalid", "intrinsic_gas_too_low"],
      ["send", "error", "memory_cap"],
      ["call", "halted", "out_of_gas"],
      ["call", "reverted", "reverted"],
    ]);
    expect(runs[0].charge).toBe(100);
    for (const r of runs.slice(1)) {
      expect(r.gasUsed).toBeGreaterThan(21_000);
      expect(BigInt(r.charge)).toBe(costOf(prices, r.kind, BigInt(r.gasUsed)));
    }
    expect(runs[2].gasUsed).toBe(30_000);
    expect(before - (await credit(k))).toBe(sumCharges(runs));
  });

  it("meters JSON-RPC executions by the same kinds and prices, and leaves reads free", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const before = await credit(k);
    const runsBefore = (await allRuns(k)).length;
    expect((await rpc(k, "eth_call", [{ to: counter, data: encodeCall("count()") }, "latest"])).json.result).toMatch(/^0x0+$/);
    expect((await rpc(k, "eth_estimateGas", [{ to: counter, data: encodeCall("increment()") }])).json.result).toMatch(/^0x/);
    expect((await rpc(k, "eth_getBalance", [k.address, "latest"])).json.result).toMatch(/^0x/);
    expect((await rpc(k, "eth_blockNumber")).json.result).toMatch(/^0x/);
    const runs = (await allRuns(k)).slice(0, (await allRuns(k)).length - runsBefore);
    expect(runs.map((r) => r.kind)).toEqual(["simulate", "call"]);
    for (const r of runs) expect(BigInt(r.charge)).toBe(costOf(prices, r.kind, BigInt(r.gasUsed)));
    expect(before - (await credit(k))).toBe(sumCharges(runs));
  });
});
