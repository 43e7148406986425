import type { Env } from "../env.ts";
import type { Fork } from "../evm/fork.ts";
import type { BlockEnv, Need } from "../evm/types.ts";
import { ServiceError } from "../exec/errors.ts";
import { buildTx, type TxRequest } from "../exec/tx.ts";
import { bigIntToHex, bytesToHex, type Address, type Hex } from "../primitives/hex.ts";
import type { DoStateSource } from "../state/do-source.ts";
import type { ContentCache } from "./cache.ts";
import { upstreamLimits } from "./config.ts";
import { blockEnvOf, checkHeader, headerJson, type Header } from "./header.ts";
import { ProofError } from "./mpt.ts";
import type { Network } from "./network.ts";
import { ForkReader, proofInvalid, type AccountRequest } from "./reader.ts";
import { forkOfBlock } from "./schedule.ts";
import { ForkSource } from "./source.ts";
import { discover } from "./speculate.ts";
import { Upstream, type UpstreamUsage } from "./upstream.ts";

/** A block as a request names it: `latest`, a number, or a hash. */
export type BlockRef = { tag: "latest" } | { number: bigint } | { hash: Hex };

/** The transactions a run will execute, as far as known before it starts (see `expect`). */
export type Expected = Pick<TxRequest, "from" | "to" | "data" | "value" | "gas" | "accessList">;

/** How long a block number maps to the same header in the cache (a deep reorg is rarer than this). */
const NUMBER_TTL_SECONDS = 600;
const HINT_TTL_SECONDS = 7 * 24 * 3600;

/**
 * A network at one block, for read-only runs (a PinnedView): the block is resolved once to a
 * checked header, whose number and hash every answer echoes; runs read its state through a
 * ForkReader. Before a run it prefetches, in the run's first round trip, what the run is known
 * to read: sender, recipient and its code, the request's access list, and what an earlier run of
 * the same (recipient, selector) read (recorded after each run); then discovers the rest of what
 * the first transaction reads by speculative passes (see speculate.ts), a round trip each.
 */
export class ForkView {
  readonly id: bigint;
  readonly fork: Fork;
  private expected: Expected[] = [];

  private constructor(readonly env: Env, readonly network: Network, readonly reader: ForkReader) {
    this.id = network.chainId;
    this.fork = forkOfBlock(network, reader.header.number, reader.header.timestamp);
  }

  static async open(env: Env, network: Network, ref: BlockRef, cache: ContentCache, opts: { fetcher?: typeof fetch; usage?: UpstreamUsage } = {}): Promise<ForkView> {
    const upstream = new Upstream(network, upstreamLimits(env), opts.fetcher, opts.usage);
    const header = await resolveHeader(upstream, cache, ref);
    return new ForkView(env, network, new ForkReader(upstream, cache, header));
  }

  get header(): Header {
    return this.reader.header;
  }

  get usage() {
    return this.reader.upstream.usage;
  }

  get block(): BlockEnv {
    return blockEnvOf(this.header, this.id);
  }

  /** Names what the coming run is known to read (see the class comment). */
  expect(txs: Expected[]): void {
    this.expected = txs;
  }

  async run<T>(work: (source: DoStateSource, block: BlockEnv) => Promise<T>): Promise<T> {
    const source = new ForkSource(this.reader, this.fork);
    const first = this.expected[0];
    await source.load(await this.prefetch());
    if (first !== undefined) {
      const tx = buildTx(first, source.info(first.from)?.nonce ?? 0n, this.id);
      await discover(source, tx, this.block, this.fork);
    }
    const out = await work(source, this.block);
    if (first?.to != null && first.data.length >= 4) this.record(first.to, first.data, source);
    return out;
  }

  private async prefetch(): Promise<Need[]> {
    const needs: Need[] = [];
    const add = (address: Address, code: boolean, slots: bigint[] = []) => {
      needs.push({ kind: "account", address });
      if (code) needs.push({ kind: "code", address });
      for (const slot of slots) needs.push({ kind: "storage", address, slot });
    };
    for (const t of this.expected) {
      add(t.from, false);
      if (t.to !== null) add(t.to, true);
      for (const item of t.accessList ?? []) add(item.address, true, item.storageKeys);
    }
    const first = this.expected[0];
    if (first?.to != null && first.data.length >= 4) {
      const hint = (await this.reader.cache.getMany([this.hintKey(first.to, first.data)])).values().next().value;
      if (hint !== undefined) for (const r of JSON.parse(hint) as { address: Address; code: boolean; slots: Hex[] }[]) add(r.address, r.code, r.slots.map(BigInt));
    }
    return needs;
  }

  /** What this run read, for the next run of the same recipient and selector to prefetch. */
  private record(to: Address, data: Uint8Array, source: DoStateSource): void {
    const read: { address: Address; code: boolean; slots: Hex[] }[] = source.observedState().map((o) => ({ address: o.address, code: o.code !== undefined, slots: o.storage.map(([s]) => s) }));
    this.reader.cache.put([[this.hintKey(to, data), JSON.stringify(read)]], HINT_TTL_SECONDS);
  }

  private hintKey(to: Address, data: Uint8Array): string {
    return `hint/${this.id}/${to}/${bytesToHex(data.subarray(0, 4))}`;
  }
}

/** The checked header of a block: from the cache when known, else one upstream round trip. */
export async function resolveHeader(upstream: Upstream, cache: ContentCache, ref: BlockRef): Promise<Header> {
  const { network } = upstream;
  const key = "hash" in ref ? `h/${network.chainId}/${ref.hash}` : "number" in ref ? `hn/${network.chainId}/${ref.number}` : undefined;
  const cached = key === undefined ? undefined : (await cache.getMany([key])).get(key);
  const expected = "hash" in ref ? ref.hash : undefined;
  try {
    if (cached !== undefined) return checkHeader(JSON.parse(cached), expected, network.proofs);
    const json = "hash" in ref ? await upstream.call("eth_getBlockByHash", [ref.hash, false]) : await upstream.call("eth_getBlockByNumber", ["number" in ref ? bigIntToHex(ref.number) : "latest", false]);
    if (json === null || json === undefined) throw new ServiceError(404, "block_not_found", `the ${network.name} upstream has no such block`);
    const header = checkHeader(json, expected, network.proofs);
    if ("number" in ref && header.number !== ref.number) throw new ProofError(`asked for block ${ref.number}, got ${header.number}`);
    const kept = JSON.stringify(headerJson(json as Record<string, unknown>));
    cache.put([[`h/${network.chainId}/${header.hash}`, kept]]);
    cache.put([[`hn/${network.chainId}/${header.number}`, kept]], NUMBER_TTL_SECONDS);
    return header;
  } catch (e) {
    if (e instanceof ProofError) throw proofInvalid(network.name, e);
    throw e;
  }
}
