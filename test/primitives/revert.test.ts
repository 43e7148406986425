import { describe, expect, it } from "vitest";
import { decodeRevert } from "../../src/primitives/revert.ts";
import { hexToBytes } from "../../src/primitives/hex.ts";

const word = (n: bigint | number) => BigInt(n).toString(16).padStart(64, "0");
const errorData = (reason: string) => {
  const bytes = [...new TextEncoder().encode(reason)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return hexToBytes(`0x08c379a0${word(32)}${word(reason.length)}${bytes.padEnd(Math.ceil(bytes.length / 64) * 64, "0")}`);
};

describe("decodeRevert", () => {
  it("decodes Error(string), including an empty and a non-ASCII reason", () => {
    expect(decodeRevert(errorData("insufficient balance"))).toEqual({ signature: "Error(string)", reason: "insufficient balance" });
    expect(decodeRevert(errorData(""))).toEqual({ signature: "Error(string)", reason: "" });
    expect(decodeRevert(hexToBytes(`0x08c379a0${word(32)}${word(3)}${"e282ac".padEnd(64, "0")}`))).toEqual({ signature: "Error(string)", reason: "€" });
  });

  it("decodes Panic(uint256) with the compiler's meaning of the code", () => {
    expect(decodeRevert(hexToBytes(`0x4e487b71${word(0x11)}`))).toEqual({ signature: "Panic(uint256)", code: 0x11, reason: "arithmetic overflow or underflow" });
    expect(decodeRevert(hexToBytes(`0x4e487b71${word(0x99)}`))).toMatchObject({ code: 0x99, reason: "unknown panic code 0x99" });
  });

  it("leaves anything else undecoded: custom errors, truncated or lying payloads", () => {
    expect(decodeRevert(new Uint8Array(0))).toBeUndefined();
    expect(decodeRevert(hexToBytes("0xdeadbeef"))).toBeUndefined();
    expect(decodeRevert(errorData("abc").subarray(0, 60))).toBeUndefined();
    expect(decodeRevert(hexToBytes(`0x08c379a0${word(32)}${word(1000)}${"00".repeat(32)}`))).toBeUndefined();
    expect(decodeRevert(hexToBytes(`0x08c379a0${word(64)}${word(0)}${word(0)}`))).toBeUndefined();
    expect(decodeRevert(hexToBytes(`0x4e487b71${word(1)}00`))).toBeUndefined();
  });
});
