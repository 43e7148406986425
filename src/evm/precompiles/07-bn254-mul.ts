import { Fork } from "../fork.ts";
import { bn254 } from "@noble/curves/bn254.js";
import type { Precompile } from "./types.ts";
import { readG1, writeG1 } from "./bn254-encoding.ts";
import { wordAt } from "./util.ts";

/** EIP-1108 (Istanbul) price; 40,000 before. */
const GAS = 6000;
const BYZANTIUM_GAS = 40000;
const ORDER = bn254.fields.Fr.ORDER;

export const bn254Mul: Precompile = (input, gasLimit, fork) => {
  const gas = fork >= Fork.Istanbul ? GAS : BYZANTIUM_GAS;
  if (gasLimit < gas) return null;
  const p = readG1(input, 0);
  if (p === undefined) return null;
  // G1 has cofactor 1: every curve point has order r, so the scalar reduces mod r.
  const k = wordAt(input, 64) % ORDER;
  return { gasUsed: gas, output: writeG1(k === 0n ? bn254.G1.Point.ZERO : p.multiplyUnsafe(k)) };
};
