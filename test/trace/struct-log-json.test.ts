import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { createAddress } from "../../src/evm/address.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync, TxRun } from "../../src/evm/run.ts";
import { bigIntToAddress, hexToBytes, type Address, type Hex } from "../../src/primitives/hex.ts";
import { MemoryState } from "../../src/state/memory.ts";
import type { Inspector } from "../../src/evm/inspector.ts";
import { putItem, putLimbs, putNumber, putText, putWords, SLACK, StructLogText, textOf as wordText } from "../../src/trace/struct-log-bytes.ts";
import { ReferenceStructLogger } from "./struct-log-reference.ts";
import { installTraceWasm, traceWasmInstalled } from "../../src/trace/struct-log-wasm.ts";
import { TRACE_WASM_BASE64 } from "../../src/trace/wasm/trace-wasm-bytes.ts";
import { StructLogger, type StructLoggerConfig } from "../../src/trace/struct-logger.ts";
import Caller from "../contracts/Caller.json";
import { block, expectValid, SENDER, stateWith, tx } from "../helpers/exec.ts";
import { LazySource } from "../helpers/lazy-source.ts";
import { encodeCall } from "../integration/abi.ts";

const CALLER = createAddress(SENDER, 0n);
const PAYEE = "0x5000000000000000000000000000000000000005" as Address;
const OTHER = bigIntToAddress(0x4000000000000000000000000000000000000004n);

/** The log's text, its pieces joined. */
function textOf(logs: StructLogText): string {
  const decoder = new TextDecoder();
  let text = "";
  for (const piece of logs.jsonBytes()) text += decoder.decode(piece);
  return text;
}

/**
 * The log's text is JSON.stringify's of the entries the reference logger made of the same run
 * (`run` runs the code with the inspector it is given), and what the logger counted is its length.
 */
function expectReferenceText(run: (inspector: StructLogger | ReferenceStructLogger) => void, config: StructLoggerConfig): StructLogText {
  const logger = new StructLogger(config);
  run(logger);
  const reference = new ReferenceStructLogger(config);
  run(reference);
  const text = textOf(logger.logs);
  expect(text).toBe(JSON.stringify(reference.entries).slice(1, -1));
  expect(logger.logs).toHaveLength(reference.entries.length);
  // What the logger counted is the text's length: a batch measures the answer by it.
  expect(logger.logs.jsonChars).toBe(text.length);
  expect(logger.meter.bytes).toBe(text.length + (logger.logs.length === 0 ? 0 : 1));
  return logger.logs;
}

/** Every combination of the logger's options. */
const CONFIGS: StructLoggerConfig[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((b) => ({
  enableMemory: (b & 1) !== 0,
  enableReturnData: (b & 2) !== 0,
  disableStack: (b & 4) !== 0,
  disableStorage: (b & 8) !== 0,
}));

/** Caller deployed, then `data` sent to it with `inspector` watching. */
const callCaller = (data: string) => (inspector: Inspector) => {
  const state = new MemoryState();
  state.setAccount(SENDER, { balance: 10n ** 21n });
  state.apply(expectValid(runTxSync({ source: state, tx: tx({ to: null, data: hexToBytes(Caller.bytecode), value: 10n, gasLimit: 5_000_000n }), block: block(), fork: Fork.Prague })).changes);
  runTxSync({ source: state, tx: tx({ to: CALLER, data: hexToBytes(data), gasLimit: 3_000_000n, nonce: 1n }), block: block(), fork: Fork.Prague, inspector });
};

const runCode = (code: Uint8Array, gasLimit = 1_000_000n) => (inspector: Inspector) => {
  runTxSync({ source: stateWith(code), tx: tx({ gasLimit }), block: block(), fork: Fork.Osaka, inspector });
};

/** Sets a slot and clears it (a refund shows from then on), loads it, then counts down `n` rounds. */
const REFUND_THEN_LOOP = (n: number) => asm(`PUSH 1 PUSH0 SSTORE PUSH0 PUSH0 SSTORE PUSH0 SLOAD POP PUSH2 ${n} :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP`);

const TRACE_WASM = new (WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module)(Buffer.from(TRACE_WASM_BASE64, "base64"));

// Each writer kept: entries on trace.wasm (with the rare ones in JavaScript), and all in JavaScript (a host without it).
describe.each([
  ["on WebAssembly", TRACE_WASM],
  ["in JavaScript", undefined],
])("struct log text written as the run goes, %s", (_, module) => {
  beforeAll(() => installTraceWasm(module));
  afterAll(() => installTraceWasm(TRACE_WASM));

  it("runs with the writer asked for", () => {
    expect(traceWasmInstalled()).toBe(module !== undefined);
  });

  it("lets go of its writer's memory once its result is taken: the answer, kept until sent, holds only its own bytes", () => {
    const logger = new StructLogger({});
    runCode(REFUND_THEN_LOOP(3_000))(logger);
    const memory = logger.logs.writerMemory;
    expect(memory !== undefined).toBe(module !== undefined);
    const before = textOf(logger.logs);
    expect(before.length).toBeGreaterThan(200_000);
    const result = logger.result(0n)!;
    expect(result.structLogs.writerMemory).toBeUndefined();
    expect(textOf(result.structLogs)).toBe(before);
    for (const piece of result.structLogs.jsonBytes()) expect(piece.buffer).not.toBe(memory);
  });

  it("is JSON.stringify's text of the reference logger's entries for nested calls, reverts, memory, return data and storage, with every option", () => {
    const seen = { memory: false, returnData: false, storage: false, noStack: false, pieces: 0 };
    for (const config of CONFIGS) {
      for (const data of [encodeCall("everything(address)", PAYEE), encodeCall("deepRevert(uint256)", 3)]) {
        const logs = expectReferenceText(callCaller(data), config);
        const entries = logs.toArray();
        seen.memory ||= entries.some((e) => e.memory !== undefined);
        seen.returnData ||= entries.some((e) => e.returnData !== undefined);
        seen.storage ||= entries.some((e) => e.storage !== undefined);
        seen.noStack ||= config.disableStack === true && entries.every((e) => e.stack === undefined);
        seen.pieces = Math.max(seen.pieces, [...logs.jsonBytes()].length);
      }
    }
    // The runs showed what the options ask for, written in more than one chunk.
    expect(seen).toEqual({ memory: true, returnData: true, storage: true, noStack: true, pieces: seen.pieces });
    expect(seen.pieces).toBeGreaterThan(1);
  });

  it("writes a word held as limbs again when its limbs change in place, and keeps it while they do not", () => {
    const a = "0x" + "f1e2d3c4b5a69788".repeat(4), b = "0x" + "0123456789abcdef".repeat(4), mask = "0x" + "00ff".repeat(16);
    // Wide words from memory and code (limbs), changed in place by NOT, AND, SHR and ADD, moved by DUP and SWAP.
    const code = asm(`PUSH32 ${a} PUSH0 MSTORE PUSH32 ${b} PUSH 32 MSTORE PUSH0 MLOAD POP PUSH 32 MLOAD PUSH0 MLOAD NOT DUP2 PUSH32 ${mask} AND SWAP2 PUSH 8 SHR DUP3 DUP3 ADD NOT PUSH 1 ADD DUP1 POP POP POP STOP`);
    for (const config of CONFIGS) expectReferenceText(runCode(code), config);
  });

  it("writes refunds, errors, geth's limit and long logs as JSON.stringify does", () => {
    for (const config of CONFIGS) {
      const refunds = expectReferenceText(runCode(REFUND_THEN_LOOP(2_345)), config);
      expect(refunds.toArray().filter((e) => e.refund !== undefined).length).toBeGreaterThan(10_000);
      expect(expectReferenceText(runCode(REFUND_THEN_LOOP(2_345)), { ...config, maxSteps: 1_001 })).toHaveLength(1_001);
      expect(expectReferenceText(runCode(asm("PUSH 1 ADD")), config).toArray().at(-1)!.error).toBe("stack underflow");
      expect(expectReferenceText(runCode(REFUND_THEN_LOOP(2_345), 60_000n), config).toArray().at(-1)!.error).toBe("out of gas");
      expectReferenceText(runCode(asm("STOP")), config);
    }
    expect([...new StructLogText().jsonBytes()]).toEqual([]);
    expect(new StructLogText().jsonChars).toBe(0);
  });

  it("shares the bottom of a deep stack and captures of many bytes, and writes the same text", () => {
    // 80 wide words under a loop that changes the top: the bottom is frozen once and shared.
    const deep = asm(`${"PUSH32 0xfedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210 ".repeat(80)} PUSH2 300 :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI POP ${"POP ".repeat(20)} PUSH 5 :two PUSH 1 SWAP1 SUB DUP1 @two JUMPI STOP`);
    for (const config of [{}, { enableMemory: true }]) {
      const logs = expectReferenceText(runCode(deep), config);
      const pieces = [...logs.jsonBytes()];
      // The frozen bottom is one piece shown by every step that keeps it.
      expect(pieces.length - new Set(pieces).size).toBeGreaterThan(500);
    }
    // Memory of 4 KiB shown by every step (one capture shared), then changed.
    expectReferenceText(runCode(asm("PUSH 1 PUSH2 4064 MSTORE PUSH2 200 :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI PUSH 2 PUSH2 4064 MSTORE PUSH 3 :two PUSH 1 SWAP1 SUB DUP1 @two JUMPI STOP")), { enableMemory: true });
  });

  it("leaves out the steps a run suspended on missing state", () => {
    const world = () => {
      const state = stateWith(asm(`PUSH 7 SLOAD PUSH20 ${BigInt(OTHER)} BALANCE ADD DUP1 PUSH 2 SSTORE PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 PUSH20 ${BigInt(OTHER)} GAS CALL PUSH 9 SLOAD STOP`));
      state.setAccount(OTHER, { balance: 5n, code: asm("PUSH 3 PUSH 4 SSTORE CALLER PUSH0 MSTORE PUSH 32 PUSH0 RETURN") });
      return state;
    };
    const config = { enableMemory: true, enableReturnData: true };
    const eager = new StructLogger(config);
    runTxSync({ source: world(), tx: tx(), block: block(), fork: Fork.Osaka, inspector: eager });
    const lazy = new StructLogger(config);
    const source = new LazySource(world());
    const run = new TxRun({ source, tx: tx(), block: block(), fork: Fork.Osaka, inspector: lazy });
    for (let r = run.step(); !r.done; r = run.step()) source.load(r.needs);
    // Loads suspended the run mid-step (SLOAD, BALANCE, CALL): those steps were started, then left.
    expect(source.requests.length).toBeGreaterThan(3);
    const reference = new ReferenceStructLogger(config);
    runTxSync({ source: world(), tx: tx(), block: block(), fork: Fork.Osaka, inspector: reference });
    expect(textOf(lazy.logs)).toBe(JSON.stringify(reference.entries).slice(1, -1));
    expect(textOf(lazy.logs)).toBe(textOf(eager.logs));
    expect(lazy.logs.jsonChars).toBe(textOf(lazy.logs).length);
  });

  it("is JSON.stringify's text of the reference's entries for random programs with random options", () => {
    const OPS = ["PUSH 1", "PUSH 0x20", "PUSH 0xffffffffffffffffffffffffffffffff", "PUSH 0x1fffffffffffff", "PUSH 0x20000000000000", "PUSH 0xffffffff", "PUSH 0x100000000", "PUSH0", "DUP1", "DUP3", "SWAP1", "SWAP2", "ADD", "SUB", "NOT", "MSTORE", "MLOAD", "MSTORE8", "SSTORE", "SLOAD", "TSTORE", "POP", "GAS", "KECCAK256", "RETURNDATASIZE", "CALLDATALOAD", "JUMPDEST", "LOG0", "REVERT", "STOP", "INVALID"];
    const program = fc.array(fc.constantFrom(...OPS), { maxLength: 60 });
    const config = fc.record({ enableMemory: fc.boolean(), enableReturnData: fc.boolean(), disableStack: fc.boolean(), disableStorage: fc.boolean(), maxSteps: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }) });
    fc.assert(
      fc.property(program, config, fc.bigInt({ min: 21_010n, max: 200_000n }), (ops, cfg, gas) => {
        expectReferenceText(runCode(asm(ops.length === 0 ? "STOP" : ops.join(" ")), gas), cfg);
      }),
      { numRuns: 300 },
    );
  });
});

describe("struct log text pieces", () => {
  const UNTOUCHED = 0xee;
  /** Writes at 3 of a filled array: the text written, after checking nothing before it nor past its end's slack (7 bytes) was stored. */
  const written = (put: (view: DataView, at: number) => number) => {
    const buf = new Uint8Array(100 + SLACK).fill(UNTOUCHED);
    const end = put(new DataView(buf.buffer), 3);
    expect([...buf.subarray(0, 3)]).toEqual([UNTOUCHED, UNTOUCHED, UNTOUCHED]);
    expect(buf.subarray(end + 7).every((b) => b === UNTOUCHED)).toBe(true);
    return new TextDecoder().decode(buf.subarray(3, end));
  };
  const write = (v: number | bigint, put: (view: DataView, at: number, v: never) => number) => written((view, at) => put(view, at, v as never));

  it("writes a stack item as its hex, at every power of 16 and between", () => {
    const items: (number | bigint)[] = [0, 1, 15, 16, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 36, 2 ** 53 - 1];
    for (let k = 1n; k <= 64n; k++) items.push(16n ** k - 1n, 16n ** k, 16n ** k + 1n, 16n ** k / 3n);
    for (let i = 0; i < 1_000; i++) items.push(Math.floor(Math.random() * 2 ** 53), Math.floor(Math.random() * 2 ** (i % 53)), BigInt.asUintN(256, BigInt(Math.floor(Math.random() * 2 ** 53)) << BigInt(i % 200)));
    for (const v of items.filter((v) => v < 2n ** 256n)) expect(write(v, putItem), String(v)).toBe(`"0x${v.toString(16)}"`);
  });

  it("writes a word held as limbs as its hex, at every power of 16 and between", () => {
    const words: bigint[] = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 255n, 2n ** 256n - 1n, 2n ** 224n - 1n];
    for (let k = 1n; k < 64n; k++) words.push(16n ** k - 1n, 16n ** k, 16n ** k + 1n, 16n ** k / 3n);
    for (let i = 0; i < 1_000; i++) words.push(BigInt.asUintN(256, BigInt(Math.floor(Math.random() * 2 ** 53)) << BigInt(i % 250)), BigInt.asUintN(256, -BigInt(i)));
    const limbs = new Int32Array(16);
    for (const v of words) {
      // At the second slot of the array, as the interpreter's frame holds them.
      for (let k = 0; k < 8; k++) limbs[8 + k] = Number(BigInt.asIntN(32, v >> BigInt(32 * k)));
      expect(written((view, at) => putLimbs(view, at, limbs, 8)), String(v)).toBe(`"0x${v.toString(16)}"`);
    }
  });

  it("writes numbers as JSON does", () => {
    const numbers = [0, 1, 9, 10, 99, 100, 101, 999, 1_000, 9_999, 10_000, 99_999_999, 100_000_000, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, -1, -123_456, 0.5, 2 ** 53, 1e21, NaN, Infinity];
    for (let k = 0; k < 16; k++) numbers.push(10 ** k - 1, 10 ** k, 10 ** k + 1);
    for (let i = 0; i < 1_000; i++) numbers.push(Math.floor(Math.random() * 2 ** (i % 54)));
    for (const n of numbers) expect(write(n, putNumber), String(n)).toBe(JSON.stringify(n));
  });

  it("writes text and copies ranges eight bytes at a store, of every length", () => {
    const source = Array.from({ length: 40 }, (_, i) => String.fromCharCode(0x21 + i)).join("");
    const src = new Uint8Array(64);
    for (let i = 0; i < source.length; i++) src[i] = source.charCodeAt(i);
    for (let n = 0; n <= source.length; n++) {
      expect(written((view, at) => putText(view, at, wordText(source.slice(0, n))))).toBe(source.slice(0, n));
      expect(written((view, at) => putWords(view, at, new DataView(src.buffer), 5, 5 + Math.min(n, 30)))).toBe(source.slice(5, 5 + Math.min(n, 30)));
    }
  });
});
