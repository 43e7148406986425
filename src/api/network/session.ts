import { sha256 } from "@noble/hashes/sha2.js";
import type { Env } from "../../env.ts";
import { LayeredCache } from "../../fork/cache.ts";
import { cacheHitPrice, upstreamCost, upstreamLimits } from "../../fork/config.ts";
import type { Header } from "../../fork/header.ts";
import { networkOf, type Network } from "../../fork/network.ts";
import { Upstream, type UpstreamUsage } from "../../fork/upstream.ts";
import { ForkView, type BlockRef } from "../../fork/view.ts";
import { bigIntToHex, bytesToHex } from "../../primitives/hex.ts";

/** How long a whole answer is kept: it cannot change, but nobody may ask again for long. */
const ANSWER_TTL_SECONDS = 24 * 3600;

/**
 * One request of ours against a network: its views (one per block it names), the upstream use
 * of all of them together (held to the per-request limits), and the answers it took from the
 * answer cache. Its totals go back in the answer: REST in a `fork` field, JSON-RPC in headers.
 */
export class NetworkSession {
  readonly network: Network;
  readonly cache: LayeredCache;
  cacheHits = 0;
  /** The block of the last view opened: echoed in the answer. */
  header: Header | undefined;

  constructor(
    readonly env: Env,
    networkName: string,
    defer?: (p: Promise<unknown>) => void,
    /** The request's upstream use (a persistent fork's base reads add to the same). */
    readonly usage: UpstreamUsage = { requests: 0, roundTrips: 0, bytes: 0 },
  ) {
    this.network = networkOf(env, networkName);
    this.cache = new LayeredCache(defer);
  }

  async view(ref: BlockRef): Promise<ForkView> {
    const v = await ForkView.open(this.env, this.network, ref, this.cache, { usage: this.usage });
    this.header = v.header;
    return v;
  }

  /** A client for calls passed through as they are (block and transaction lookups). */
  upstream(): Upstream {
    return new Upstream(this.network, upstreamLimits(this.env), undefined, this.usage);
  }

  /** The cache key of a whole answer: the network, the block's hash and the request, all of it. */
  answerKey(header: Header, request: unknown): string {
    const text = JSON.stringify([this.network.chainId.toString(), header.hash, request]);
    return `r/${bytesToHex(sha256(new TextEncoder().encode(text)))}`;
  }

  async cachedAnswer(key: string): Promise<unknown> {
    const hit = (await this.cache.getMany([key])).get(key);
    if (hit === undefined) return undefined;
    this.cacheHits++;
    return JSON.parse(hit);
  }

  keepAnswer(key: string, answer: unknown): void {
    this.cache.put([[key, JSON.stringify(answer)]], ANSWER_TTL_SECONDS);
  }

  /** What the answer says about the fork: block, verification, upstream use and its price. */
  summary() {
    const h = this.header;
    return {
      network: this.network.name,
      ...(h === undefined ? {} : { blockNumber: Number(h.number), blockHash: h.hash }),
      verified: this.network.proofs,
      upstream: { ...this.usage, cost: Number(upstreamCost(this.env, this.usage.requests)) },
      cacheHits: this.cacheHits,
      ...(this.cacheHits > 0 ? { cacheHitCost: Number(cacheHitPrice(this.env)) * this.cacheHits } : {}),
    };
  }

  /** The same, as response headers (JSON-RPC answers have no room for it). */
  headers(): Record<string, string> {
    const s = this.summary();
    return {
      "x-fork-network": s.network,
      ...(this.header === undefined ? {} : { "x-fork-block": bigIntToHex(this.header.number), "x-fork-block-hash": this.header.hash }),
      "x-fork-verified": String(s.verified),
      ...upstreamHeaders(this.env, this.usage),
      "x-cache-hits": String(s.cacheHits),
    };
  }
}

/** A request's upstream use and its price, as response headers. */
export function upstreamHeaders(env: Env, usage: UpstreamUsage): Record<string, string> {
  return {
    "x-upstream-requests": String(usage.requests),
    "x-upstream-round-trips": String(usage.roundTrips),
    "x-upstream-bytes": String(usage.bytes),
    "x-upstream-cost": String(upstreamCost(env, usage.requests)),
  };
}
