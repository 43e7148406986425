import type { Fork } from "../evm/fork.ts";
import { MISS, type Need } from "../evm/types.ts";
import type { Address } from "../primitives/hex.ts";
import { DoStateSource, missingBlockHashes } from "../state/do-source.ts";
import type { AccountLoad, LoadRequest } from "../state/sets.ts";
import type { AccountRequest, ForkReader } from "./reader.ts";

/** The EVM sees 256 block hashes back (BLOCKHASH); older and newer ones are zero. */
const HASH_WINDOW = 256n;

/**
 * The EVM's view of a network at a pinned block: the same overlay, read tracking and state
 * diffs as the view of our own account objects (DoStateSource), loading from the upstream
 * through a ForkReader. The per-account loads of one resume are gathered into a single reader
 * load, so all the misses of one suspension travel in one JSON-RPC batch.
 */
export class ForkSource extends DoStateSource {
  private readonly hashes = new Map<bigint, bigint>();
  private pending: { reqs: (AccountRequest & { done: Resolver })[]; hashes: bigint[]; hashesDone: Resolver[] } | undefined;

  constructor(private readonly reader: ForkReader, fork: Fork) {
    super((address, req) => this.enqueue(address, req), () => 0n, fork);
    this.hashes.set(reader.header.number - 1n, BigInt(reader.header.parentHash));
  }

  override blockHash(n: bigint): bigint | typeof MISS {
    const pinned = this.reader.header.number;
    if (n >= pinned || n < pinned - HASH_WINDOW) return 0n;
    return this.hashes.get(n) ?? MISS;
  }

  override async load(needs: Need[]): Promise<void> {
    const numbers = missingBlockHashes(needs, this);
    await Promise.all([super.load(needs), numbers.length > 0 ? this.enqueueHashes(numbers) : undefined]);
  }

  private enqueueHashes(numbers: bigint[]): Promise<void> {
    return new Promise((done, fail) => {
      const b = this.batch();
      b.hashes.push(...numbers);
      b.hashesDone.push({ done: () => done(), fail });
    });
  }

  private enqueue(address: Address, req: LoadRequest): Promise<AccountLoad> {
    return new Promise((done, fail) => this.batch().reqs.push({ address, code: req.code, slots: req.slots.map((s) => BigInt(s)), done: { done: done as (v: unknown) => void, fail } }));
  }

  /** The batch being gathered in this turn of the event loop; it is sent when the turn ends. */
  private batch() {
    if (this.pending === undefined) {
      this.pending = { reqs: [], hashes: [], hashesDone: [] };
      queueMicrotask(() => void this.flush());
    }
    return this.pending;
  }

  private async flush(): Promise<void> {
    const b = this.pending!;
    this.pending = undefined;
    const all = [...b.reqs.map((r) => r.done), ...b.hashesDone];
    try {
      const { accounts, hashes } = await this.reader.load(b.reqs, b.hashes);
      for (const [n, h] of hashes) this.hashes.set(n, h);
      // The upstream's state at a block never changes: no version, every read at stamp zero.
      b.reqs.forEach((r, i) => r.done.done({ ...accounts[i], version: 0, lastStamp: 0, readStamp: 0 }));
      for (const h of b.hashesDone) h.done(undefined);
    } catch (e) {
      for (const r of all) r.fail(e);
    }
  }
}

interface Resolver {
  done: (v: unknown) => void;
  fail: (e: unknown) => void;
}
