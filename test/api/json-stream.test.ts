import { describe, expect, it } from "vitest";
import { jsonAnswer, jsonLength, SlicedArray } from "../../src/api/json-stream.ts";
import { asm } from "../../src/cli/asm.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync } from "../../src/evm/run.ts";
import { StructLogText } from "../../src/trace/struct-log-bytes.ts";
import { StructLogger } from "../../src/trace/struct-logger.ts";
import { block, stateWith, tx } from "../helpers/exec.ts";

const text = async (s: ReadableStream<Uint8Array>) => new Response(s).text();

describe("SlicedArray", () => {
  it("writes the same text as JSON.stringify, whatever the array's length and the key's place", async () => {
    for (const n of [0, 1, 499, 500, 501, 2_500]) {
      const items = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? undefined : { i, s: `"${i}"\u2028`, t: [i, null] }));
      const value = { jsonrpc: "2.0", id: n, result: items, after: { x: 1 } };
      const sliced = (v: Record<string, unknown>) => jsonAnswer({ ...v, result: new SlicedArray(items) }) as ReadableStream<Uint8Array>;
      expect(await text(sliced(value))).toBe(JSON.stringify(value));
      const first = { result: items, id: "a" };
      expect(await text(sliced(first))).toBe(JSON.stringify(first));
    }
  });
});

describe("jsonAnswer", () => {
  const logger = () => {
    // A struct log of 2,500 steps: three slices.
    const code = asm("PUSH2 360 :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP");
    const state = stateWith(code);
    const insp = new StructLogger({});
    runTxSync({ source: state, tx: tx({ gasLimit: 1_000_000n }), block: block(), fork: Fork.Prague, inspector: insp });
    return insp.result(1n)!;
  };

  it("is JSON.stringify's text when no value leaves a hole", () => {
    const value = { a: [1, "x\u0000y", { b: null }], c: "\u2028" };
    expect(jsonAnswer(value)).toBe(JSON.stringify(value));
  });

  it("sends a struct log's written text, the same text as its entries' JSON, wherever it sits", async () => {
    const r = logger();
    expect(r.structLogs.length).toBeGreaterThan(2_500);
    const value = { jsonrpc: "2.0", id: 1, result: r, after: [r, { empty: new StructLogger({}).result(0n)!.structLogs }] };
    const expected = JSON.stringify(value, (_, v) => (v instanceof StructLogText ? v.toArray() : v));
    const answer = jsonAnswer(value);
    expect(answer).toBeInstanceOf(ReadableStream);
    expect(await text(answer as ReadableStream<Uint8Array>)).toBe(expected);
    // Outside an answer the value is its entries.
    expect(JSON.stringify(value)).toBe(expected);
    // A batch measures each answer without writing its struct logs: by what the logger counted.
    expect(jsonLength(value)).toBe(expected.length);
    let written = 0;
    const counted = Object.assign(Object.create(Object.getPrototypeOf(r.structLogs)), r.structLogs);
    Object.defineProperty(counted, "jsonBytes", { value: () => ((written++, r.structLogs.jsonBytes())) });
    expect(jsonLength({ ...value, result: { ...r, structLogs: counted } })).toBe(expected.length);
    expect(written).toBe(0);
    expect(jsonLength({ a: 1 })).toBe(7);
  });

  it("sends a struct log of shared captures, small and large pieces, as the same text", async () => {
    // 4 KiB of memory shown by every step: a shared piece each, between small pieces of text.
    for (const [size, rounds] of [[4, 200], [20, 40]]) {
      const insp = new StructLogger({ enableMemory: true });
      runTxSync({ source: stateWith(asm(`PUSH 1 PUSH2 ${size * 1024 - 32} MSTORE PUSH2 ${rounds} :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP`)), tx: tx({ gasLimit: 1_000_000n }), block: block(), fork: Fork.Prague, inspector: insp });
      const r = insp.result(1n)!;
      expect([...r.structLogs.jsonBytes()].length).toBeGreaterThan(250);
      const value = { result: r };
      expect(await text(jsonAnswer(value) as ReadableStream<Uint8Array>)).toBe(JSON.stringify(value, (_, v) => (v instanceof StructLogText ? v.toArray() : v)));
    }
  });

  it("takes no string of the value for a hole", async () => {
    const r = logger();
    const value = { forged: "\u0000edge-evm-hole-0", result: r };
    const answer = await text(jsonAnswer(value) as ReadableStream<Uint8Array>);
    expect(JSON.parse(answer).forged).toBe("\u0000edge-evm-hole-0");
    expect(JSON.parse(answer).result.structLogs).toHaveLength(r.structLogs.length);
  });
});
