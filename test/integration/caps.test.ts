import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { bytesToHex } from "../../src/primitives/hex.ts";
import { api, newProject, type TestKey, logCaughtUp } from "./helpers.ts";
import { allRuns, credit, rpc, setCredit } from "./metering-helpers.ts";

// vitest.workers.config.ts sets MEMORY_CAP_BYTES = 1 MiB and TIME_CAP_MS = 2000 for these tests.

/** Init code that deploys `runtime` (at most 255 bytes), after running `prefix` (no jumps). */
function deployer(runtime: string, prefix = ""): string {
  const byte = (n: number) => n.toString(16).padStart(2, "0");
  return `0x${prefix}60${byte(runtime.length / 2)}8060${byte(prefix.length / 2 + 9)}5f395ff3${runtime}`;
}

/** MSTORE at 2 MiB: affordable within the gas cap, above the memory cap. */
const MEMORY_HOG = deployer("600162200000" + "5200");
/**
 * Reads storage slots 0, 1, 2, ... until gas runs out: every read is a load from the account's
 * object (its constructor stores slot 0xff, so the account has storage to ask for).
 */
const COLD_READER = deployer("5f" + "5b" + "805450" + "600101" + "600156", "600160ff55");

async function deploy(k: TestKey, bytecode: string): Promise<string> {
  const r = await api(k, "POST", "/v1/contracts", { bytecode });
  expect(r.status).toBe(201);
  return r.json.address;
}

describe("sandbox caps", () => {
  it("ends a run that grows memory past the cap with 413 memory_cap, commits nothing, logs the gas it used", async () => {
    const k = await newProject();
    const hog = await deploy(k, MEMORY_HOG);
    const before = (await api(k, "GET", `/v1/accounts/${k.address}`)).json;
    const call = await api(k, "POST", "/v1/call", { to: hog });
    expect({ status: call.status, code: call.json.error?.code }).toEqual({ status: 413, code: "memory_cap" });
    const send = await api(k, "POST", "/v1/send", { to: hog });
    expect({ status: send.status, code: send.json.error?.code }).toEqual({ status: 413, code: "memory_cap" });
    // The send committed nothing: the sender's nonce did not move.
    expect((await api(k, "GET", `/v1/accounts/${k.address}`)).json.nonce).toBe(before.nonce);
    const runs = (await api(k, "GET", "/v1/runs?limit=2")).json.runs;
    for (const run of runs) {
      expect(run).toMatchObject({ status: "error", errorCode: "memory_cap" });
      expect(BigInt(run.gasUsed)).toBeGreaterThan(21_000n);
    }
  });

  it("ends a run that outlasts its time budget with 413 time_cap", async () => {
    const k = await newProject();
    const reader = await deploy(k, COLD_READER);
    const started = Date.now();
    const r = await api(k, "POST", "/v1/call", { to: reader });
    expect({ status: r.status, code: r.json.error?.code }).toEqual({ status: 413, code: "time_cap" });
    // Stopped by its budget, long before the end of its gas (the clock of a loaded machine only
    // bounds how long that took).
    expect(Date.now() - started).toBeLessThan(30_000);
    await logCaughtUp(k);
    const [run] = (await api(k, "GET", "/v1/runs?limit=1")).json.runs;
    expect(run).toMatchObject({ kind: "call", status: "error", errorCode: "time_cap" });
    expect(BigInt(run.gasUsed)).toBeLessThan(BigInt(run.gasLimit) / 2n);
  });

  it("ends a run with too many logs, or too much log data, with its own 413 code", async () => {
    const k = await newProject();
    const many = await deploy(k, deployer(bytesToHex(asm("PUSH2 0x0401 :top PUSH0 PUSH0 LOG0 PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP")).slice(2)));
    const r1 = await api(k, "POST", "/v1/call", { to: many });
    expect({ status: r1.status, code: r1.json.error?.code }).toEqual({ status: 413, code: "too_many_logs" });
    const big = await deploy(k, deployer(bytesToHex(asm("PUSH3 0x04b000 PUSH0 LOG0 STOP")).slice(2)));
    const r2 = await api(k, "POST", "/v1/send", { to: big });
    expect({ status: r2.status, code: r2.json.error?.code }).toEqual({ status: 413, code: "log_data_too_large" });
  });

  it("refuses an opcode trace larger than 16 MiB with 413 trace_too_large, unless the request sets its own limit", async () => {
    const k = await newProject();
    // 40,000 rounds of 7 steps: some 25 MiB of struct log.
    const loop = bytesToHex(asm("PUSH2 40000 :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP")).slice(2);
    const pretend = "0x9000000000000000000000000000000000000009";
    const body = { transactions: [{ to: pretend }], stateOverrides: { [pretend]: { code: `0x${loop}` } } };
    const r = await api(k, "POST", "/v1/simulate", { ...body, trace: "opcodes" });
    expect({ status: r.status, code: r.json.error?.code }).toEqual({ status: 413, code: "trace_too_large" });
    const limited = await api(k, "POST", "/v1/simulate", { ...body, trace: { type: "opcodes", limit: 2500 } });
    // Written in slices of 1,000 steps: the steps run on across them.
    const steps = limited.json.results[0].trace.structLogs;
    expect(steps).toHaveLength(2500);
    const round = ["JUMPDEST", "PUSH1", "SWAP1", "SUB", "DUP1", "PUSH2", "JUMPI"];
    const tops = steps.filter((s: { op: string }) => s.op === "JUMPDEST").map((s: { stack: string[] }) => Number(s.stack[0]));
    expect(steps.slice(1).every((s: { op: string }, i: number) => s.op === round[i % 7])).toBe(true);
    expect(tops.every((t: number, i: number) => t === 40_000 - i)).toBe(true);
    const huge = await api(k, "POST", "/v1/simulate", { transactions: [{ to: pretend }], stateOverrides: { [pretend]: { code: `0x${"00".repeat(24_577)}` } } });
    expect({ status: huge.status, code: huge.json.error?.code }).toEqual({ status: 413, code: "code_too_large" });
  });

  it("charges a trace per MiB it built past the first, on top of the run (PRICE_PER_MIB_TRACED)", async () => {
    const k = await newProject();
    // 8,000 rounds of 7 steps: some 5 MiB of struct log.
    const loop = bytesToHex(asm("PUSH2 8000 :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP")).slice(2);
    const pretend = "0x9000000000000000000000000000000000000009";
    const body = { transactions: [{ to: pretend }], stateOverrides: { [pretend]: { code: `0x${loop}` } } };
    const plain = await api(k, "POST", "/v1/simulate", body);
    const traced = await api(k, "POST", "/v1/simulate", { ...body, trace: "opcodes" });
    expect(traced.status).toBe(200);
    expect(traced.json.cost.gasExecuted).toBe(plain.json.cost.gasExecuted);
    const extra = Number(traced.json.cost.charge) - Number(plain.json.cost.charge);
    expect(extra % 500).toBe(0);
    expect(extra / 500).toBeGreaterThanOrEqual(3);
    expect(extra / 500).toBeLessThanOrEqual(6);
    expect(traced.headers.get("x-edge-evm-charge")).toBe(traced.json.cost.charge);
  });

  it("refuses (402) a trace the credit cannot pay, and delivers none of it; the run is charged, the trace not", async () => {
    const k = await newProject();
    const loop = bytesToHex(asm("PUSH2 8000 :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP")).slice(2);
    const looper = (await api(k, "POST", "/v1/contracts", { bytecode: deployer(loop) })).json.address;
    const call = { to: looper, gas: "0x100000" };
    const plain = await rpc(k, "debug_traceCall", [call, "latest", { tracer: "callTracer" }]);
    expect(plain.json.result).toBeDefined();
    const charge = Number(plain.headers.get("x-edge-evm-charge"));
    // The run's reservation (a simulation's price and its gas limit) and 100 more: not the 3 to 6
    // MiB of struct log at 500 a MiB.
    const reservation = 200 + Math.ceil((0x100000 * 2000) / 1_000_000);
    await logCaughtUp(k);
    await setCredit(k, reservation + 100);
    const runsBefore = (await allRuns(k)).length;
    const traced = await rpc(k, "debug_traceCall", [call, "latest", {}]);
    expect(traced.status).toBe(402);
    expect(traced.json.error).toMatchObject({ code: -32002, data: { code: "insufficient_credit" } });
    expect(JSON.stringify(traced.json)).not.toContain("structLogs");
    // Charged what ran (as the call traced without the struct logger), and what the answer says.
    expect(Number(traced.headers.get("x-edge-evm-charge"))).toBe(charge);
    const runs = await allRuns(k);
    expect(runs.length).toBe(runsBefore + 1);
    expect(runs[0].charge).toBe(charge);
    expect(await credit(k)).toBe(reservation + 100 - charge);
  });
});
