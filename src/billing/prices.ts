import type { RunKind } from "../records/run.ts";

/** Prices in integer micro-units: a fixed price per run kind plus a price per million gas. */
export interface Prices {
  perRun: Record<RunKind, bigint>;
  perMillionGas: bigint;
  /** Per MiB begun, past the first, of trace a request's tracers built (traceCost). */
  perMiBTraced: bigint;
}

export interface PriceVars {
  PRICE_CALL: string;
  PRICE_SIMULATE: string;
  PRICE_SEND: string;
  PRICE_DEPLOY: string;
  /** A log query (eth_getLogs), which reads the run log rather than running the EVM. */
  PRICE_QUERY: string;
  PRICE_PER_MILLION_GAS: string;
  /** Unset: the default of wrangler.toml's comment (500). */
  PRICE_PER_MIB_TRACED?: string;
}

export function pricesOf(env: PriceVars): Prices {
  return {
    perRun: { call: BigInt(env.PRICE_CALL), simulate: BigInt(env.PRICE_SIMULATE), send: BigInt(env.PRICE_SEND), deploy: BigInt(env.PRICE_DEPLOY), query: BigInt(env.PRICE_QUERY) },
    perMillionGas: BigInt(env.PRICE_PER_MILLION_GAS),
    perMiBTraced: BigInt(env.PRICE_PER_MIB_TRACED ?? "500"),
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

const MIB = 1024 * 1024;

/**
 * The price of `bytes` of trace a request built, per MiB begun past the first, which its runs'
 * price includes (the transfers and access list every simulation traces stay in it).
 */
export function traceCost(p: Prices, bytes: number): bigint {
  return BigInt(Math.ceil(Math.max(0, bytes - MIB) / MIB)) * p.perMiBTraced;
}
