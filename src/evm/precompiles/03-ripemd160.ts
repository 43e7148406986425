import { ripemd160 as hash } from "@noble/hashes/legacy.js";
import type { Precompile } from "./types.ts";
import { words } from "./util.ts";

/** RIPEMD-160, left-padded to a 32-byte word. */
export const ripemd160: Precompile = (input, gasLimit) => {
  const gas = 600 + 120 * words(input.length);
  if (gas > gasLimit) return null;
  const output = new Uint8Array(32);
  output.set(hash(input), 12);
  return { gasUsed: gas, output };
};
