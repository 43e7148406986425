import { bls12_381 } from "@noble/curves/bls12-381.js";
import type { Precompile } from "./types.ts";
import { G2, G2_DISCOUNT, readFp, readG2, writeG2 } from "./bls12-381-encoding.ts";
import { makeAdd, makeMsm } from "./bls12-381-ops.ts";

const group = { pointSize: 256, zero: G2.ZERO, read: readG2, write: writeG2, addGas: 600, mulGas: 22500, discounts: G2_DISCOUNT };

/** 0x0d BLS12_G2ADD and 0x0e BLS12_G2MSM. */
export const blsG2Add: Precompile = makeAdd(group);
export const blsG2Msm: Precompile = makeMsm(group);

/** 0x11 BLS12_MAP_FP2_TO_G2. */
export const blsMapFp2ToG2: Precompile = (input, gasLimit) => {
  if (input.length !== 128 || gasLimit < 23800) return null;
  const c0 = readFp(input, 0), c1 = readFp(input, 64);
  if (c0 === undefined || c1 === undefined) return null;
  // Typed as returning an affine point; at run time it is the cleared projective point.
  const mapToCurve = bls12_381.G2.mapToCurve as unknown as (u: bigint[]) => InstanceType<typeof G2>;
  return { gasUsed: 23800, output: writeG2(mapToCurve([c0, c1])) };
};
