import { describe, expect, it } from "vitest";
import { bytesToBigInt } from "../../src/primitives/bytes.ts";
import { asm } from "../../src/cli/asm.ts";
import { runCode } from "../helpers/exec.ts";
import { mulmodOnWasm } from "../../src/evm/mulmod-wasm.ts";
import { giveBackLimbRegions, takeLimbRegions } from "../helpers/limb-regions.ts";

// The stack keeps words below 2^53 as numbers and larger ones as bigints (src/evm/stack.ts):
// every instruction with a number fast path is checked here against plain bigint arithmetic on
// operands on both sides of that boundary (and of 2^32, where JavaScript's bitwise operators stop),
// and on powers of two and their neighbours, which a double rounds to one (DIV shifts by those).

const M = (1n << 256n) - 1n;
const SIGN = 1n << 255n;
const signed = (x: bigint) => (x >= SIGN ? x - (1n << 256n) : x);
const VALUES = [0n, 1n, 2n, 7n, 255n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 48n + 3n, 2n ** 52n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n, 2n ** 160n - 1n, 2n ** 160n, 2n ** 200n - 1n, 2n ** 200n + 1n, SIGN, M - 1n, M];
// Wide words either side of the 32- and 64-bit limb boundaries (limbs.ts), carries through every
// limb, multipliers that only shift and add, and negatives as signed.
const LIMB_VALUES = [3n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n, 2n ** 64n + 1n, 2n ** 96n - 1n, 2n ** 128n, 2n ** 192n - 2n ** 64n, (2n ** 192n - 1n) / 3n, 2n ** 160n, SIGN - 1n, SIGN + 1n, M - 2n ** 64n, M - 2n ** 53n, M];

// A wide word's three stack forms (stack.ts): its bigint and limbs (PUSH), limbs alone (MLOAD of
// a word the memory's bigint cache forgot: the same entry, 8 KiB on, holds another), the bigint
// alone (a product by one).
const FORMS: Record<string, (x: bigint) => string> = {
  both: (x) => `PUSH32 ${x}`,
  limbs: (x) => `PUSH32 ${x} PUSH 64 MSTORE PUSH32 ${M} PUSH ${64 + 8192} MSTORE PUSH 64 MLOAD`,
  bigint: (x) => `PUSH32 ${x} PUSH 1 MUL`,
};
const FORM_PAIRS = [["limbs", "limbs"], ["limbs", "both"], ["both", "limbs"], ["limbs", "bigint"], ["bigint", "limbs"], ["both", "both"], ["both", "bigint"]];
const SHIFTS = [0n, 1n, 8n, 31n, 32n, 52n, 53n, 54n, 255n, 256n, 2n ** 53n, M];

const BINARY: Record<string, (a: bigint, b: bigint) => bigint> = {
  ADD: (a, b) => (a + b) & M,
  MUL: (a, b) => (a * b) & M,
  SUB: (a, b) => (a - b) & M,
  DIV: (a, b) => (b === 0n ? 0n : a / b),
  SDIV: (a, b) => (b === 0n ? 0n : (signed(a) / signed(b)) & M),
  MOD: (a, b) => (b === 0n ? 0n : a % b),
  SMOD: (a, b) => (b === 0n ? 0n : (signed(a) % signed(b)) & M),
  LT: (a, b) => (a < b ? 1n : 0n),
  GT: (a, b) => (a > b ? 1n : 0n),
  SLT: (a, b) => (signed(a) < signed(b) ? 1n : 0n),
  SGT: (a, b) => (signed(a) > signed(b) ? 1n : 0n),
  EQ: (a, b) => (a === b ? 1n : 0n),
  AND: (a, b) => a & b,
  OR: (a, b) => a | b,
  XOR: (a, b) => a ^ b,
};

/** The second operand is the shift, byte index or byte count. */
const BY_COUNT: Record<string, (k: bigint, x: bigint) => bigint> = {
  SHL: (k, x) => (k >= 256n ? 0n : (x << k) & M),
  SHR: (k, x) => (k >= 256n ? 0n : x >> k),
  SAR: (k, x) => (k >= 256n ? (x >= SIGN ? M : 0n) : (signed(x) >> k) & M),
  BYTE: (k, x) => (k >= 32n ? 0n : (x >> (8n * (31n - k))) & 0xffn),
  SIGNEXTEND: (k, x) => {
    if (k >= 31n) return x;
    const bit = 8n * k + 7n, low = (1n << (bit + 1n)) - 1n;
    return (x >> bit) & 1n ? x | (M ^ low) : x & low;
  },
};

/** Runs `body` and returns the word it leaves on top, through memory. */
function top(body: string): bigint {
  const { result } = runCode(asm(`${body} PUSH 0 MSTORE PUSH 32 PUSH 0 RETURN`));
  expect(result.status).toBe("success");
  return bytesToBigInt(result.output);
}

/** Then the word goes round the stack once more (DUP, SWAP, an ADD of 0), to check its form. */
const roundTrip = (body: string) => `${body} DUP1 PUSH 0 SWAP2 POP ADD`;

describe("stack words on both sides of 2^53", () => {
  for (const [op, ref] of Object.entries(BINARY)) {
    it(op, () => {
      for (const a of VALUES) for (const b of VALUES) expect(top(roundTrip(`PUSH32 ${b} PUSH32 ${a} ${op}`)), `${op}(${a}, ${b})`).toBe(ref(a, b));
    });
  }
  for (const [op, ref] of Object.entries(BY_COUNT)) {
    it(op, () => {
      for (const k of [...SHIFTS, 2n, 5n, 6n, 25n, 30n]) for (const x of VALUES) expect(top(`PUSH32 ${x} PUSH32 ${k} ${op}`), `${op}(${k}, ${x})`).toBe(ref(k, x));
    });
  }
  for (const [op, ref] of Object.entries(BINARY)) {
    it(`${op} of words as limbs, bigints or both`, () => {
      for (const [fa, fb] of FORM_PAIRS)
        for (const a of LIMB_VALUES)
          for (const b of LIMB_VALUES) expect(top(roundTrip(`${FORMS[fb](b)} ${FORMS[fa](a)} ${op}`)), `${op}(${fa} ${a}, ${fb} ${b})`).toBe(ref(a, b));
    });
  }
  it("shifts, BYTE, NOT and ADDMOD of words as limbs", () => {
    for (const [form, make] of Object.entries(FORMS))
      for (const x of LIMB_VALUES) {
        for (const [op, ref] of Object.entries(BY_COUNT))
          for (const k of [0n, 1n, 31n, 32n, 33n, 63n, 64n, 65n, 127n, 200n, 255n]) expect(top(roundTrip(`${make(x)} PUSH ${k} ${op}`)), `${op}(${k}, ${form} ${x})`).toBe(ref(k, x));
        expect(top(roundTrip(`${make(x)} NOT`)), `NOT ${form} ${x}`).toBe(M ^ x);
        for (const n of [2n ** 64n, 2n ** 255n, 2n ** 31n, 1n, 2n ** 200n + 1n, M, (1n << 254n) + 7n])
          for (const y of LIMB_VALUES) {
            expect(top(`PUSH32 ${n} ${FORMS.limbs(y)} ${make(x)} ADDMOD`), `ADDMOD(${form} ${x}, ${y}, ${n})`).toBe((x + y) % n);
            expect(top(`${FORMS.limbs(n)} PUSH32 ${y} ${make(x)} ADDMOD`), `ADDMOD(${form} ${x}, ${y}, limbs ${n})`).toBe((x + y) % n);
          }
      }
  });
  it("MULMOD by moduli of 2^224 and more (bn254, secp256k1), of words as limbs, bigints or both", () => {
    const BN254 = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
    const SECP = 2n ** 256n - 2n ** 32n - 977n;
    for (const n of [BN254, SECP, 2n ** 253n + 1n, 2n ** 255n + 1n, M, BN254 + 2n, 2n ** 224n, 2n ** 224n + 2n ** 200n - 1n, 2n ** 225n, 2n ** 225n + 1n, 2n ** 255n])
      for (const [form, make] of Object.entries(FORMS))
        for (const x of [...LIMB_VALUES, n - 1n, n, n + 1n, BN254 * 3n + 5n].filter((v) => v <= M))
          for (const y of [0n, 1n, 2n ** 64n + 1n, n - 1n, M, SIGN + 12345n]) {
            expect(top(roundTrip(`${make(n)} PUSH32 ${y} ${make(x)} MULMOD`)), `MULMOD(${form} ${x}, ${y}, ${n})`).toBe((x * y) % n);
            expect(top(`PUSH32 ${n} ${FORMS.limbs(y)} PUSH32 ${x} MULMOD`), `MULMOD(${x}, limbs ${y}, ${n})`).toBe((x * y) % n);
          }
  });
  it("MULMOD and ADDMOD by moduli above 2^224 (WebAssembly's, mulmod-wasm.ts): every pair of forms, small factors, terms not reduced", () => {
    expect(mulmodOnWasm()).toBe(true);
    const BN254 = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
    const forms: Record<string, (x: bigint) => string> = { ...FORMS, small: (x) => `PUSH32 ${x}` };
    // Moduli alternate, so the kept modulus and its mu change between instructions.
    for (const n of [BN254, 2n ** 224n + 1n, M, BN254, 2n ** 255n + 19n, 2n ** 224n])
      for (const [fx, mx] of Object.entries(forms))
        for (const [fy, my] of Object.entries(forms))
          for (const fn of ["both", "limbs", "bigint"]) {
            const values = fx === "small" || fy === "small" ? [0n, 1n, 3n, 2n ** 53n - 1n] : [2n ** 53n, n - 1n, n, n + 1n, BN254 * 5n + 3n, M];
            for (const x of (fx === "small" ? [0n, 2n ** 52n + 5n, 2n ** 53n - 1n] : values).filter((v) => v <= M && (v >= 2n ** 53n || fx === "small")))
              for (const y of (fy === "small" ? [1n, 7n, 2n ** 53n - 1n] : values).filter((v) => v <= M && (v >= 2n ** 53n || fy === "small"))) {
                expect(top(roundTrip(`${FORMS[fn](n)} ${my(y)} ${mx(x)} MULMOD`)), `MULMOD(${fx} ${x}, ${fy} ${y}, ${fn} ${n})`).toBe((x * y) % n);
                expect(top(roundTrip(`${FORMS[fn](n)} ${my(y)} ${mx(x)} ADDMOD`)), `ADDMOD(${fx} ${x}, ${fy} ${y}, ${fn} ${n})`).toBe((x + y) % n);
              }
          }
  });
  it("MULMOD and ADDMOD by bn254's prime in a frame whose limbs are not in WebAssembly's memory (BigInt's path)", () => {
    const BN254 = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
    // Every region of the module's memory taken (as frames would take them).
    const taken = takeLimbRegions();
    expect(taken.length).toBeGreaterThan(0);
    try {
      for (const x of [2n ** 53n, BN254 - 1n, BN254 + 1n, M])
        for (const y of [3n, BN254 * 2n + 1n, M]) {
          expect(top(`PUSH32 ${BN254} ${FORMS.limbs(y)} ${FORMS.limbs(x)} MULMOD`)).toBe((x * y) % BN254);
          expect(top(`PUSH32 ${BN254} ${FORMS.limbs(y)} ${FORMS.limbs(x)} ADDMOD`)).toBe((x + y) % BN254);
        }
    } finally {
      giveBackLimbRegions(taken);
    }
  });
  it("MULMOD by random moduli above 2^224 of random words as limbs (Barrett's quotient estimate)", () => {
    let seed = 0x9e3779b97f4a7c15n;
    const next = () => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      return seed;
    };
    const word = (bits: bigint) => ((next() << 192n) | (next() << 128n) | (next() << 64n) | next()) >> (256n - bits);
    for (let i = 0; i < 300; i++) {
      const n = word(225n + BigInt(i % 32)) | (1n << (224n + BigInt(i % 32)));
      const x = word(256n), y = i % 3 === 0 ? n - 1n - (word(64n)) : word(256n);
      expect(top(`PUSH32 ${n} ${FORMS.limbs(y)} ${FORMS.limbs(x)} MULMOD`), `MULMOD(${x}, ${y}, ${n})`).toBe((x * y) % n);
    }
  });
  it("SHL of 1 and a wide word minus 1 (2^k - 1 is a table's: Solidity's masks)", () => {
    for (let k = 0n; k < 258n; k++) {
      const p = k < 256n ? 1n << k : 0n;
      expect(top(`PUSH 1 PUSH ${k} SHL`), `SHL(${k}, 1)`).toBe(p);
      expect(top(roundTrip(`PUSH 1 PUSH 1 PUSH ${k} SHL SUB`)), `shl(${k}, 1) - 1`).toBe((p - 1n) & M);
      // Words near 2^k, as bigints: their nearest double is 2^k.
      for (const x of [p - 1n, p + 1n, p + (1n << 200n), M].filter((v) => v >= 0n && v <= M))
        expect(top(roundTrip(`PUSH 1 ${FORMS.bigint(x)} SUB`)), `${x} - 1`).toBe((x - 1n) & M);
    }
  });
  it("ADDMOD, MULMOD", () => {
    for (const n of [0n, 1n, 7n, 2n ** 53n - 1n, 2n ** 53n, M])
      for (const a of VALUES)
        for (const b of VALUES) {
          expect(top(`PUSH32 ${n} PUSH32 ${b} PUSH32 ${a} ADDMOD`), `ADDMOD(${a}, ${b}, ${n})`).toBe(n === 0n ? 0n : (a + b) % n);
          expect(top(`PUSH32 ${n} PUSH32 ${b} PUSH32 ${a} MULMOD`), `MULMOD(${a}, ${b}, ${n})`).toBe(n === 0n ? 0n : (a * b) % n);
        }
  });
  it("NOT, ISZERO, CLZ, MLOAD", () => {
    for (const x of VALUES) {
      expect(top(`PUSH32 ${x} NOT`)).toBe(M ^ x);
      expect(top(`PUSH32 ${x} ISZERO`)).toBe(x === 0n ? 1n : 0n);
      expect(top(`PUSH32 ${x} CLZ`)).toBe(x === 0n ? 256n : BigInt(256 - x.toString(2).length));
      expect(top(`PUSH32 ${x} PUSH 64 MSTORE PUSH 64 MLOAD`)).toBe(x);
    }
  });
});

describe("wide words in memory", () => {
  // MLOAD builds a word from its non-zero 64-bit pieces and MSTORE writes them: every pattern of
  // zero and non-zero pieces, with pieces that set the top bit of one or both 32-bit halves.
  const PIECES = [1n, 0xffffffffffffffffn, 0x8000000000000001n, 0x0000000180000000n];
  it("MSTORE then MLOAD of every pattern of zero and non-zero 64-bit pieces", () => {
    for (let pattern = 1; pattern < 16; pattern++)
      for (const p of PIECES) {
        let x = 0n;
        for (let k = 0; k < 4; k++) if (pattern & (1 << k)) x |= (p ^ (BigInt(k) << 8n)) << BigInt(64 * k);
        expect(top(`PUSH32 ${x} PUSH 96 MSTORE PUSH 96 MLOAD`), x.toString(16)).toBe(x);
        expect(top(`PUSH32 ${x} PUSH 7 MSTORE PUSH 7 MLOAD`), x.toString(16)).toBe(x);
      }
  });
  it("MLOAD of a full-width word sees every change to its bytes", () => {
    // Full-width words are remembered by offset modulo 8 KiB with their bytes (memory.ts).
    const x = (0xa1n << 248n) | 0x1234n, byte6 = 0x11n << BigInt(8 * (31 - 6));
    expect(top(`PUSH32 ${x} PUSH 64 MSTORE PUSH 64 MLOAD POP PUSH 0x11 PUSH 70 MSTORE8 PUSH 64 MLOAD`)).toBe(x | byte6);
    expect(top(`PUSH32 ${x} PUSH 64 MSTORE PUSH 64 MLOAD POP PUSH32 ${x + 1n} PUSH ${64 + 8192} MSTORE PUSH 64 MLOAD`)).toBe(x);
    expect(top(`PUSH32 ${x} PUSH 64 MSTORE PUSH 64 MLOAD POP PUSH 32 PUSH 0 PUSH 64 CALLDATACOPY PUSH 64 MLOAD`)).toBe(0n);
    expect(top(`PUSH32 ${x} PUSH 64 MSTORE PUSH 64 MLOAD POP PUSH 32 PUSH 64 PUSH 96 MCOPY PUSH 96 MLOAD`)).toBe(x);
    expect(top(`PUSH32 ${x} PUSH 64 MSTORE PUSH 64 MLOAD POP PUSH 0 PUSH 64 MSTORE PUSH 64 MLOAD`)).toBe(0n);
  });
  it("MSTORE8 of a wide word", () => {
    for (const x of VALUES) expect(top(`PUSH32 ${x | (1n << 70n)} PUSH 31 MSTORE8 PUSH 0 MLOAD`)).toBe(x & 0xffn);
  });
});
