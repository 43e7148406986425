import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hexDigits, itemHex } from "../../src/trace/struct-log-text.ts";
import { asm } from "../../src/cli/asm.ts";
import { createAddress } from "../../src/evm/address.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync, TxRun } from "../../src/evm/run.ts";
import { bigIntToAddress, hexToBytes, type Address, type Hex } from "../../src/primitives/hex.ts";
import { MemoryState } from "../../src/state/memory.ts";
import { StructLogColumns } from "../../src/trace/struct-log-columns.ts";
import { StructLogger, type StructLoggerConfig } from "../../src/trace/struct-logger.ts";
import Caller from "../contracts/Caller.json";
import { block, expectValid, SENDER, stateWith, tx } from "../helpers/exec.ts";
import { LazySource } from "../helpers/lazy-source.ts";
import { encodeCall } from "../integration/abi.ts";

const CALLER = createAddress(SENDER, 0n);
const PAYEE = "0x5000000000000000000000000000000000000005" as Address;
const OTHER = bigIntToAddress(0x4000000000000000000000000000000000000004n);

/** The log's slices are JSON.stringify's text of the same entries, slice by slice (1,000 entries each). */
function expectStringifyText(logs: StructLogColumns, counted = true): void {
  const entries = logs.toArray();
  const slices = [...logs.jsonSlices()];
  expect(slices).toHaveLength(Math.ceil(entries.length / 1000));
  slices.forEach((s, k) => expect(s, `slice ${k}`).toBe(JSON.stringify(entries.slice(k * 1000, (k + 1) * 1000)).slice(1, -1)));
  // What the logger counted is the text's length: a batch measures the answer by it.
  if (counted) expect(logs.jsonChars).toBe(slices.join(",").length);
}

/** Every combination of the logger's options. */
const CONFIGS: StructLoggerConfig[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((b) => ({
  enableMemory: (b & 1) !== 0,
  enableReturnData: (b & 2) !== 0,
  disableStack: (b & 4) !== 0,
  disableStorage: (b & 8) !== 0,
}));

/** Caller deployed, then `data` sent to it with `logger` watching. */
function callCaller(data: string, logger: StructLogger): StructLogColumns {
  const state = new MemoryState();
  state.setAccount(SENDER, { balance: 10n ** 21n });
  state.apply(expectValid(runTxSync({ source: state, tx: tx({ to: null, data: hexToBytes(Caller.bytecode), value: 10n, gasLimit: 5_000_000n }), block: block(), fork: Fork.Prague })).changes);
  runTxSync({ source: state, tx: tx({ to: CALLER, data: hexToBytes(data), gasLimit: 3_000_000n, nonce: 1n }), block: block(), fork: Fork.Prague, inspector: logger });
  return logger.logs;
}

function runCode(code: Uint8Array, config: StructLoggerConfig, gasLimit = 1_000_000n): StructLogColumns {
  const logger = new StructLogger(config);
  runTxSync({ source: stateWith(code), tx: tx({ gasLimit }), block: block(), fork: Fork.Osaka, inspector: logger });
  return logger.logs;
}

/** Sets a slot and clears it (a refund shows from then on), loads it, then counts down `n` rounds. */
const REFUND_THEN_LOOP = (n: number) => asm(`PUSH 1 PUSH0 SSTORE PUSH0 PUSH0 SSTORE PUSH0 SLOAD POP PUSH2 ${n} :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP`);

describe("struct log JSON written from its columns", () => {
  it("is JSON.stringify's text of its entries for nested calls, reverts, memory, return data and storage, with every option", () => {
    const seen = { memory: false, returnData: false, storage: false, noStack: false, slices: 0 };
    for (const config of CONFIGS) {
      for (const data of [encodeCall("everything(address)", PAYEE), encodeCall("deepRevert(uint256)", 3)]) {
        const logs = callCaller(data, new StructLogger(config));
        expectStringifyText(logs);
        const entries = logs.toArray();
        seen.memory ||= entries.some((e) => e.memory !== undefined);
        seen.returnData ||= entries.some((e) => e.returnData !== undefined);
        seen.storage ||= entries.some((e) => e.storage !== undefined);
        seen.noStack ||= config.disableStack === true && entries.every((e) => e.stack === undefined);
        seen.slices = Math.max(seen.slices, Math.ceil(entries.length / 1000));
      }
    }
    // The runs showed what the options ask for, over more than one slice.
    expect(seen).toEqual({ memory: true, returnData: true, storage: true, noStack: true, slices: seen.slices });
    expect(seen.slices).toBeGreaterThan(1);
  });

  it("writes refunds, errors, geth's limit and logs of several slices as JSON.stringify does", () => {
    for (const config of CONFIGS) {
      // 2,345 rounds: not a whole number of slices or chunks.
      const refunds = runCode(REFUND_THEN_LOOP(2_345), config);
      expect(refunds.toArray().filter((e) => e.refund !== undefined).length).toBeGreaterThan(10_000);
      expectStringifyText(refunds);
      const limited = runCode(REFUND_THEN_LOOP(2_345), { ...config, maxSteps: 1_001 });
      expect(limited).toHaveLength(1_001);
      expectStringifyText(limited);
      const underflow = runCode(asm("PUSH 1 ADD"), config);
      expect(underflow.toArray().at(-1)!.error).toBe("stack underflow");
      expectStringifyText(underflow);
      const outOfGas = runCode(REFUND_THEN_LOOP(2_345), config, 60_000n);
      expect(outOfGas.toArray().at(-1)!.error).toBe("out of gas");
      expectStringifyText(outOfGas);
      expectStringifyText(runCode(asm("STOP"), config));
    }
    expectStringifyText(new StructLogColumns());
    expect([...new StructLogColumns().jsonSlices()]).toEqual([]);
  });

  it("leaves out the steps a run suspended on missing state, as its entries do", () => {
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
    expectStringifyText(lazy.logs);
    expect([...lazy.logs.jsonSlices()]).toEqual([...eager.logs.jsonSlices()]);
  });

  it("is JSON.stringify's text for random programs with random options", () => {
    const OPS = ["PUSH 1", "PUSH 0x20", "PUSH 0xffffffffffffffffffffffffffffffff", "PUSH0", "DUP1", "DUP3", "SWAP1", "SWAP2", "ADD", "SUB", "NOT", "MSTORE", "MLOAD", "MSTORE8", "SSTORE", "SLOAD", "TSTORE", "POP", "GAS", "KECCAK256", "RETURNDATASIZE", "CALLDATALOAD", "JUMPDEST", "LOG0", "REVERT", "STOP", "INVALID"];
    const program = fc.array(fc.constantFrom(...OPS), { maxLength: 60 });
    const config = fc.record({ enableMemory: fc.boolean(), enableReturnData: fc.boolean(), disableStack: fc.boolean(), disableStorage: fc.boolean(), maxSteps: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }) });
    fc.assert(
      fc.property(program, config, fc.bigInt({ min: 21_010n, max: 200_000n }), (ops, cfg, gas) => {
        const logs = runCode(asm(ops.length === 0 ? "STOP" : ops.join(" ")), cfg, gas);
        const entries = logs.toArray();
        const text = [...logs.jsonSlices()].join(",");
        return text === JSON.stringify(entries).slice(1, -1) && logs.jsonChars === text.length;
      }),
      { numRuns: 300 },
    );
  });
});

describe("struct log JSON of values that would need escapes", () => {
  it("escapes them as JSON.stringify does, and writes numbers JSON cannot hold as null", () => {
    const odd = ["\"", "\\", "\u0000", "\u001f", "\u2028", "\ud800", "\udc00x", "😀", "é", "0x\"},{\"pc\":1"] as Hex[];
    const logs = new StructLogColumns();
    // Op names as an instruction table might name them: some odd, the rest PUSH1.
    const names = Array.from({ length: 256 }, (_, op) => (op < odd.length ? `OP${odd[op]}` : "PUSH1"));
    for (let i = 0; i < 2_500; i++) {
      const s = odd[i % odd.length];
      // Keeps a varying part of the last stack (once more items than it had, which JSON writes as null).
      logs.begin(i, i % 3 === 0 ? i % odd.length : 0x60, names, i % 7 === 0 ? NaN : i % 11 === 0 ? -0 : 1e21 + i, 1 + (i % 4), i === 5 ? 9 : i % 5 === 0 ? -1 : i % 4);
      for (let k = 0; k < i % 3; k++) logs.pushItem(k === 0 ? i : (1n << BigInt(200 + k)) + BigInt(i));
      if (i % 2 === 0) logs.show({ returnData: `0x${s}` as Hex, memory: [`0x${s}` as Hex, "0x00"], refund: i % 6 === 0 ? Infinity : i - 1_000, storage: { [`0x${s}`]: `0x${s}` } as Record<Hex, Hex> });
      logs.end(i % 13 === 0 ? -Infinity : 3, i % 9 === 0 ? `bad ${s}` : undefined, i % 10 === 0 ? ({ "0x1": `0x${s}` } as Record<Hex, Hex>) : undefined, 0);
    }
    expectStringifyText(logs, false);
    // And it is JSON that reads back as the entries (what JSON keeps of them).
    expect(JSON.parse(`[${[...logs.jsonSlices()].join(",")}]`)).toEqual(JSON.parse(JSON.stringify(logs.toArray())));
  });
});

describe("stack item sizes", () => {
  it("counts an item's hex digits without making its text, at every power of 16 and between", () => {
    const items: (number | bigint)[] = [0, 1, 15, 16, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1];
    for (let k = 1n; k <= 64n; k++) items.push(16n ** k - 1n, 16n ** k, 16n ** k + 1n, 16n ** k / 3n);
    for (let i = 0; i < 1_000; i++) items.push(Math.floor(Math.random() * 2 ** 53), BigInt.asUintN(256, BigInt(Math.floor(Math.random() * 2 ** 53)) << BigInt(i % 200)));
    for (const v of items.filter((v) => v < 2n ** 256n)) expect(hexDigits(v), String(v)).toBe(itemHex(v).length - 2);
  });
});
