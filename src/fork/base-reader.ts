import type { Env } from "../env.ts";
import type { Hex } from "../primitives/hex.ts";
import { LayeredCache } from "./cache.ts";
import { upstreamLimits } from "./config.ts";
import { networkOf } from "./network.ts";
import { ForkReader } from "./reader.ts";
import { Upstream } from "./upstream.ts";
import { resolveHeader } from "./view.ts";

/** A reader of `network` at a persistent fork's block (its header checked against `blockHash`). */
export async function baseReader(env: Env, network: string, blockHash: Hex): Promise<ForkReader> {
  const upstream = new Upstream(networkOf(env, network), upstreamLimits(env));
  const cache = new LayeredCache();
  return new ForkReader(upstream, cache, await resolveHeader(upstream, cache, { hash: blockHash }));
}
