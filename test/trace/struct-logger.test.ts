import { describe, expect, it } from "vitest";
import { createAddress } from "../../src/evm/address.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync } from "../../src/evm/run.ts";
import { hexToBytes, type Address } from "../../src/primitives/hex.ts";
import { MemoryState } from "../../src/state/memory.ts";
import { StructLogger } from "../../src/trace/struct-logger.ts";
import Caller from "../contracts/Caller.json";
import { block, expectValid, SENDER, tx } from "../helpers/exec.ts";
import { encodeCall } from "../integration/abi.ts";
import { EjsReference, ejsSteps } from "./ejs-reference.ts";

const PAYEE = "0x5000000000000000000000000000000000000005" as Address;
const CALLER = createAddress(SENDER, 0n);
const GAS = 3_000_000n;

function ours(data: Uint8Array, maxSteps = 1_000_000) {
  const state = new MemoryState();
  state.setAccount(SENDER, { balance: 10n ** 21n });
  state.apply(expectValid(runTxSync({ source: state, tx: tx({ to: null, data: hexToBytes(Caller.bytecode), value: 10n, gasLimit: 5_000_000n }), block: block(), fork: Fork.Prague })).changes);
  const logger = new StructLogger({ maxSteps, enableMemory: true });
  const r = expectValid(runTxSync({ source: state, tx: tx({ to: CALLER, data, gasLimit: GAS, nonce: 1n }), block: block(), fork: Fork.Prague, inspector: logger }));
  return { logger, result: logger.result(r.gasUsed)!, gasUsed: r.gasUsed };
}

describe("struct logger against @ethereumjs/evm's steps", () => {
  it("agrees on every step's pc, opcode, gas, depth and stack across nested calls, reverts and a creation", async () => {
    const data = hexToBytes(encodeCall("everything(address)", PAYEE));
    const { result } = ours(data);
    const ejs = await EjsReference.create();
    await ejs.fund(SENDER, 10n ** 21n);
    await ejs.deploy(SENDER, hexToBytes(Caller.bytecode), 10n);
    const intrinsic = 21_000n + BigInt(data.reduce((n, b) => n + (b === 0 ? 4 : 16), 0));
    const theirs = await ejsSteps(ejs, SENDER, CALLER, data, 0n, GAS - intrinsic);
    const logs = result.structLogs.toArray();
    expect(logs.length).toBe(theirs.length);
    expect(logs.length).toBeGreaterThan(1000);
    for (let i = 0; i < theirs.length; i++) {
      const a = logs[i], b = theirs[i];
      expect({ pc: a.pc, op: a.op, gas: a.gas, depth: a.depth, stack: a.stack }, `step ${i}`).toEqual(b);
    }
  });

  it("charges each step what the next step of its frame no longer has; storage and memory as geth shows them", () => {
    const { result } = ours(hexToBytes(encodeCall("everything(address)", PAYEE)));
    const logs = result.structLogs.toArray();
    const push = logs.find((l) => l.op === "PUSH1")!;
    expect(push.gasCost).toBe(3);
    const sstore = logs.find((l) => l.op === "SSTORE")!;
    expect(Object.keys(sstore.storage!)).toHaveLength(1);
    expect(Object.keys(sstore.storage!)[0]).toMatch(/^0x[0-9a-f]{64}$/);
    const withMemory = logs.find((l) => l.memory !== undefined)!;
    expect(withMemory.memory![0]).toMatch(/^0x[0-9a-f]{64}$/);
    expect(result.failed).toBe(false);
    expect(result.gas).toBeGreaterThan(21_000);
  });

  it("keeps at most maxSteps entries, then leaves the run to the plain loop with the same outcome", () => {
    const data = hexToBytes(encodeCall("deepRevert(uint256)", 3));
    const whole = ours(data);
    // Cut inside the first frame, and deep in a nested one: the frames after run without hooks.
    for (const limit of [50, Math.floor(whole.logger.logs.length * 0.8)]) {
      const cut = ours(data, limit);
      expect(cut.logger.logs).toHaveLength(limit);
      expect(cut.logger.stepsDone).toBe(true);
      expect(cut.result.structLogs.toArray()).toEqual(whole.result.structLogs.toArray().slice(0, limit));
      expect(cut.gasUsed).toBe(whole.gasUsed);
      expect({ ...cut.result, structLogs: undefined }).toEqual({ ...whole.result, structLogs: undefined });
    }
    expect(whole.logger.stepsDone).toBe(false);
    expect(whole.result.failed).toBe(true);
  });
});
