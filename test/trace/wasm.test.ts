import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTraceWasm, TRACE_WASM_DIR } from "../../scripts/build-trace-wasm.ts";
import { StructLogText } from "../../src/trace/struct-log-bytes.ts";
import { traceWasmInstalled, WasmEntries } from "../../src/trace/struct-log-wasm.ts";
import { TRACE_WASM_BASE64 } from "../../src/trace/wasm/trace-wasm-bytes.ts";
import { OUT_SIZE } from "../../src/trace/wasm/layout.ts";

const NAMES = Array.from({ length: 256 }, (_, i) => (i === 0x56 ? "JUMP" : i === 0xf4 ? "DELEGATECALL" : `0x${i.toString(16).padStart(2, "0")}`));

interface Entry {
  pc: number;
  op: number;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
  refund: number;
}

/** Writes `entries` on a writer of its own: the log's text, and whether each was written there. */
function written(entries: Entry[]): { text: string; taken: boolean[] } {
  const w = WasmEntries.create()!;
  const logs = new StructLogText(w.region);
  expect(w.useNames(NAMES)).toBe(true);
  const taken = entries.map((e) => {
    const stackText = e.stack?.map((s) => JSON.stringify(s)).join(",") ?? "";
    for (let i = 0; i < stackText.length; i++) w.stackText.text[i] = stackText.charCodeAt(i);
    return w.write(logs, expectedText(e, logs.length === 0).length, e.pc, e.op, e.gas, e.gasCost, e.depth, e.stack === undefined ? -1 : 0, stackText.length, e.refund);
  });
  let text = "";
  for (const piece of logs.jsonBytes()) text += new TextDecoder().decode(piece);
  return { text, taken };
}

function expectedText(e: Entry, first: boolean): string {
  const json = JSON.stringify({ pc: e.pc, op: NAMES[e.op], gas: e.gas, gasCost: e.gasCost, depth: e.depth, stack: e.stack, refund: e.refund === 0 ? undefined : e.refund });
  return (first ? "" : ",") + json;
}

describe("the struct logger's entry writer on WebAssembly", () => {
  it("is installed for the unit tests (as in the CLI)", () => {
    expect(traceWasmInstalled()).toBe(true);
  });

  it("writes numbers as JSON does, at every power of ten and between, up to 2^53", () => {
    const numbers = [0, 1, 9, 10, 99, 100, 999, 1_000, 9_999, 10_000, 99_999_999, 100_000_000, 100_000_001, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53];
    for (let k = 0; k < 16; k++) numbers.push(10 ** k - 1, 10 ** k, 10 ** k + 1);
    for (let i = 0; i < 500; i++) numbers.push(Math.floor(Math.random() * 2 ** (i % 54)));
    const entries: Entry[] = numbers.map((n, i) => ({ pc: n % 2 ** 31, op: i % 256, gas: n, gasCost: numbers[(i * 7) % numbers.length], depth: (n % 1025) + 1, refund: i % 3 === 0 ? 0 : numbers[(i * 13) % numbers.length], stack: i % 2 === 0 ? undefined : [] }));
    const { text, taken } = written(entries);
    expect(taken.every(Boolean)).toBe(true);
    expect(text).toBe(entries.map((e, i) => expectedText(e, i === 0)).join(""));
  });

  it("copies the stack's text of every length, and entries past its region go out in pieces in order", () => {
    const entries: Entry[] = [];
    for (let n = 0; n < 1500; n++) {
      const items = Array.from({ length: n % 40 }, (_, k) => `0x${(BigInt(n * 40 + k) ** BigInt(1 + (k % 7))).toString(16)}`);
      entries.push({ pc: n, op: 0x56, gas: 1e9 - n, gasCost: n % 20, depth: 1 + (n % 3), stack: items, refund: 0 });
    }
    const { text, taken } = written(entries);
    expect(taken.every(Boolean)).toBe(true);
    expect(text.length).toBeGreaterThan(2 * OUT_SIZE);
    expect(text).toBe(entries.map((e, i) => expectedText(e, i === 0)).join(""));
  });

  it("writes a word held as limbs as its hex, at every power of 16 and between", () => {
    const words: bigint[] = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 255n, 2n ** 256n - 1n, 2n ** 224n - 1n];
    for (let k = 1n; k < 64n; k++) words.push(16n ** k - 1n, 16n ** k, 16n ** k + 1n, 16n ** k / 3n);
    for (let i = 0; i < 1_000; i++) words.push(BigInt.asUintN(256, BigInt(Math.floor(Math.random() * 2 ** 53)) << BigInt(i % 250)), BigInt.asUintN(256, -BigInt(i)));
    const { text, limbs, putLimbs } = WasmEntries.create()!.stackText;
    let at = 0, expected = "";
    words.forEach((v, i) => {
      // Each at a slot of its own, as the capture keeps them, and after the one before.
      const o = 8 * (i % 1024);
      for (let k = 0; k < 8; k++) limbs[o + k] = Number(BigInt.asIntN(32, v >> BigInt(32 * k)));
      if (at + 80 > text.length) at = 0, expected = "";
      at = putLimbs(at, o);
      expected += `"0x${v.toString(16)}"`;
      expect(new TextDecoder().decode(text.subarray(0, at)), String(v)).toBe(expected);
    });
  });

  it("leaves to JavaScript numbers that are not whole or past 2^53", () => {
    for (const bad of [-1, 0.5, 2 ** 53 + 2, NaN, Infinity]) {
      expect(written([{ pc: 0, op: 0, gas: bad, gasCost: 0, depth: 1, refund: 0 }]).taken).toEqual([false]);
      expect(written([{ pc: 0, op: 0, gas: 0, gasCost: bad, depth: 1, refund: 0 }]).taken).toEqual([false]);
      expect(written([{ pc: 0, op: 0, gas: 0, gasCost: 0, depth: 1, refund: bad }]).taken).toEqual([false]);
    }
  });

  it("is what scripts/build-trace-wasm.ts builds from its source (binary, base64 and text)", async () => {
    const { text, bytes: built } = await buildTraceWasm();
    expect(Buffer.from(readFileSync(`${TRACE_WASM_DIR}/trace.wasm`)).equals(Buffer.from(built))).toBe(true);
    expect(TRACE_WASM_BASE64).toBe(Buffer.from(built).toString("base64"));
    expect(readFileSync(`${TRACE_WASM_DIR}/trace.wat`, "utf8")).toBe(text);
  });
});
