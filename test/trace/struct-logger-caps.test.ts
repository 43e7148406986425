import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { MEMORY_LOOP, SLOAD_LOOP } from "../../src/cli/bench/trace-sizes.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync } from "../../src/evm/run.ts";
import { TRACE_BYTES_CAP, TraceMeter } from "../../src/trace/meter.ts";
import { StructLogger, type StructLoggerConfig } from "../../src/trace/struct-logger.ts";
import { block, expectValid, stateWith, tx } from "../helpers/exec.ts";
import { retainedMiB } from "../helpers/heap.ts";

/**
 * Runs `code` with a struct logger on a meter of the default cap, and what the logger keeps alive:
 * its heap, and the ArrayBuffers (outside the heap) its text's pieces are views of.
 */
function traced(code: Uint8Array, gasLimit: bigint, config: StructLoggerConfig = {}) {
  const meter = new TraceMeter();
  const { value, mib } = retainedMiB(() => {
    const logger = new StructLogger(config, meter);
    const result = expectValid(runTxSync({ source: stateWith(code), tx: tx({ gasLimit }), block: block(), fork: Fork.Osaka, inspector: logger }));
    return { logger, result, answer: result.haltReason === "trace_cap" ? undefined : logger.result(result.gasUsed) };
  });
  const buffers = new Set([...value.logger.logs.jsonBytes()].map((p) => p.buffer));
  const bufferMiB = [...buffers].reduce((n, b) => n + b.byteLength, 0) / 2 ** 20;
  return { ...value, meter, heapMiB: mib + bufferMiB };
}

/** MSTOREs a new value at the end of 32 KiB of memory in each round: no two captures are alike. */
const MEMORY_WRITES = asm("PUSH0 :top PUSH 1 ADD DUP1 PUSH2 0x7fe0 MSTORE PUSH 1 @top JUMPI");
/** A thousand 32-byte words on the stack, then a loop: every step shows all of them. */
const DEEP_STACK = asm(`${"PUSH32 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff ".repeat(1000)} :top PUSH 1 @top JUMPI`);

describe("struct logger bounded by bytes", () => {
  it("stops a loop over 32 KiB of memory with enableMemory at the cap, holding a fraction of it", () => {
    // Unbounded, this run answered 172 MiB and grew the heap by 2.6 GiB (see the README).
    const t = traced(MEMORY_LOOP, 2_000_000n, { enableMemory: true });
    expect(t.result).toMatchObject({ status: "halted", haltReason: "trace_cap" });
    expect(t.result.gasUsed).toBeLessThan(2_000_000n);
    expect(t.meter.bytes).toBeLessThanOrEqual(TRACE_BYTES_CAP);
    expect(t.meter.bytes).toBeGreaterThan(TRACE_BYTES_CAP - 70_000);
    // The memory did not change from step to step: every step shows one capture, whose text is
    // one piece of the answer shared by all of them.
    expect(t.logger.logs.length).toBeGreaterThan(200);
    expect(new Set(t.logger.logs.toArray().filter((l) => l.memory?.length === 1024).map((l) => JSON.stringify(l.memory))).size).toBe(1);
    const pieces = [...t.logger.logs.jsonBytes()].filter((p) => p.length > 32 * 1024);
    expect(pieces.length).toBeGreaterThan(200);
    expect(new Set(pieces).size).toBe(1);
    expect(t.heapMiB).toBeLessThan(1);
  });

  it("bounds the heap by the cap when every capture differs", () => {
    const t = traced(MEMORY_WRITES, 2_000_000n, { enableMemory: true });
    expect(t.result.haltReason).toBe("trace_cap");
    expect(t.meter.bytes).toBeLessThanOrEqual(TRACE_BYTES_CAP);
    expect(t.heapMiB).toBeLessThan(4);
  });

  it("stops an unlimited struct log of a long run with a deep stack at the cap, not at a step count", () => {
    const t = traced(DEEP_STACK, 10_000_000n);
    expect(t.result.haltReason).toBe("trace_cap");
    expect(t.meter.bytes).toBeLessThanOrEqual(TRACE_BYTES_CAP);
    expect(t.meter.steps).toBe(t.logger.logs.length);
    expect(t.logger.logs.length).toBeLessThan(1_300);
    // Each step repeats a thousand words; the heap holds their hex once.
    expect(t.heapMiB).toBeLessThan(4);
  });

  it("keeps geth's storage captures, counted exactly and stopped at the cap where they grow with the square of the slots", () => {
    const small = traced(SLOAD_LOOP, 1_000_000n);
    expect(small.result.haltReason).toBe("out_of_gas");
    const json = JSON.stringify(small.answer);
    expect(json.length).toBe(small.meter.bytes);
    // Every SLOAD but the one that ran out of gas shows the slots loaded so far.
    const sloads = small.answer!.structLogs.toArray().filter((l) => l.op === "SLOAD" && l.error === undefined);
    expect(Object.keys(sloads[sloads.length - 1].storage!)).toHaveLength(sloads.length);
    // Each capture is a view of the contract's slots' text, which a new slot extends in place:
    // the memory held grows with the slots, not with the answer.
    expect(small.heapMiB).toBeLessThan((0.6 * json.length) / 2 ** 20);
    const large = traced(SLOAD_LOOP, 2_000_000n);
    expect(large.result.haltReason).toBe("trace_cap");
    expect(large.meter.bytes).toBeLessThanOrEqual(TRACE_BYTES_CAP);
  });

  it("with geth's limit, truncates instead: nothing past the limit is built, counted or looked at", () => {
    const t = traced(MEMORY_LOOP, 2_000_000n, { enableMemory: true, maxSteps: 100 });
    expect(t.result.haltReason).toBe("out_of_gas");
    expect(t.answer!.structLogs).toHaveLength(100);
    expect(t.logger.stepsDone).toBe(true);
    expect(JSON.stringify(t.answer).length).toBe(t.meter.bytes);
  });
});
