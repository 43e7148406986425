import { bls12_381 } from "@noble/curves/bls12-381.js";
import type { Precompile } from "./types.ts";
import { G1, G1_DISCOUNT, readFp, readG1, writeG1 } from "./bls12-381-encoding.ts";
import { makeAdd, makeMsm } from "./bls12-381-ops.ts";

const group = { pointSize: 128, zero: G1.ZERO, read: readG1, write: writeG1, addGas: 375, mulGas: 12000, discounts: G1_DISCOUNT };

/** 0x0b BLS12_G1ADD and 0x0c BLS12_G1MSM. */
export const blsG1Add: Precompile = makeAdd(group);
export const blsG1Msm: Precompile = makeMsm(group);

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
