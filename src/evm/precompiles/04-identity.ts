import type { Precompile } from "./types.ts";
import { words } from "./util.ts";

export const identity: Precompile = (input, gasLimit) => {
  const gas = 15 + 3 * words(input.length);
  return gas > gasLimit ? null : { gasUsed: gas, output: input.slice() };
};
