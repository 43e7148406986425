import type { RunKind } from "../db/runs.ts";

/** Prices in integer micro-units: a fixed price per run kind plus a price per million gas. */
export interface Prices {
  perRun: Record<RunKind, bigint>;
  perMillionGas: bigint;
}

export interface PriceVars {
  PRICE_CALL: string;
  PRICE_SIMULATE: string;
  PRICE_SEND: string;
  PRICE_DEPLOY: string;
  PRICE_PER_MILLION_GAS: string;
}

export function pricesOf(env: PriceVars): Prices {
  return {
    perRun: { call: BigInt(env.PRICE_CALL), simulate: BigInt(env.PRICE_SIMULATE), send: BigInt(env.PRICE_SEND), deploy: BigInt(env.PRICE_DEPLOY) },
    perMillionGas: BigInt(env.PRICE_PER_MILLION_GAS),
  };
}

/** What a run costs: its kind's price plus its gas at the gas price, rounded up to a whole micro-unit. */
export function costOf(p: Prices, kind: RunKind, gas: bigint): bigint {
  return p.perRun[kind] + (gas * p.perMillionGas + 999_999n) / 1_000_000n;
}
