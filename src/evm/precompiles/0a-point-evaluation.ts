import { bls12_381 } from "@noble/curves/bls12-381.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hexToBytes } from "../../primitives/hex.ts";
import type { Precompile } from "./types.ts";
import { fromBytes, toBytes } from "./util.ts";

const GAS = 50000;
const BLS_MODULUS = bls12_381.fields.Fr.ORDER;
const FIELD_ELEMENTS_PER_BLOB = 4096n;
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const OUTPUT = new Uint8Array(64);
OUTPUT.set(toBytes(FIELD_ELEMENTS_PER_BLOB, 32), 0);
OUTPUT.set(toBytes(BLS_MODULUS, 32), 32);

/**
 * [τ]₂ of the mainnet KZG ceremony (`g2_monomial[1]` of its trusted setup), compressed: the only
 * setup point a single-point proof needs. Inlined: the whole setup would be 60% of the Worker's
 * compressed bundle (test/evm/precompiles checks it against the published setup).
 */
export const TAU_G2 = "0xb5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d2914e5870cb452d2afaaab24f3499f72185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2";
let tauG2: InstanceType<typeof G2> | undefined;

function g1(bytes: Uint8Array): InstanceType<typeof G1> | undefined {
  try {
    const p = G1.fromBytes(bytes);
    p.assertValidity();
    return p;
  } catch {
    return undefined;
  }
}

/**
 * KZG point evaluation (EIP-4844): checks that the commitment opens to y at z, by
 * e(C - [y]₁, [1]₂) = e(π, [τ]₂ - [z]₂).
 */
export const pointEvaluation: Precompile = (input, gasLimit) => {
  if (input.length !== 192 || gasLimit < GAS) return null;
  const commitmentBytes = input.subarray(96, 144);
  const hash = sha256(commitmentBytes);
  if (input[0] !== 0x01) return null;
  for (let i = 1; i < 32; i++) if (input[i] !== hash[i]) return null;
  const z = fromBytes(input.subarray(32, 64)), y = fromBytes(input.subarray(64, 96));
  if (z >= BLS_MODULUS || y >= BLS_MODULUS) return null;
  const commitment = g1(commitmentBytes), proof = g1(input.subarray(144, 192));
  if (commitment === undefined || proof === undefined) return null;
  tauG2 ??= G2.fromBytes(hexToBytes(TAU_G2));
  const left = commitment.subtract(G1.BASE.multiplyUnsafe(y));
  const right = tauG2.subtract(G2.BASE.multiplyUnsafe(z));
  // e(left, -G2) * e(proof, right) == 1
  const { Fp12 } = bls12_381.fields;
  const pairs = [];
  if (!left.is0()) pairs.push({ g1: left, g2: G2.BASE.negate() });
  if (!proof.is0() && !right.is0()) pairs.push({ g1: proof, g2: right });
  const ok = pairs.length === 0 || Fp12.eql(bls12_381.pairingBatch(pairs), Fp12.ONE);
  return ok ? { gasUsed: GAS, output: OUTPUT.slice() } : null;
};
