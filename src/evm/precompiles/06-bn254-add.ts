import { Fork } from "../fork.ts";
import type { Precompile } from "./types.ts";
import { readG1, writeG1 } from "./bn254-encoding.ts";

/** EIP-1108 (Istanbul) price; 500 before. */
const GAS = 150;
const BYZANTIUM_GAS = 500;

export const bn254Add: Precompile = (input, gasLimit, fork) => {
  const gas = fork >= Fork.Istanbul ? GAS : BYZANTIUM_GAS;
  if (gasLimit < gas) return null;
  const a = readG1(input, 0), b = readG1(input, 64);
  if (a === undefined || b === undefined) return null;
  return { gasUsed: gas, output: writeG1(a.add(b)) };
};
