import { bls12_381 } from "@noble/curves/bls12-381.js";
import type { Precompile } from "./types.ts";
import { readG1, readG2 } from "./bls12-381-encoding.ts";

const PAIR = 384;

/** 0x0f BLS12_PAIRING_CHECK: 1 when the product of pairings is one; subgroup checks on both. */
export const blsPairing: Precompile = (input, gasLimit) => {
  if (input.length === 0 || input.length % PAIR !== 0) return null;
  const k = input.length / PAIR;
  const gas = 32600 * k + 37700;
  if (gas > gasLimit) return null;
  const pairs = [];
  for (let i = 0; i < k; i++) {
    const g1 = readG1(input, i * PAIR, true), g2 = readG2(input, i * PAIR + 128, true);
    if (g1 === undefined || g2 === undefined) return null;
    if (!g1.is0() && !g2.is0()) pairs.push({ g1, g2 });
  }
  const { Fp12 } = bls12_381.fields;
  const output = new Uint8Array(32);
  if (pairs.length === 0 || Fp12.eql(bls12_381.pairingBatch(pairs), Fp12.ONE)) output[31] = 1;
  return { gasUsed: gas, output };
};
