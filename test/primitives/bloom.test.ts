import { Bloom } from "@ethereumjs/vm";
import { describe, expect, it } from "vitest";
import { logsBloom } from "../../src/primitives/bloom.ts";
import { bytesToHex, hexToBytes, type Hex } from "../../src/primitives/hex.ts";
import { keccak256 } from "../../src/primitives/keccak.ts";

describe("logsBloom", () => {
  it("equals @ethereumjs/vm's bloom for the same logs", () => {
    const logs = Array.from({ length: 5 }, (_, i) => ({
      address: bytesToHex(keccak256(Uint8Array.of(i)).subarray(12)),
      topics: Array.from({ length: i % 4 }, (_, t) => bytesToHex(keccak256(Uint8Array.of(i, t)))) as Hex[],
    }));
    const reference = new Bloom();
    for (const l of logs) {
      reference.add(hexToBytes(l.address));
      for (const t of l.topics) reference.add(hexToBytes(t));
    }
    expect(logsBloom(logs)).toBe(bytesToHex(reference.bitvector));
    expect(logsBloom([])).toBe(`0x${"00".repeat(256)}`);
  });
});
