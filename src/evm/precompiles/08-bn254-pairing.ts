import { Fork } from "../fork.ts";
import { bn254 } from "@noble/curves/bn254.js";
import type { Precompile } from "./types.ts";
import { readG1, readG2 } from "./bn254-encoding.ts";

const PAIR = 192;

/** EIP-197 pairing check: 1 when the product of pairings is one. EIP-1108 prices from Istanbul. */
export const bn254Pairing: Precompile = (input, gasLimit, fork) => {
  const k = Math.floor(input.length / PAIR);
  const gas = fork >= Fork.Istanbul ? 45000 + 34000 * k : 100000 + 80000 * k;
  if (gas > gasLimit || input.length % PAIR !== 0) return null;
  const pairs: { g1: ReturnType<typeof readG1> & object; g2: ReturnType<typeof readG2> & object }[] = [];
  for (let i = 0; i < k; i++) {
    const g1 = readG1(input, i * PAIR), g2 = readG2(input, i * PAIR + 64);
    if (g1 === undefined || g2 === undefined) return null;
    if (!g1.is0() && !g2.is0()) pairs.push({ g1, g2 });
  }
  const output = new Uint8Array(32);
  const { Fp12 } = bn254.fields;
  if (pairs.length === 0 || Fp12.eql(bn254.pairingBatch(pairs), Fp12.ONE)) output[31] = 1;
  return { gasUsed: gas, output };
};
