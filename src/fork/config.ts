import type { NetworkVars } from "./network.ts";
import type { UpstreamLimits } from "./upstream.ts";

/** Fork mode's settings (wrangler.toml vars; the network URLs are a secret, see network.ts). */
export interface ForkVars extends NetworkVars {
  /** Sequential upstream round trips one request may make. */
  UPSTREAM_MAX_ROUND_TRIPS?: string;
  /** Bytes one request may move to and from the upstream. */
  UPSTREAM_MAX_BYTES?: string;
  /** Micro-units per upstream JSON-RPC call a request made. */
  PRICE_UPSTREAM_REQUEST?: string;
  /** Micro-units for an answer served from the answer cache, without executing. */
  PRICE_CACHE_HIT?: string;
}

export function upstreamLimits(env: ForkVars): UpstreamLimits {
  return { roundTrips: Number(env.UPSTREAM_MAX_ROUND_TRIPS ?? "64"), bytes: Number(env.UPSTREAM_MAX_BYTES ?? String(16 * 1024 * 1024)) };
}

/** What a request to a network's upstream costs, in micro-units. */
export function upstreamPrice(env: ForkVars): bigint {
  return BigInt(env.PRICE_UPSTREAM_REQUEST ?? "0");
}

/**
 * Upstream requests whose price admission holds for a request that may ask a network (beside its
 * runs' reservation), so that the reads of a usual request are paid without growing it (a
 * round trip to the ledger); a request that asks for more grows it (RequestBudget.chargeUpstream).
 */
const ADMITTED_REQUESTS = 32n;

/** What admission holds for a request's upstream requests. */
export function upstreamHold(env: ForkVars): bigint {
  return upstreamPrice(env) * ADMITTED_REQUESTS;
}

/** What a request's upstream use costs, in micro-units. */
export function upstreamCost(env: ForkVars, requests: number): bigint {
  return upstreamPrice(env) * BigInt(requests);
}

export function cacheHitPrice(env: ForkVars): bigint {
  return BigInt(env.PRICE_CACHE_HIT ?? "0");
}
