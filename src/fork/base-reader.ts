import type { Env } from "../env.ts";
import type { Hex } from "../primitives/hex.ts";
import { LayeredCache } from "./cache.ts";
import { upstreamLimits } from "./config.ts";
import { networkOf } from "./network.ts";
import { ForkReader } from "./reader.ts";
import { Upstream, type UpstreamUsage } from "./upstream.ts";
import { resolveHeader } from "./view.ts";

/**
 * A reader of `network` at a persistent fork's block (its header checked against `blockHash`),
 * counting its upstream use on `usage` (held to the per-request limits with what it holds).
 */
export async function baseReader(env: Env, network: string, blockHash: Hex, usage: UpstreamUsage): Promise<ForkReader> {
  const upstream = new Upstream(networkOf(env, network), upstreamLimits(env), undefined, usage);
  const cache = new LayeredCache();
  return new ForkReader(upstream, cache, await resolveHeader(upstream, cache, { hash: blockHash }));
}
