import { blake2f } from "./precompiles/09-blake2f.ts";
import { ecrecover } from "./precompiles/01-ecrecover.ts";
import { sha256 } from "./precompiles/02-sha256.ts";
import { ripemd160 } from "./precompiles/03-ripemd160.ts";
import { identity } from "./precompiles/04-identity.ts";
import { modexp } from "./precompiles/05-modexp.ts";
import { bn254Add } from "./precompiles/06-bn254-add.ts";
import { bn254Mul } from "./precompiles/07-bn254-mul.ts";
import { bn254Pairing } from "./precompiles/08-bn254-pairing.ts";
import { pointEvaluation } from "./precompiles/0a-point-evaluation.ts";
import { p256verify } from "./precompiles/100-p256verify.ts";
import { blsG1Add, blsG1Msm, blsMapFpToG1 } from "./precompiles/bls12-381-g1.ts";
import { blsG2Add, blsG2Msm, blsMapFp2ToG2 } from "./precompiles/bls12-381-g2.ts";
import { blsPairing } from "./precompiles/bls12-381-pairing.ts";
import type { Precompile } from "./precompiles/types.ts";

/**
 * The deterministic work meter. Deployed Workers do not advance the clock while a run only
 * computes, so the time cap is also kept as a count: gas, weighted by the CPU time each kind of
 * gas takes at worst. One unit is one nanosecond of estimated CPU on the reference machine (the
 * 2-core development machine, `npm run bench -- worst`), so a budget of `TIME_CAP_MS` × 10^6
 * units stands for the time cap, and the count does not depend on the clock or the load.
 *
 * The interpreter charges at points it already has (every 1,024 jumps or calls, each frame's
 * end, each precompile call, the expensive opcodes' own bodies), never per instruction: the
 * plain loop is unchanged. Overshoot past the budget is at most what runs between two points.
 */
export interface WorkBudget {
  /** Units left; several executions of one request may share one budget object. */
  left: number;
}

/** A budget equal to a time cap. */
export function workBudget(timeCapMs: number): WorkBudget {
  return { left: timeCapMs * 1e6 };
}

// Calibration (npm run bench -- worst, 53 cases at the 16.7M gas cap): each rate is the CPU
// time per gas of its slowest case, taken as the larger of a quiet run (README, wall time) and a
// run on the loaded shared machine (process CPU time, divided by 1.5 for the load), plus 10%.
// Too high a rate stops a request early; too low lets it run past the time cap.

/**
 * Units per gas of ordinary code: every gas a frame consumes. The slowest ordinary cases are
 * calls of blake2f with 12 rounds (the call around it), calls 1,024 deep, CREATE2 of 48 KiB,
 * PC/CALLER/ADDRESS/CALLVALUE: about 37 ns per gas.
 */
export const WORK_PLAIN = 40;

/** KECCAK256's extra units per gas on top of WORK_PLAIN (32 KiB hashed: about 51 ns per gas). */
export const WORK_KECCAK_EXTRA = 16;

/** Units per gas of each precompile: its slowest input in the worst-case bench and sweep. */
const PRECOMPILE_WORK = new Map<Precompile, number>([
  [ecrecover, 960],
  [sha256, 40],
  [ripemd160, 40],
  [identity, 40],
  [modexp, 50],
  [bn254Add, 145],
  [bn254Mul, 690],
  [bn254Pairing, 480],
  [blake2f, 25],
  [pointEvaluation, 900],
  [blsG1Add, 310],
  [blsG1Msm, 950],
  [blsG2Add, 310],
  [blsG2Msm, 1200],
  [blsPairing, 465],
  [blsMapFpToG1, 500],
  [blsMapFp2ToG2, 500],
  [p256verify, 560],
]);

/** Units per gas of a precompile (an unknown one counts as the slowest). */
export function precompileWork(p: Precompile): number {
  return PRECOMPILE_WORK.get(p) ?? MAX_PRECOMPILE_WORK;
}

/**
 * A failed call consumes all the gas it was given, often all the caller had, yet it worked no
 * more than a valid call would have (point evaluation's pairing: 50,000 gas; a BLS12-381 MSM's
 * subgroup checks), so its gas counts at the precompile's rate up to this much, not beyond: a
 * transaction whose precompile call fails with all its gas fails, it does not hit the time cap.
 */
export const FAILED_CALL_WORK_GAS = 100_000;

/** Units of one precompile call: its gas at its rate (`gasUsed` null: it failed with `gasGiven`). */
export function precompileCallWork(p: Precompile, gasUsed: number | null, gasGiven: number): number {
  return (gasUsed ?? Math.min(gasGiven, FAILED_CALL_WORK_GAS)) * precompileWork(p);
}

const MAX_PRECOMPILE_WORK = Math.max(...PRECOMPILE_WORK.values());
