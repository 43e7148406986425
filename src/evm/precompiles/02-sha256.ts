import { sha256 as hash } from "@noble/hashes/sha2.js";
import type { Precompile } from "./types.ts";
import { words } from "./util.ts";

export const sha256: Precompile = (input, gasLimit) => {
  const gas = 60 + 12 * words(input.length);
  return gas > gasLimit ? null : { gasUsed: gas, output: hash(input) };
};
