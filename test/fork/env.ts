import type { Env } from "../../src/env.ts";

/** The vars a fork run reads, for Node tests and the benchmark (no bindings are touched). */
export function forkEnv(networks: Record<string, { url: string; proofs?: boolean }>): Env {
  const NETWORKS = Object.fromEntries(Object.entries(networks).map(([name, n]) => [name, { chainId: 31337, proofs: n.proofs ?? true, forks: { cancun: 0, prague: 0 } }]));
  const NETWORK_URLS = Object.fromEntries(Object.entries(networks).map(([name, n]) => [name, [n.url]]));
  return {
    NETWORKS: JSON.stringify(NETWORKS), NETWORK_URLS: JSON.stringify(NETWORK_URLS), GENESIS_TIME: "1767225600", BLOCK_TIME: "2", MAX_GAS: "30000000", FAUCET_WEI: "0",
    MEMORY_CAP_BYTES: "33554432", TIME_CAP_MS: "5000", REQUEST_GAS: "67108864", UPSTREAM_MAX_ROUND_TRIPS: "64", UPSTREAM_MAX_BYTES: "16777216", PRICE_UPSTREAM_REQUEST: "10", PRICE_CACHE_HIT: "20",
  } as unknown as Env;
}
