import type { Env } from "../env.ts";
import type { NetworkHashes } from "../exec/chain.ts";
import { MISS } from "../evm/types.ts";
import { bigIntToHex, type Hex } from "../primitives/hex.ts";
import { LayeredCache } from "./cache.ts";
import { baseReader } from "./base-reader.ts";
import type { ForkReader } from "./reader.ts";
import type { UpstreamUsage } from "./upstream.ts";

/**
 * The network's hashes of a persistent fork's block and the 256 before it, as BLOCKHASH on the
 * fork sees them (as on `anvil --fork-url`): the fork block's is in its record; older ones come
 * from the upstream's headers, each checked and linked to the fork block's (ForkReader), fetched
 * the first time a run asks. Under the fork block's hash they never change: once checked they are
 * kept in the content cache, and later requests (every request makes its own) read them there.
 */
export class ForkBaseHashes implements NetworkHashes {
  private readonly known = new Map<bigint, bigint>();
  private reader: Promise<ForkReader> | undefined;

  constructor(
    private readonly env: Env,
    private readonly network: string,
    private readonly blockHash: Hex,
    readonly number: bigint,
    /** The request's upstream use, which these fetches add to. */
    private readonly usage: UpstreamUsage,
  ) {
    this.known.set(number, BigInt(blockHash));
  }

  get(n: bigint): bigint | typeof MISS {
    return this.known.get(n) ?? MISS;
  }

  async load(numbers: bigint[]): Promise<void> {
    const cache = new LayeredCache();
    const kept = await cache.getMany(numbers.map((n) => this.key(n)));
    for (const n of numbers) {
      const h = kept.get(this.key(n));
      if (h !== undefined) this.known.set(n, BigInt(h));
    }
    const missing = numbers.filter((n) => !this.known.has(n));
    if (missing.length === 0) return;
    const reader = await (this.reader ??= baseReader(this.env, this.network, this.blockHash, this.usage));
    const { hashes } = await reader.load([], missing);
    for (const [n, h] of hashes) this.known.set(n, h);
    cache.put([...hashes].map(([n, h]) => [this.key(n), bigIntToHex(h)]));
  }

  /** The cache key of block `n`'s hash, as an ancestor of the fork block. */
  private key(n: bigint): string {
    return `fh/${this.blockHash}/${n}`;
  }
}
