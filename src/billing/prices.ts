import type { RunKind } from "../records/run.ts";

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
  /** A log query (eth_getLogs), which reads the run log rather than running the EVM. */
  PRICE_QUERY: string;
  PRICE_PER_MILLION_GAS: string;
}

export function pricesOf(env: PriceVars): Prices {
  return {
    perRun: { call: BigInt(env.PRICE_CALL), simulate: BigInt(env.PRICE_SIMULATE), send: BigInt(env.PRICE_SEND), deploy: BigInt(env.PRICE_DEPLOY), query: BigInt(env.PRICE_QUERY) },
    perMillionGas: BigInt(env.PRICE_PER_MILLION_GAS),
  };
}

/** The price of `gas` at the gas price, rounded up to a whole micro-unit. */
export function gasCost(p: Prices, gas: bigint): bigint {
  return (gas * p.perMillionGas + 999_999n) / 1_000_000n;
}

/** What a run costs: its kind's price plus its gas at the gas price. */
export function costOf(p: Prices, kind: RunKind, gas: bigint): bigint {
  return p.perRun[kind] + gasCost(p, gas);
}
