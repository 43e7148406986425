import { encodeFunctionData, parseAbi, toEventSelector, toFunctionSelector, type Abi } from "viem";
import { describe, expect, it } from "vitest";
import { abiNames, encodeCall, type AbiEntry } from "../../src/console/client/abi.ts";
import Caller from "../contracts/Caller.json";

/** One function of a human-readable signature, as JSON ABI. */
const fn = (sig: string) => (parseAbi as (signatures: string[]) => unknown[])([`function ${sig}`])[0] as AbiEntry;

describe("console ABI encoding (the simulate form's calldata)", () => {
  it("encodes as viem does: static, dynamic, signed, fixed and dynamic arrays", () => {
    const cases: [string, string[], unknown[]][] = [
      ["f(uint256 a, address b, bool c)", ["42", "0x00000000000000000000000000000000000000be", "true"], [42n, "0x00000000000000000000000000000000000000be", true]],
      ["g(int8 a, int256 b, bytes4 c)", ["-1", "-123456789", "0xdeadbeef"], [-1, -123456789n, "0xdeadbeef"]],
      ["h(string s, bytes b, uint16 n)", ["too early ✓", "0x0102030405", "0xffff"], ["too early ✓", "0x0102030405", 65535]],
      ["k(uint256[] xs, address[2] pair, string[] names)", ["[1, 2, 3]", '["0x0000000000000000000000000000000000000001", "0x0000000000000000000000000000000000000002"]', '["a", "bc"]'], [[1n, 2n, 3n], ["0x0000000000000000000000000000000000000001", "0x0000000000000000000000000000000000000002"], ["a", "bc"]]],
    ];
    for (const [sig, text, values] of cases) {
      const f = fn(sig);
      expect(encodeCall(f, text), sig).toBe(encodeFunctionData({ abi: [f] as Abi, functionName: f.name!, args: values }));
    }
  });

  it("refuses what does not fit the type, naming it", () => {
    expect(() => encodeCall(fn("f(uint8 a)"), ["256"])).toThrow("uint8: 256 is out of range");
    expect(() => encodeCall(fn("f(int8 a)"), ["-129"])).toThrow("out of range");
    expect(() => encodeCall(fn("f(uint256 a)"), ["1.5"])).toThrow("not an integer");
    expect(() => encodeCall(fn("f(address a)"), ["0x12"])).toThrow("not 0x and 40 hex digits");
    expect(() => encodeCall(fn("f(bytes2 a)"), ["0x010203"])).toThrow("bytes2 needs 2 bytes");
    expect(() => encodeCall(fn("f(bool a)"), ["yes"])).toThrow("bool must be true or false");
    expect(() => encodeCall(fn("f(uint256 a, uint256 b)"), ["1"])).toThrow("takes 2 arguments");
  });

  it("names functions by selector and events by topic", () => {
    const names = abiNames([Caller.abi as AbiEntry[]]);
    expect(names.get(toFunctionSelector("everything(address)"))).toBe("everything(address)");
    expect(names.get(toEventSelector("Done(uint256)"))).toBe("Done(uint256)");
  });
});
