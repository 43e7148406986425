import { bls12_381 } from "@noble/curves/bls12-381.js";
import type { Precompile } from "./types.ts";
import { G1, G1_DISCOUNT, msmGas, readFp, readG1, writeG1 } from "./bls12-381-encoding.ts";
import { fromBytes } from "./util.ts";

const ORDER = bls12_381.fields.Fr.ORDER;
const PAIR = 160;

/** 0x0b BLS12_G1ADD: no subgroup check, only on-curve. */
export const blsG1Add: Precompile = (input, gasLimit) => {
  if (input.length !== 256 || gasLimit < 375) return null;
  const a = readG1(input, 0, false), b = readG1(input, 128, false);
  if (a === undefined || b === undefined) return null;
  return { gasUsed: 375, output: writeG1(a.add(b)) };
};

/** 0x0c BLS12_G1MSM: points must be in the subgroup; scalars are any 256-bit value. */
export const blsG1Msm: Precompile = (input, gasLimit) => {
  if (input.length === 0 || input.length % PAIR !== 0) return null;
  const k = input.length / PAIR;
  const gas = msmGas(k, 12000, G1_DISCOUNT);
  if (gas > gasLimit) return null;
  let acc = G1.ZERO;
  for (let i = 0; i < k; i++) {
    const p = readG1(input, i * PAIR, true);
    if (p === undefined) return null;
    const s = fromBytes(input.subarray(i * PAIR + 128, i * PAIR + 160)) % ORDER;
    if (s !== 0n && !p.is0()) acc = acc.add(p.multiplyUnsafe(s));
  }
  return { gasUsed: gas, output: writeG1(acc) };
};

/** 0x10 BLS12_MAP_FP_TO_G1: simplified SWU map, isogeny, then cofactor clearing. */
export const blsMapFpToG1: Precompile = (input, gasLimit) => {
  if (input.length !== 64 || gasLimit < 5500) return null;
  const u = readFp(input, 0);
  if (u === undefined) return null;
  // noble's typings say bigint[] and an affine result; at run time G1 takes one bigint and
  // returns the cleared projective point.
  const mapToCurve = bls12_381.G1.mapToCurve as unknown as (u: bigint) => InstanceType<typeof G1>;
  return { gasUsed: 5500, output: writeG1(mapToCurve(u)) };
};
