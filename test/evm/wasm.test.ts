import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { blake2f, blake2fWasmInstalled, compressJs } from "../../src/evm/precompiles/09-blake2f.ts";
import { EVM_WASM_BASE64 } from "../../src/evm/wasm/evm-wasm-bytes.ts";
import { Fork } from "../../src/evm/fork.ts";
import { keccak256, keccak256Word, keccakOnWasm } from "../../src/primitives/keccak.ts";
import { buildWasm, WASM_DIR } from "../../scripts/build-wasm.ts";

/** A deterministic pseudo-random byte stream (xorshift), so failures reproduce. */
function bytes(n: number, seed: number): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: n }, () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return x & 0xff;
  });
}

function input(rounds: number, final: number, seed: number): Uint8Array {
  const b = bytes(213, seed);
  b.set([rounds >>> 24, (rounds >>> 16) & 0xff, (rounds >>> 8) & 0xff, rounds & 0xff], 0);
  b[212] = final;
  return b;
}

describe("blake2f on WebAssembly", () => {
  it("is installed for the unit tests (as in the CLI)", () => {
    expect(blake2fWasmInstalled()).toBe(true);
  });

  it("equals the JavaScript form for every round count of a SIGMA cycle and beyond, final or not", () => {
    for (const rounds of [0, 1, 2, 9, 10, 11, 12, 19, 20, 21, 100, 1001]) {
      for (const final of [0, 1]) {
        const inp = input(rounds, final, rounds * 2 + final + 1);
        const r = blake2f(inp, 1e9, Fork.Osaka);
        expect(r?.gasUsed).toBe(rounds);
        expect(Buffer.from(r!.output).toString("hex")).toBe(Buffer.from(compressJs(inp, rounds, final)).toString("hex"));
      }
    }
  });

});

describe("Keccak-f[1600] on WebAssembly", () => {
  it("is installed for the unit tests and hashes as @noble/hashes does, across block boundaries", () => {
    expect(keccakOnWasm()).toBe(true);
    for (const n of [0, 1, 31, 32, 64, 135, 136, 137, 271, 272, 273, 1000]) {
      const data = bytes(n, n + 7);
      expect(Buffer.from(keccak256(data)).toString("hex")).toBe(Buffer.from(keccak_256(data)).toString("hex"));
      expect(keccak256Word(data, 0, n)).toBe(BigInt(`0x${Buffer.from(keccak_256(data)).toString("hex")}`));
    }
  });
});

describe("evm.wasm", () => {
  it("is what scripts/build-wasm.ts builds from its source (binary, base64 and text)", async () => {
    const { text, bytes: built } = await buildWasm();
    expect(Buffer.from(readFileSync(`${WASM_DIR}/evm.wasm`)).equals(Buffer.from(built))).toBe(true);
    expect(EVM_WASM_BASE64).toBe(Buffer.from(built).toString("base64"));
    expect(readFileSync(`${WASM_DIR}/evm.wat`, "utf8")).toBe(text);
  });
});
