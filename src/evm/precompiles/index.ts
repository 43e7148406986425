import type { Address } from "../../primitives/hex.ts";
import { ALL_FORKS, Fork } from "../fork.ts";
import { ecrecover } from "./01-ecrecover.ts";
import { sha256 } from "./02-sha256.ts";
import { ripemd160 } from "./03-ripemd160.ts";
import { identity } from "./04-identity.ts";
import { modexp } from "./05-modexp.ts";
import { bn254Add } from "./06-bn254-add.ts";
import { bn254Mul } from "./07-bn254-mul.ts";
import { bn254Pairing } from "./08-bn254-pairing.ts";
import { blake2f } from "./09-blake2f.ts";
import { pointEvaluation } from "./0a-point-evaluation.ts";
import { p256verify } from "./100-p256verify.ts";
import { blsG1Add, blsG1Msm, blsMapFpToG1 } from "./bls12-381-g1.ts";
import { blsG2Add, blsG2Msm, blsMapFp2ToG2 } from "./bls12-381-g2.ts";
import { blsPairing } from "./bls12-381-pairing.ts";
import type { Precompile } from "./types.ts";

function at(n: number): Address {
  return `0x${n.toString(16).padStart(40, "0")}`;
}

/** Each precompile with the fork that introduced it. */
const INTRODUCED: [number, Precompile, Fork][] = [
  [1, ecrecover, Fork.Frontier], [2, sha256, Fork.Frontier], [3, ripemd160, Fork.Frontier], [4, identity, Fork.Frontier],
  // EIP-196, 197, 198
  [5, modexp, Fork.Byzantium], [6, bn254Add, Fork.Byzantium], [7, bn254Mul, Fork.Byzantium], [8, bn254Pairing, Fork.Byzantium],
  [9, blake2f, Fork.Istanbul], // EIP-152
  [0x0a, pointEvaluation, Fork.Cancun], // EIP-4844
  // EIP-2537
  [0x0b, blsG1Add, Fork.Prague], [0x0c, blsG1Msm, Fork.Prague], [0x0d, blsG2Add, Fork.Prague], [0x0e, blsG2Msm, Fork.Prague],
  [0x0f, blsPairing, Fork.Prague], [0x10, blsMapFpToG1, Fork.Prague], [0x11, blsMapFp2ToG2, Fork.Prague],
  [0x100, p256verify, Fork.Osaka], // EIP-7951
];

/** Indexed by fork number. */
const BY_FORK: Map<Address, Precompile>[] = ALL_FORKS.map(
  (fork) => new Map(INTRODUCED.filter(([, , since]) => since <= fork).map(([n, p]) => [at(n), p])),
);

/** The precompile at `address` in `fork`, if any (called on every CALL). */
export function getPrecompile(address: Address, fork: Fork): Precompile | undefined {
  return BY_FORK[fork].get(address);
}

/** The precompiles of `fork` by address (a simulation copies it to move or drop some). */
export function precompilesOf(fork: Fork): ReadonlyMap<Address, Precompile> {
  return BY_FORK[fork];
}

/** Precompile addresses of a fork: warm from the start of every transaction (EIP-2929). */
export function precompileAddresses(fork: Fork): readonly Address[] {
  return [...BY_FORK[fork].keys()];
}
