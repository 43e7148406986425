import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import Caller from "../contracts/Caller.json";
import Counter from "../contracts/Counter.json";
import { MEMORY_LOOP } from "../../src/cli/bench/trace-sizes.ts";
import { bytesToHex } from "../../src/primitives/hex.ts";
import { encodeCall } from "./abi.ts";
import { api, newProject, type TestKey, logCaughtUp } from "./helpers.ts";

const worker = exports as unknown as { default: { fetch(r: Request): Promise<Response> } };

async function rpc(k: TestKey, method: string, params: unknown[]): Promise<any> {
  const res = await worker.default.fetch(new Request(`http://edge-evm.test/rpc/${k.key}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) }));
  return res.json();
}

const ETHER = "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
const TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

describe("debug_traceCall", () => {
  it("returns geth's callTracer, prestateTracer and struct logger results", async () => {
    const k = await newProject();
    const caller = (await api(k, "POST", "/v1/contracts", { bytecode: Caller.bytecode })).json.address;
    const tx = { from: k.address, to: caller, data: encodeCall("deepRevert(uint256)", 1) };
    const calls = (await rpc(k, "debug_traceCall", [tx, "latest", { tracer: "callTracer" }])).result;
    expect(calls).toMatchObject({ type: "CALL", from: k.address, to: caller, error: "execution reverted", revertReason: "bottom of the call tree" });
    expect(calls.calls[0].calls[0]).toMatchObject({ type: "CALL", error: "execution reverted" });
    const pre = (await rpc(k, "debug_traceCall", [{ from: k.address, to: caller, data: encodeCall("counter()") }, "latest", { tracer: "prestateTracer" }])).result;
    expect(pre[caller].code).toBe((await rpc(k, "eth_getCode", [caller, "latest"])).result);
    expect(pre[caller].code.length).toBe(Caller.deployedBytecode.length);
    const ops = (await rpc(k, "debug_traceCall", [tx, "latest", { limit: 5 }])).result;
    expect(ops.structLogs).toHaveLength(5);
    expect(ops.failed).toBe(true);
    const unknown = await rpc(k, "debug_traceCall", [tx, "latest", { tracer: "4byteTracer" }]);
    expect(unknown.error).toMatchObject({ code: -32000, data: { code: "unknown_tracer" } });
  });
});

describe("traces bounded by bytes", () => {
  it("debug_traceCall with enableMemory over a loop on 32 KiB of memory answers trace_too_large, logged with the gas it ran", async () => {
    const k = await newProject();
    const looper = "0x9000000000000000000000000000000000000009";
    const opts = { enableMemory: true, stateOverrides: { [looper]: { code: bytesToHex(MEMORY_LOOP) } } };
    const tx = { from: k.address, to: looper, gas: "0x1e8480" };
    const r = await rpc(k, "debug_traceCall", [tx, "latest", opts]);
    expect(r.error).toMatchObject({ code: -32005, data: { code: "trace_too_large" } });
    await logCaughtUp(k);
    const [run] = (await api(k, "GET", "/v1/runs?limit=1")).json.runs;
    expect(run).toMatchObject({ kind: "simulate", status: "error", errorCode: "trace_too_large" });
    expect(BigInt(run.gasUsed)).toBeGreaterThan(21_000n);
    // geth's limit keeps the same trace under the cap.
    const limited = (await rpc(k, "debug_traceCall", [tx, "latest", { ...opts, limit: 50 }])).result;
    expect(limited.structLogs).toHaveLength(50);
    expect(limited.structLogs[49].memory).toHaveLength(1024);
  });
});

describe("debug_traceTransaction", () => {
  it("replays a committed transaction exactly, even after the state has moved on", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const first = (await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") })).json;
    await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") });
    await logCaughtUp(k);
    const calls = (await rpc(k, "debug_traceTransaction", [first.txHash, { tracer: "callTracer", tracerConfig: { withLog: true } }])).result;
    expect(calls).toMatchObject({ type: "CALL", from: k.address, to: counter, gasUsed: `0x${first.gasUsed.toString(16)}`, input: encodeCall("increment()") });
    expect(calls.logs).toHaveLength(1);
    const diff = (await rpc(k, "debug_traceTransaction", [first.txHash, { tracer: "prestateTracer", tracerConfig: { diffMode: true } }])).result;
    // The first increment moved the count from 0 to 1, whatever the count is now.
    expect(diff.post[counter].storage).toEqual({ [`0x${"0".repeat(64)}`]: `0x${"0".repeat(63)}1` });
    const ops = (await rpc(k, "debug_traceTransaction", [first.txHash, {}])).result;
    expect(ops.gas).toBe(first.gasUsed);
    expect(ops.structLogs.some((l: any) => l.op === "SSTORE")).toBe(true);
    expect((await rpc(k, "debug_traceTransaction", [`0x${"11".repeat(32)}`, {}])).error.data.code).toBe("transaction_not_found");
  });
});

describe("eth_simulateV1", () => {
  it("runs blocks in sequence with overrides, reports ether transfers as logs, and commits nothing", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const rich = "0x9000000000000000000000000000000000000009", bob = "0x7000000000000000000000000000000000000007";
    const r = await rpc(k, "eth_simulateV1", [
      {
        blockStateCalls: [
          { stateOverrides: { [rich]: { balance: "0x1000" } }, calls: [{ from: rich, to: bob, value: "0x10" }] },
          { blockOverrides: { time: "0x7fffffff" }, calls: [{ from: k.address, to: counter, data: encodeCall("increment()") }, { from: k.address, to: counter, data: encodeCall("count()") }] },
        ],
        traceTransfers: true,
      },
      "latest",
    ]);
    expect(r.error).toBeUndefined();
    const [b1, b2] = r.result;
    expect(BigInt(b2.number)).toBe(BigInt(b1.number) + 1n);
    expect(b2.timestamp).toBe("0x7fffffff");
    expect(b1.calls[0]).toMatchObject({ status: "0x1", returnData: "0x" });
    expect(b1.calls[0].logs[0]).toMatchObject({ address: ETHER, topics: [TRANSFER, `0x${rich.slice(2).padStart(64, "0")}`, `0x${bob.slice(2).padStart(64, "0")}`], data: `0x${"10".padStart(64, "0")}` });
    expect(BigInt(b2.calls[1].returnData)).toBe(1n);
    expect(b2.calls[0].logs[0].address).toBe(counter);
    // Nothing was committed.
    expect((await rpc(k, "eth_getBalance", [bob, "latest"])).result).toBe("0x0");
    expect(BigInt((await rpc(k, "eth_call", [{ to: counter, data: encodeCall("count()") }, "latest"])).result)).toBe(0n);
  });

  it("reports a revert per call with code 3 and refuses malformed payloads", async () => {
    const k = await newProject();
    const caller = (await api(k, "POST", "/v1/contracts", { bytecode: Caller.bytecode })).json.address;
    const r = await rpc(k, "eth_simulateV1", [{ blockStateCalls: [{ calls: [{ to: caller, data: encodeCall("deepRevert(uint256)", 0) }] }] }, "latest"]);
    expect(r.result[0].calls[0]).toMatchObject({ status: "0x0", error: { code: 3, message: "execution reverted: bottom of the call tree" } });
    expect((await rpc(k, "eth_simulateV1", [{ blockStateCalls: [] }])).error.code).toBe(-32602);
    expect((await rpc(k, "eth_simulateV1", [{ blockStateCalls: [{ calls: [] }], bogus: 1 }])).error.code).toBe(-32602);
  });
});
