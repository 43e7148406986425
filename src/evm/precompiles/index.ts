import type { Address } from "../../primitives/hex.ts";
import { Fork } from "../fork.ts";
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

const CANCUN: [number, Precompile][] = [
  [1, ecrecover], [2, sha256], [3, ripemd160], [4, identity], [5, modexp],
  [6, bn254Add], [7, bn254Mul], [8, bn254Pairing], [9, blake2f], [0x0a, pointEvaluation],
];
const PRAGUE: [number, Precompile][] = [
  [0x0b, blsG1Add], [0x0c, blsG1Msm], [0x0d, blsG2Add], [0x0e, blsG2Msm],
  [0x0f, blsPairing], [0x10, blsMapFpToG1], [0x11, blsMapFp2ToG2],
];
const OSAKA: [number, Precompile][] = [[0x100, p256verify]];

function table(entries: [number, Precompile][]): Map<Address, Precompile> {
  return new Map(entries.map(([n, p]) => [at(n), p]));
}

const BY_FORK: Record<Fork, Map<Address, Precompile>> = {
  [Fork.Cancun]: table(CANCUN),
  [Fork.Prague]: table([...CANCUN, ...PRAGUE]),
  [Fork.Osaka]: table([...CANCUN, ...PRAGUE, ...OSAKA]),
};

/** The precompile at `address` in `fork`, if any (called on every CALL). */
export function getPrecompile(address: Address, fork: Fork): Precompile | undefined {
  return BY_FORK[fork].get(address);
}

/** Precompile addresses of a fork: warm from the start of every transaction (EIP-2929). */
export function precompileAddresses(fork: Fork): readonly Address[] {
  return [...BY_FORK[fork].keys()];
}
