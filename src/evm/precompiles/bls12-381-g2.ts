import { bls12_381 } from "@noble/curves/bls12-381.js";
import type { Precompile } from "./types.ts";
import { G2, G2_DISCOUNT, msmGas, readFp, readG2, writeG2 } from "./bls12-381-encoding.ts";
import { fromBytes } from "./util.ts";

const ORDER = bls12_381.fields.Fr.ORDER;
const PAIR = 288;

/** 0x0d BLS12_G2ADD: no subgroup check, only on-curve. */
export const blsG2Add: Precompile = (input, gasLimit) => {
  if (input.length !== 512 || gasLimit < 600) return null;
  const a = readG2(input, 0, false), b = readG2(input, 256, false);
  if (a === undefined || b === undefined) return null;
  return { gasUsed: 600, output: writeG2(a.add(b)) };
};

/** 0x0e BLS12_G2MSM. */
export const blsG2Msm: Precompile = (input, gasLimit) => {
  if (input.length === 0 || input.length % PAIR !== 0) return null;
  const k = input.length / PAIR;
  const gas = msmGas(k, 22500, G2_DISCOUNT);
  if (gas > gasLimit) return null;
  let acc = G2.ZERO;
  for (let i = 0; i < k; i++) {
    const p = readG2(input, i * PAIR, true);
    if (p === undefined) return null;
    const s = fromBytes(input.subarray(i * PAIR + 256, i * PAIR + 288)) % ORDER;
    if (s !== 0n && !p.is0()) acc = acc.add(p.multiplyUnsafe(s));
  }
  return { gasUsed: gas, output: writeG2(acc) };
};

/** 0x11 BLS12_MAP_FP2_TO_G2. */
export const blsMapFp2ToG2: Precompile = (input, gasLimit) => {
  if (input.length !== 128 || gasLimit < 23800) return null;
  const c0 = readFp(input, 0), c1 = readFp(input, 64);
  if (c0 === undefined || c1 === undefined) return null;
  // Typed as returning an affine point; at run time it is the cleared projective point.
  const mapToCurve = bls12_381.G2.mapToCurve as unknown as (u: bigint[]) => InstanceType<typeof G2>;
  return { gasUsed: 23800, output: writeG2(mapToCurve([c0, c1])) };
};
