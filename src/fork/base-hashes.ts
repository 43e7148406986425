import type { Env } from "../env.ts";
import type { NetworkHashes } from "../exec/chain.ts";
import { MISS } from "../evm/types.ts";
import type { Hex } from "../primitives/hex.ts";
import { baseReader } from "./base-reader.ts";
import type { ForkReader } from "./reader.ts";
import type { UpstreamUsage } from "./upstream.ts";

/**
 * The network's hashes of a persistent fork's block and the 256 before it, as BLOCKHASH on the
 * fork sees them (as on `anvil --fork-url`): the fork block's is in its record; older ones come
 * from the upstream's headers, each checked and linked to the fork block's (ForkReader), fetched
 * the first time a run asks.
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
    const reader = await (this.reader ??= baseReader(this.env, this.network, this.blockHash, this.usage));
    const { hashes } = await reader.load([], numbers);
    for (const [n, h] of hashes) this.known.set(n, h);
  }
}
