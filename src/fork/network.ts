import { ServiceError } from "../exec/errors.ts";

/**
 * An upstream network the operator configured: its chain id, the JSON-RPC URLs that serve it
 * (tried in order), whether its answers must carry Merkle proofs, and its hardfork schedule.
 * Configuration, not code: the `NETWORKS` var holds everything but the URLs, which often carry a
 * provider key and so live in the `NETWORK_URLS` secret (`.dev.vars` locally). A URL never
 * appears in an answer or a log line.
 */
export interface Network {
  name: string;
  chainId: bigint;
  urls: string[];
  /** Answers must verify against the block's state root; false only for upstreams without eth_getProof. */
  proofs: boolean;
  /** Hardfork activations: a bare number is a timestamp, `{ block }` a block number. */
  forks: Record<string, number | { block: number }>;
}

export interface NetworkVars {
  /** JSON: { "<name>": { "chainId": 1, "proofs": true, "forks": { "cancun": 1710338135, ... } } } */
  NETWORKS?: string;
  /** JSON (a secret): { "<name>": ["https://…", …] } */
  NETWORK_URLS?: string;
}

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** The network called `name`, or 404 `network_not_found`. */
export function networkOf(env: NetworkVars, name: string): Network {
  if (!NAME.test(name)) throw notFound(name);
  const all = parse(env.NETWORKS, "NETWORKS");
  const urls = parse(env.NETWORK_URLS, "NETWORK_URLS");
  const n = Object.hasOwn(all, name) ? (all[name] as Record<string, unknown>) : undefined;
  const u = Object.hasOwn(urls, name) ? urls[name] : undefined;
  if (n === undefined || !Array.isArray(u) || u.length === 0 || !u.every((x) => typeof x === "string")) throw notFound(name);
  return { name, chainId: BigInt(n.chainId as number | string), urls: u as string[], proofs: n.proofs !== false, forks: (n.forks ?? {}) as Network["forks"] };
}

/** Names of the networks configured with URLs. */
export function networkNames(env: NetworkVars): string[] {
  const urls = parse(env.NETWORK_URLS, "NETWORK_URLS");
  return Object.keys(parse(env.NETWORKS, "NETWORKS")).filter((n) => NAME.test(n) && Object.hasOwn(urls, n));
}

function parse(raw: string | undefined, what: string): Record<string, unknown> {
  if (raw === undefined || raw === "") return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below without the value: it may hold a provider key
  }
  throw new Error(`${what} is not a JSON object`);
}

const notFound = (name: string) => new ServiceError(404, "network_not_found", `no network named "${name.slice(0, 32)}" is configured`);
