import type { Precompile } from "./types.ts";
import { readG1, writeG1 } from "./bn254-encoding.ts";

const GAS = 150;

export const bn254Add: Precompile = (input, gasLimit) => {
  if (gasLimit < GAS) return null;
  const a = readG1(input, 0), b = readG1(input, 64);
  if (a === undefined || b === undefined) return null;
  return { gasUsed: GAS, output: writeG1(a.add(b)) };
};
