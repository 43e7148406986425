import type { Frame } from "./frame.ts";

/**
 * A frame's gas is `gas + gasHi`: a plain number for the hot loop and a bigint reserve that is
 * non-zero only for gas above 2^52 (some conformance tests give 2^63). The loop charges `gas`
 * and refills it from the reserve in its out-of-gas branch, so large budgets stay exact at no
 * cost to the common case.
 */
const LOW_CAP = 2 ** 52;
const LOW_CAP_N = BigInt(LOW_CAP);
export const MAX_PRECOMPILE_GAS = Number.MAX_SAFE_INTEGER;

export function totalGas(f: Frame): bigint {
  return f.gasHi === 0n ? BigInt(f.gas) : f.gasHi + BigInt(f.gas);
}

/** `totalGas` as a number (exact below 2^53), without making a bigint in the common case. */
export function gasNumber(f: Frame): number {
  return f.gasHi === 0n ? f.gas : Number(totalGas(f));
}

export function setGas(f: Frame, total: bigint): void {
  if (total <= LOW_CAP_N) {
    f.gas = Number(total);
    f.gasHi = 0n;
  } else {
    f.gas = LOW_CAP;
    f.gasHi = total - LOW_CAP_N;
  }
}

/** Gives back gas a callee did not use: not consumed here, so the work meter's mark moves too. */
export function addGas(f: Frame, amount: bigint): void {
  f.workMark += Number(amount);
  if (f.gasHi === 0n && amount <= LOW_CAP_N && f.gas + Number(amount) <= LOW_CAP) f.gas += Number(amount);
  else setGas(f, totalGas(f) + amount);
}

/** Moves the reserve into `gas`; true when `gas` then covers `need`. */
export function refill(f: Frame, need: number): boolean {
  if (f.gasHi === 0n) return false;
  setGas(f, totalGas(f));
  return f.gas >= need;
}
