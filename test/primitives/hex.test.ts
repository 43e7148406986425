import { bytesToHex as nobleHex } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { bytesToHex, hexToBytes } from "../../src/primitives/hex.ts";

describe("bytesToHex", () => {
  it("agrees with @noble/hashes on every length around the short/long switch, and round-trips", () => {
    for (const n of [0, 1, 2, 31, 32, 33, 64, 65, 1000, 32_768]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
      expect(bytesToHex(bytes), `length ${n}`).toBe(`0x${nobleHex(bytes)}`);
      expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
    }
  });
});
