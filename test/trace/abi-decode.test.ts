import { Interface } from "ethers";
import type { Abi } from "viem";
import { describe, expect, it } from "vitest";
import { decodeCall, decodeError, decodeEvent, indexAbi } from "../../src/trace/abi-decode.ts";
import { hexToBytes, type Hex } from "../../src/primitives/hex.ts";

// Encoded by ethers (an encoder independent of the decoder under test).
const ORDER = { name: "order", type: "tuple", components: [{ name: "maker", type: "address" }, { name: "amounts", type: "uint256[]" }, { name: "legs", type: "tuple[]", components: [{ name: "memo", type: "string" }, { name: "data", type: "bytes" }, { name: "", type: "int8" }] }] };
const ABI = [
  { type: "error", name: "BadOrder", inputs: [ORDER, { name: "why", type: "string[2]" }, { name: "nested", type: "bytes[][]" }] },
  { type: "event", name: "Filled", anonymous: false, inputs: [{ name: "maker", type: "address", indexed: true }, { name: "tag", type: "string", indexed: true }, ORDER, { name: "ids", type: "uint16[3]" }] },
  { type: "function", name: "fill", stateMutability: "nonpayable", inputs: [ORDER, { name: "flags", type: "bool[]" }], outputs: [{ name: "ok", type: "bool" }, { name: "", type: "tuple", components: [{ name: "left", type: "int256" }, { name: "names", type: "string[]" }] }] },
] as const;

const MAKER = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const order = [MAKER, [1n, 2n ** 200n], [["first", "0x", -3], ["", "0xdeadbeef", 127]]];
const orderJson = { maker: MAKER.toLowerCase(), amounts: ["1", (2n ** 200n).toString()], legs: [{ memo: "first", data: "0x", arg2: "-3" }, { memo: "", data: "0xdeadbeef", arg2: "127" }] };
const iface = new Interface(ABI as unknown as string[]);
const index = indexAbi(ABI as unknown as Abi);

describe("ABI decoding (viem's decoder)", () => {
  it("decodes a custom error with a tuple of arrays of tuples, a fixed array of strings and bytes[][]", () => {
    const data = iface.encodeErrorResult("BadOrder", [order, ["a", "bé"], [["0x01"], [], ["0x", "0xffff"]]]) as Hex;
    expect(decodeError(index, hexToBytes(data))).toEqual({
      signature: "BadOrder((address,uint256[],(string,bytes,int8)[]),string[2],bytes[][])",
      name: "BadOrder",
      args: { order: orderJson, why: ["a", "bé"], nested: [["0x01"], [], ["0x", "0xffff"]] },
    });
    // Truncated data, or an unknown selector, decodes to nothing.
    expect(decodeError(index, hexToBytes(data).subarray(0, 100))).toBeUndefined();
    expect(decodeError(index, hexToBytes("0x12345678"))).toBeUndefined();
  });

  it("decodes an event: indexed arguments from topics (a dynamic one as its hash), the rest from data", () => {
    const log = iface.encodeEventLog("Filled", [MAKER, "gm", order, [1, 2, 65535]]);
    const decoded = decodeEvent(index, log.topics as Hex[], hexToBytes(log.data as Hex));
    expect(decoded).toEqual({
      signature: "Filled(address,string,(address,uint256[],(string,bytes,int8)[]),uint16[3])",
      name: "Filled",
      args: { maker: MAKER.toLowerCase(), tag: log.topics[2], order: orderJson, ids: ["1", "2", "65535"] },
    });
    expect(decodeEvent(index, [log.topics[0] as Hex], hexToBytes(log.data as Hex))).toBeUndefined();
  });

  it("decodes a call and what it returned", () => {
    const input = iface.encodeFunctionData("fill", [order, [true, false]]) as Hex;
    const output = iface.encodeFunctionResult("fill", [true, [-5n, ["x", "yz"]]]) as Hex;
    expect(decodeCall(index, input, output)).toEqual({
      signature: "fill((address,uint256[],(string,bytes,int8)[]),bool[])",
      name: "fill",
      args: { order: orderJson, flags: [true, false] },
      result: { ok: true, arg1: { left: "-5", names: ["x", "yz"] } },
    });
    // A reverted call has no result to decode; an unknown selector is not decoded.
    expect(decodeCall(index, hexToBytes(input), "0x")).not.toHaveProperty("result");
    expect(decodeCall(index, "0xa9059cbb")).toBeUndefined();
  });
});
