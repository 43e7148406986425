import { recoverAddress, SECP256K1_N } from "../../primitives/secp256k1.ts";
import type { Precompile } from "./types.ts";
import { readPadded, toBytes, wordAt } from "./util.ts";

const GAS = 3000;
const EMPTY = new Uint8Array(0);

/** ECRECOVER: invalid signatures return empty output, not a failure; high s is accepted. */
export const ecrecover: Precompile = (input, gasLimit) => {
  if (gasLimit < GAS) return null;
  const v = wordAt(input, 32), r = wordAt(input, 64), s = wordAt(input, 96);
  if ((v !== 27n && v !== 28n) || r === 0n || r >= SECP256K1_N || s === 0n || s >= SECP256K1_N) return { gasUsed: GAS, output: EMPTY };
  const address = recoverAddress(readPadded(input, 0, 32), r, s, Number(v - 27n));
  if (address === undefined) return { gasUsed: GAS, output: EMPTY };
  return { gasUsed: GAS, output: toBytes(BigInt(address), 32) };
};
