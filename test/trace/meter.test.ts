import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { createAddress } from "../../src/evm/address.ts";
import { Fork } from "../../src/evm/fork.ts";
import type { Inspector } from "../../src/evm/inspector.ts";
import { runTxSync } from "../../src/evm/run.ts";
import { hexToBytes, type Address } from "../../src/primitives/hex.ts";
import { MemoryState } from "../../src/state/memory.ts";
import { CallTracer } from "../../src/trace/call-tracer.ts";
import { TraceMeter } from "../../src/trace/meter.ts";
import { StructLogger } from "../../src/trace/struct-logger.ts";
import Caller from "../contracts/Caller.json";
import { block, CONTRACT, expectValid, SENDER, stateWith, tx } from "../helpers/exec.ts";
import { encodeCall } from "../integration/abi.ts";

const PAYEE = "0x5000000000000000000000000000000000000005" as Address;
const CALLER = createAddress(SENDER, 0n);
const CALLS = [encodeCall("everything(address)", PAYEE), encodeCall("deepRevert(uint256)", 3)];

/** Caller deployed, then one call to it watched by `inspector`. */
function callCaller(data: string, inspector: Inspector) {
  const state = new MemoryState();
  state.setAccount(SENDER, { balance: 10n ** 21n });
  state.apply(expectValid(runTxSync({ source: state, tx: tx({ to: null, data: hexToBytes(Caller.bytecode), value: 10n, gasLimit: 5_000_000n }), block: block(), fork: Fork.Prague })).changes);
  return expectValid(runTxSync({ source: state, tx: tx({ to: CALLER, data: hexToBytes(data), gasLimit: 3_000_000n, nonce: 1n }), block: block(), fork: Fork.Prague, inspector }));
}

describe("trace meter", () => {
  it("counts the struct logger's answer to the byte, every capture on (nested calls, reverts, logs, storage)", () => {
    for (const data of CALLS) {
      const meter = new TraceMeter();
      const logger = new StructLogger({ enableMemory: true, enableReturnData: true }, meter);
      const r = callCaller(data, logger);
      const answer = logger.result(r.gasUsed)!;
      expect(JSON.stringify(answer).length).toBe(meter.bytes);
      expect(meter.steps).toBe(answer.structLogs.length);
    }
  });

  it("counts the callTracer's answer to the byte, with and without logs, and the transfers tree's", () => {
    for (const data of CALLS) {
      for (const tracer of [new CallTracer({}), new CallTracer({ withLog: true }), CallTracer.forTransfers(new TraceMeter())]) {
        const r = callCaller(data, tracer);
        expect(JSON.stringify(tracer.result(3_000_000n, r.gasUsed)).length).toBe(tracer.meter.bytes);
      }
    }
  });

  it("an inspector that asks to stop ends the run before its next instruction, as the other caps do", () => {
    let steps = 0;
    const stopper: Inspector & { stop?: "trace_cap" } = {
      step() {
        if (++steps === 3) this.stop = "trace_cap";
      },
    };
    const gasLimit = 100_000n;
    const stopped = expectValid(runTxSync({ source: stateWith(asm("PUSH 7 PUSH0 SSTORE PUSH 1 PUSH 2 SSTORE STOP")), tx: tx({ gasLimit }), block: block(), fork: Fork.Osaka, inspector: stopper }));
    expect(stopped).toMatchObject({ status: "halted", haltReason: "trace_cap" });
    // PUSH1 and PUSH0 ran; the SSTORE did not: nothing changed but the sender's fee.
    expect(steps).toBe(3);
    expect(stopped.gasUsed).toBe(21_000n + 5n);
    expect(stopped.changes.find((c) => c.address === CONTRACT)).toBeUndefined();
  });
});
