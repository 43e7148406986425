import { keccak_256 } from "@noble/hashes/sha3.js";
import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../src/primitives/hex.ts";
import { EMPTY_CODE_HASH, keccak256 } from "../../src/primitives/keccak.ts";

describe("keccak256", () => {
  it("hashes the empty string to the empty code hash", () => {
    expect(bytesToHex(keccak256(new Uint8Array(0)))).toBe(EMPTY_CODE_HASH);
  });
  it("matches a known vector", () => {
    // keccak256("hello world")
    expect(bytesToHex(keccak256(new TextEncoder().encode("hello world")))).toBe("0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad");
  });
  it("agrees with @noble/hashes at every length around the 136-byte rate", () => {
    for (let n = 0; n <= 3 * 136 + 2; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      expect(bytesToHex(keccak256(data)), `length ${n}`).toBe(bytesToHex(keccak_256(data)));
    }
  });
  it("hashes unaligned subarrays and returns independent results", () => {
    const buf = Uint8Array.from({ length: 100 }, (_, i) => i);
    const a = keccak256(buf.subarray(3, 67));
    const b = keccak256(buf.subarray(4, 68));
    expect(bytesToHex(a)).toBe(bytesToHex(keccak_256(buf.subarray(3, 67))));
    expect(bytesToHex(a)).not.toBe(bytesToHex(b));
  });
});

describe("keccak256Word", () => {
  it("equals the digest read as a big-endian word, for a range of a buffer", async () => {
    const { keccak256Word } = await import("../../src/primitives/keccak.ts");
    const buf = Uint8Array.from({ length: 300 }, (_, i) => (i * 13) & 0xff);
    for (const [o, n] of [[0, 0], [5, 64], [1, 136], [17, 200]]) {
      expect(keccak256Word(buf, o, n)).toBe(BigInt(bytesToHex(keccak_256(buf.subarray(o, o + n)))));
    }
  });
});
