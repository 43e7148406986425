import type { AccountName } from "../durable/protocol.ts";
import type { Env } from "../env.ts";
import type { Fork } from "../evm/fork.ts";
import { bigIntToHex, type Address, type Hex } from "../primitives/hex.ts";
import type { BlockClock } from "../state/blocks.ts";
import { DoStateSource } from "../state/do-source.ts";
import { MISS } from "../evm/types.ts";
import { ACCOUNT_BUSY } from "../durable/protocol.ts";
import type { AccountLoad, LoadRequest, UpstreamUse } from "../state/sets.ts";
import { addUsage, checkBytes, NOTHING_HELD, usageOf, type UpstreamUsage } from "../fork/upstream.ts";
import { upstreamLimits } from "../fork/config.ts";
import { blockHash } from "./block.ts";
import { ServiceError, upstreamError } from "./errors.ts";

/** A persistent fork's base: the network and block whose state its accounts start from. */
export interface ForkBase {
  network: string;
  blockHash: Hex;
  fork: Fork;
  /** Its blocks: numbered on from the network's block, each after it in time (src/fork/clock.ts). */
  clock: BlockClock;
  /** The network's hashes of its block and the ones before it (src/fork/base-hashes.ts). */
  hashes: NetworkHashes;
  /** What this request used of the network's upstream to read the base (charged, and held to its limits). */
  upstream: UpstreamUsage;
}

/**
 * Requests held for an account object's base read before it is asked (a load reads an account
 * with its code and slots in one or two round trips of a few requests; fewer are held when the
 * credit covers fewer, and a read that needs more than it was given ends with 402).
 */
const BASE_READ_REQUESTS = 16;

/** A network's block hashes up to a fork's block (`number`), checked, loaded on demand. */
export interface NetworkHashes {
  readonly number: bigint;
  get(n: bigint): bigint | typeof MISS;
  load(numbers: bigint[]): Promise<void>;
}

/**
 * The account objects of one chain. An account's object is named `<chainId>:<address>`, from an
 * address already validated and lowercased: never from a raw path. A persistent fork's accounts
 * are named `fork:<chainId>:<network>:<blockHash>:<address>`: apart from every project chain, and
 * telling the object where its state not yet written comes from (src/durable/fork-base.ts).
 */
export class Chain {
  constructor(readonly env: Env, readonly id: bigint, readonly base?: ForkBase) {}

  name(address: Address): AccountName {
    return `${this.prefix}:${address}` as AccountName;
  }

  /** What every account name of this chain starts with (before `:<address>`). */
  get prefix(): string {
    return this.base === undefined ? `${this.id}` : `fork:${this.id}:${this.base.network}:${this.base.blockHash}`;
  }

  account(address: Address) {
    return this.env.ACCOUNTS.get(this.env.ACCOUNTS.idFromName(this.name(address)));
  }

  /** A fresh view of the chain's state for one run, loading from the account objects. */
  source(): DoStateSource {
    return new DoStateSource((address, req) => this.load(address, req), (n) => this.hashOf(n), this.base?.fork, (ns) => this.loadHashes(ns));
  }

  /**
   * `req` with what the request used of a persistent fork's upstream so far (its account objects
   * count from it) and the requests its credit holds for the object's base reads (`paid`: as many
   * as BASE_READ_REQUESTS, fewer when the credit covers fewer); `release` it once what the object
   * used is counted (`counted`, `loadError`).
   */
  async asked(req: LoadRequest): Promise<{ req: LoadRequest; release: () => void }> {
    if (this.base === undefined) return { req, release: NOTHING_HELD };
    const use = this.base.upstream;
    const held = use.pay === undefined ? undefined : await use.pay(BASE_READ_REQUESTS, 0);
    const upstream = { requests: use.requests, roundTrips: use.roundTrips, bytes: use.bytes, ...(held === undefined ? {} : { paid: use.requests + held.requests }) };
    return { req: { ...req, upstream }, release: held?.release ?? NOTHING_HELD };
  }

  /**
   * Adds what an account object used of the upstream to the request's use; past the request's
   * byte limit (loads of several accounts at once can pass it together), the run ends.
   */
  counted<T extends { upstream?: UpstreamUse } | undefined>(load: T): T {
    const used = load?.upstream;
    if (used === undefined || this.base === undefined) return load;
    addUsage(this.base.upstream, used);
    checkBytes(this.base.upstream, upstreamLimits(this.env), this.base.network);
    return load;
  }

  /**
   * An account object's error as the request's: what its failed load used of a persistent fork's
   * upstream (withUsage) is added to the request's use, paid for like any other, and an upstream
   * error's code becomes its ServiceError again (upstreamError).
   */
  loadError(e: unknown): unknown {
    const { used, error } = usageOf(e);
    if (used !== undefined && this.base !== undefined) addUsage(this.base.upstream, used);
    return upstreamError(error) ?? error;
  }

  /** Credits an account once per `grantId` (the development faucet), its base read first on a persistent fork. */
  async grant(address: Address, grantId: string, amount: bigint): Promise<void> {
    const { req, release } = await this.asked({ code: false, slots: [] });
    try {
      const used = await this.account(address).grant(grantId, bigIntToHex(amount), req.upstream).catch((e: unknown) => {
        throw this.loadError(e);
      });
      this.counted({ upstream: used });
    } finally {
      release();
    }
  }

  /**
   * BLOCKHASH of block `n` on this chain: ours (derived), or on a persistent fork, for its block
   * and the ones before it, its network's (MISS until `loadHashes` fetched it).
   */
  hashOf(n: bigint): bigint | typeof MISS {
    const net = this.base?.hashes;
    return net !== undefined && n <= net.number ? net.get(n) : blockHash(this.id, n);
  }

  /** Fetches the hashes `hashOf` answered MISS for (only a persistent fork's can be missing). */
  async loadHashes(numbers: bigint[]): Promise<void> {
    await this.base?.hashes.load(numbers);
  }

  /**
   * The hash our block answers name block `n` by: ours, but a persistent fork's own block is its
   * network's (the parent of the fork's first block). Older network blocks are not answered as the
   * network's (README, persistent forks).
   */
  headerHash(n: bigint): bigint {
    return this.base !== undefined && n === this.base.hashes.number ? BigInt(this.base.blockHash) : blockHash(this.id, n);
  }

  /** One account's values; an account held by a transaction of unknown outcome answers 409. */
  async load(address: Address, req: LoadRequest): Promise<AccountLoad> {
    const asked = await this.asked(req);
    try {
      return this.counted(await this.account(address).load(asked.req));
    } catch (err) {
      const e = this.loadError(err);
      if (e instanceof Error && e.message.includes(ACCOUNT_BUSY)) throw new ServiceError(409, "account_busy", `account ${address} is held by a transaction whose outcome is not known yet; retry shortly`, { "retry-after": "1" });
      throw e;
    } finally {
      asked.release();
    }
  }
}
