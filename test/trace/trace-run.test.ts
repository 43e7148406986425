import { describe, expect, it } from "vitest";
import { limitsOnly } from "../../src/exec/meter.ts";
import { asm } from "../../src/cli/asm.ts";
import { MEMORY_LOOP } from "../../src/cli/bench/trace-sizes.ts";
import { traceCapHit, traceRun, type TraceRequest } from "../../src/exec/trace.ts";
import type { Need } from "../../src/evm/types.ts";
import { bigIntToAddress, type Address } from "../../src/primitives/hex.ts";
import type { MemoryState } from "../../src/state/memory.ts";
import { TRACE_BYTES_CAP, TraceMeter } from "../../src/trace/meter.ts";
import type { PrestateAccount } from "../../src/trace/prestate-tracer.ts";
import { block, CONTRACT, stateWith, tx } from "../helpers/exec.ts";
import { LazySource } from "../helpers/lazy-source.ts";

/** Loads on demand, as the account objects do, and counts the bytes of code it was asked for. */
class CountingSource extends LazySource {
  codeBytes = 0;
  constructor(private readonly state: MemoryState) {
    super(state);
  }
  override async load(needs: Need[]): Promise<void> {
    super.load(needs);
    for (const n of needs) if (n.kind === "code") this.codeBytes += this.state.code(n.address).length;
  }
}

const BASE = 0xaa00000000000000000000000000000000000000n;
const CODE_SIZE = 24_576;
/** Looks at the balance of accounts BASE+1 … BASE+n: BALANCE loads no code, the prestate tracer must. */
const balances = (n: number) => asm(`PUSH2 ${n} :top DUP1 PUSH20 ${BASE} ADD BALANCE POP PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP`);

function withContracts(code: Uint8Array, n: number): MemoryState {
  const state = stateWith(code);
  const big = new Uint8Array(CODE_SIZE).fill(0x5b);
  for (let i = 1; i <= n; i++) state.setAccount(bigIntToAddress(BASE + BigInt(i)), { code: big, nonce: 1n });
  return state;
}

function trace(state: MemoryState, req: TraceRequest, meter = new TraceMeter(), gasLimit = 3_000_000n) {
  const source = new CountingSource(state);
  return traceRun(source, tx({ gasLimit }), block(), false, limitsOnly(), req, meter).then((t) => ({ ...t, codeBytes: source.codeBytes }));
}

describe("traceRun bounded by bytes", () => {
  it("a prestate over many contracts stops at the cap, loading little more code than it can show", async () => {
    // 600 contracts of 24 KiB: 29 MiB of hex to show.
    const t = await trace(withContracts(balances(600), 600), { type: "prestate" });
    expect(t.result).toMatchObject({ valid: true, status: "halted", haltReason: "trace_cap" });
    expect(t.trace).toBeUndefined();
    expect(t.size.bytes).toBeLessThanOrEqual(TRACE_BYTES_CAP);
    expect(t.codeBytes).toBeLessThan(TRACE_BYTES_CAP / 2 + 32 * CODE_SIZE);
    const err = traceCapHit(t.result);
    expect({ status: err?.status, code: err?.code }).toEqual({ status: 413, code: "trace_too_large" });
    // The gas it ran is kept, to be charged.
    expect(t.result.valid && t.result.gasUsed).toBeGreaterThan(1_500_000n);
  });

  it("a prestate under the cap shows every account with its code, counted at no less than its size", async () => {
    const t = await trace(withContracts(balances(100), 100), { type: "prestate" });
    expect(t.result).toMatchObject({ status: "success" });
    const pre = t.trace as Record<Address, PrestateAccount>;
    const looked = Object.entries(pre).filter(([a]) => BigInt(a) > BASE);
    expect(looked).toHaveLength(100);
    for (const [, acc] of looked) expect(acc.code?.length).toBe(2 + 2 * CODE_SIZE);
    expect(t.size.bytes).toBeGreaterThanOrEqual(JSON.stringify(pre).length);
  });

  it("one meter bounds the traces of several runs together, and each run reports what it produced", async () => {
    const meter = new TraceMeter(500_000);
    const state = stateWith(MEMORY_LOOP);
    // Its first 12 steps, 5 of them with 32 KiB of memory.
    const first = await trace(state, { type: "opcodes", enableMemory: true, limit: 12 }, meter, 300_000n);
    expect(first.result).toMatchObject({ status: "halted", haltReason: "out_of_gas" });
    expect(first.size.steps).toBe(12);
    expect(first.size.bytes).toBeGreaterThan(5 * 1024 * 69);
    expect(first.size.bytes).toBe(meter.bytes);
    const second = await trace(state, { type: "opcodes", enableMemory: true, limit: 12 }, meter, 300_000n);
    expect(second.result).toMatchObject({ status: "halted", haltReason: "trace_cap" });
    expect(meter.bytes).toBeLessThanOrEqual(500_000);
    expect(second.size.steps).toBeLessThan(12);
  });

  it("a struct log is the same whether its run suspends on loads (steps abandoned and run again) or not", async () => {
    const code = balances(20);
    const request: TraceRequest = { type: "opcodes", enableMemory: true };
    const lazy = await trace(withContracts(code, 20), request);
    // Everything in memory: no step waits for a load.
    const loaded = await traceRun(Object.assign(withContracts(code, 20), { load: async () => {} }), tx({ gasLimit: 3_000_000n }), block(), false, limitsOnly(), request, new TraceMeter());
    const json = JSON.stringify(lazy.trace);
    expect(json.length).toBeGreaterThan(20 * 500);
    expect(json).toBe(JSON.stringify(loaded.trace));
    expect(lazy.size).toEqual(loaded.size);
  });

  it("reports the size of a trace under the cap, and answers it as before", async () => {
    const t = await trace(stateWith(asm("PUSH 1 PUSH0 SSTORE PUSH0 SLOAD STOP")), { type: "opcodes" });
    expect(t.result).toMatchObject({ status: "success" });
    expect(JSON.parse(JSON.stringify(t.trace))).toMatchObject({ failed: false, returnValue: "0x", structLogs: [{ pc: 0, op: "PUSH1", depth: 1 }, {}, { op: "SSTORE" }, {}, { op: "SLOAD" }, { op: "STOP" }] });
    expect(t.size.steps).toBe(6);
    // The trace, the (lean) transfers tree of the call and its access list.
    expect(t.size.bytes).toBeGreaterThan(JSON.stringify(t.trace).length);
    expect(t.size.bytes).toBeLessThan(JSON.stringify(t.trace).length + 400);
    expect(t.accessList).toEqual([{ address: CONTRACT, storageKeys: [0n] }]);
  });
});
