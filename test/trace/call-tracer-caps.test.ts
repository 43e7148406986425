import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { Fork } from "../../src/evm/fork.ts";
import type { Inspector } from "../../src/evm/inspector.ts";
import { runTxSync } from "../../src/evm/run.ts";
import { CallTracer } from "../../src/trace/call-tracer.ts";
import { TRACE_BYTES_CAP, TraceMeter } from "../../src/trace/meter.ts";
import { block, expectValid, stateWith, tx } from "../helpers/exec.ts";
import { retainedMiB } from "../helpers/heap.ts";

/** Calls a code-less account `n` times, each with the same 32 KiB of memory as input. */
const wide = (n: number) => asm(`PUSH0 PUSH2 0x7fe0 MSTORE PUSH2 ${n} :top PUSH0 PUSH0 PUSH2 0x8000 PUSH0 PUSH0 PUSH2 0x1234 PUSH0 CALL POP PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP`);
/** Calls itself with 64 KiB of input, as deep as its gas goes (about 180 deep). */
const DEEP = asm("PUSH0 PUSH2 0xffe0 MSTORE PUSH0 PUSH0 PUSH3 0x010000 PUSH0 PUSH0 ADDRESS GAS CALL STOP");

function run(code: Uint8Array, gasLimit: bigint, tracer: Inspector) {
  return expectValid(runTxSync({ source: stateWith(code), tx: tx({ gasLimit }), block: block(), fork: Fork.Osaka, inspector: tracer }));
}

describe("callTracer bounded by bytes", () => {
  it("stops a wide call tree whose inputs pass the cap, holding no more than the cap", () => {
    const meter = new TraceMeter();
    const { value: r, mib } = retainedMiB(() => {
      const tracer = new CallTracer({}, meter);
      return { tracer, result: run(wide(5000), 2_000_000n, tracer) };
    });
    // 5,000 calls of 32 KiB each would answer 320 MiB.
    expect(r.result).toMatchObject({ status: "halted", haltReason: "trace_cap" });
    expect(meter.bytes).toBeLessThanOrEqual(TRACE_BYTES_CAP);
    expect(mib).toBeLessThan((1.1 * TRACE_BYTES_CAP) / 2 ** 20);
  });

  it("stops a deep call tree the same way", () => {
    const meter = new TraceMeter();
    const r = run(DEEP, 16_000_000n, new CallTracer({}, meter));
    expect(r.haltReason).toBe("trace_cap");
    expect(meter.bytes).toBeLessThanOrEqual(TRACE_BYTES_CAP);
    // Under the cap, the same tree is answered in full, counted to the byte.
    const roomy = new TraceMeter(64 * 2 ** 20);
    const tracer = new CallTracer({}, roomy);
    const full = run(DEEP, 16_000_000n, tracer);
    expect(full.status).toBe("success");
    const tree = tracer.result(16_000_000n, full.gasUsed);
    expect(JSON.stringify(tree).length).toBe(roomy.bytes);
    expect(roomy.bytes).toBeGreaterThan(TRACE_BYTES_CAP);
  });

  it("the transfers tree of every simulation keeps none of those calls: nothing moved, nothing logged", () => {
    const meter = new TraceMeter();
    const tracer = CallTracer.forTransfers(meter);
    const r = run(wide(5000), 2_000_000n, tracer);
    expect(r.status).toBe("success");
    const tree = tracer.result(2_000_000n, r.gasUsed)!;
    expect(tree.calls).toBeUndefined();
    expect(JSON.stringify(tree).length).toBe(meter.bytes);
  });

  it("onlyTopCall answers the top call with its own end, whatever its callees did", () => {
    const tracer = new CallTracer({ onlyTopCall: true });
    const r = run(wide(3), 1_000_000n, tracer);
    const top = tracer.result(1_000_000n, r.gasUsed)!;
    expect(top).toMatchObject({ type: "CALL", gasUsed: `0x${r.gasUsed.toString(16)}` });
    expect(top.calls).toBeUndefined();
    expect(top.output).toBeUndefined();
  });
});
