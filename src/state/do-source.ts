import type { AccountLoad, LoadRequest, ReadSet } from "./sets.ts";
import { bigIntToHex, bytesToHex, type Address, type Hex } from "../primitives/hex.ts";
import type { Fork } from "../evm/fork.ts";
import { MISS, type AccountChange, type AccountInfo, type Need, type StateSource } from "../evm/types.ts";

/** The block numbers among `needs` whose hash `source` does not have yet (a fork's network's, loaded on demand). */
export function missingBlockHashes(needs: Need[], source: Pick<StateSource, "blockHash">): bigint[] {
  return needs.flatMap((n) => (n.kind === "blockHash" && source.blockHash(n.number) === MISS ? [n.number] : []));
}

/** Loads from one account's object (in the Worker: an RPC to its Durable Object). */
export type AccountLoader = (address: Address, req: LoadRequest) => Promise<AccountLoad>;

interface Entry {
  info?: AccountInfo | null;
  code?: Uint8Array;
  storage: Map<bigint, bigint>;
  /** Storage not in `storage` is zero (an overlay deleted or re-created the account). */
  cleared: boolean;
  /**
   * Slots loaded on a hint and not read yet: in the read set only once the run reads them, so
   * a guess never makes a commit conflict on a slot the run did not read.
   */
  unread?: Set<bigint>;
}

/** One account as a run found it in stored state (see `observedState`). */
export interface ObservedAccount {
  address: Address;
  info: AccountInfo | null;
  code?: Hex;
  storage: [slot: Hex, value: Hex][];
}

interface Observed {
  info?: AccountInfo | null;
  storage: Map<bigint, bigint>;
  /** The account's version at its first load. */
  version: number;
}

/**
 * The EVM's synchronous view of the accounts' objects: answers from what it has loaded and MISS
 * for the rest. `load` fetches a run's needs with one call per account, all accounts in
 * parallel. It records every value it loaded, as loaded: the run's read set, which the commit
 * validates. `overlay` lays a run's changes on top (simulations run transactions in sequence);
 * values read from the overlay are not stored state and are not in the read set.
 */
export class DoStateSource implements StateSource {
  private readonly cache = new Map<Address, Entry>();
  private readonly observed = new Map<Address, Observed>();
  /** Load calls made so far (one per account per round). */
  loadCalls = 0;
  /** The earliest read stamp and the latest last-write stamp among all loads (see `consistent`). */
  private firstRead = Infinity;
  private lastWrite = 0;

  constructor(
    private readonly loader: AccountLoader,
    private readonly hashOfBlock: (n: bigint) => bigint | typeof MISS,
    /** The EVM rules of the chain (a fork keeps its network's); the service's default when absent. */
    readonly fork?: Fork,
    /** Fetches the hashes `hashOfBlock` answers MISS for (a persistent fork's network's). */
    private readonly loadHashes?: (numbers: bigint[]) => Promise<void>,
  ) {}

  account(address: Address): AccountInfo | null | typeof MISS {
    const info = this.cache.get(address)?.info;
    return info === undefined ? MISS : info;
  }

  code(address: Address): Uint8Array | typeof MISS {
    return this.cache.get(address)?.code ?? MISS;
  }

  storage(address: Address, slot: bigint): bigint | typeof MISS {
    const e = this.cache.get(address);
    if (e === undefined) return MISS;
    const v = e.storage.get(slot);
    if (v !== undefined && e.unread !== undefined && e.unread.delete(slot)) this.observed.get(address)?.storage.set(slot, v);
    return v ?? (e.cleared ? 0n : MISS);
  }

  blockHash(number: bigint): bigint | typeof MISS {
    return this.hashOfBlock(number);
  }

  /**
   * Loads what is missing among `needs`: one call per account, in parallel. `hinted` slots (a
   * guess of what the run will read, see load-hints.ts) come in the same calls, for accounts
   * loaded anyway, and count as read only once the run reads them.
   */
  async load(needs: Need[], hinted: Need[] = []): Promise<void> {
    const byAccount = new Map<Address, { code: boolean; slots: Set<bigint>; hinted: Set<bigint> }>();
    for (const n of needs) {
      if (n.kind === "blockHash") continue;
      const e = this.cache.get(n.address);
      let r = byAccount.get(n.address);
      if (r === undefined) byAccount.set(n.address, (r = { code: false, slots: new Set(), hinted: new Set() }));
      if (n.kind === "code" && e?.code === undefined) r.code = true;
      if (n.kind === "storage" && this.cachedSlot(n.address, n.slot) === MISS) r.slots.add(n.slot);
    }
    for (const n of hinted) {
      const r = n.kind === "storage" ? byAccount.get(n.address) : undefined;
      if (r !== undefined && n.kind === "storage" && !r.slots.has(n.slot) && this.cachedSlot(n.address, n.slot) === MISS) r.hinted.add(n.slot);
    }
    const calls = [...byAccount].filter(([a, r]) => r.code || r.slots.size > 0 || this.cache.get(a)?.info === undefined);
    this.loadCalls += calls.length;
    const hashes = missingBlockHashes(needs, this);
    await Promise.all([
      ...calls.map(async ([address, r]) => {
        const slots = [...r.slots, ...r.hinted];
        const res = await this.loader(address, { code: r.code, slots: slots.map(bigIntToHex) });
        this.remember(address, res, r.hinted);
      }),
      hashes.length > 0 && this.loadHashes !== undefined ? this.loadHashes(hashes) : undefined,
    ]);
  }

  /** A slot's value in the cache, without counting it as read. */
  private cachedSlot(address: Address, slot: bigint): bigint | typeof MISS {
    const e = this.cache.get(address);
    if (e === undefined) return MISS;
    return e.storage.get(slot) ?? (e.cleared ? 0n : MISS);
  }

  /** Takes in a load made elsewhere (the sender's, made with its turn). */
  remember(address: Address, res: AccountLoad, hinted?: Set<bigint>): void {
    let e = this.cache.get(address);
    if (e === undefined) this.cache.set(address, (e = { storage: new Map(), cleared: false }));
    if (res.readStamp < this.firstRead) this.firstRead = res.readStamp;
    if (res.lastStamp > this.lastWrite) this.lastWrite = res.lastStamp;
    let o = this.observed.get(address);
    if (o === undefined) this.observed.set(address, (o = { storage: new Map(), version: res.version }));
    const a = res.account;
    const info = a === null ? null : { nonce: BigInt(a.nonce), balance: BigInt(a.balance), codeHash: a.codeHash, hasStorage: a.hasStorage };
    if (e.info === undefined) e.info = info;
    if (o.info === undefined) o.info = info;
    if (res.code !== undefined && e.code === undefined) e.code = res.code;
    for (const { slot, value } of res.storage) {
      const s = BigInt(slot), v = BigInt(value);
      if (!e.storage.has(s) && !e.cleared) e.storage.set(s, v);
      if (hinted?.has(s) && !o.storage.has(s)) (e.unread ??= new Set()).add(s);
      else if (!o.storage.has(s)) o.storage.set(s, v);
    }
  }

  /** The account as this source sees it now (overlay included), if loaded. */
  info(address: Address): AccountInfo | null | undefined {
    return this.cache.get(address)?.info;
  }

  /** Every account read from stored state, with the values read. */
  readSets(): Map<Address, ReadSet> {
    const out = new Map<Address, ReadSet>();
    for (const [address, o] of this.observed) {
      const r: ReadSet = {
        version: o.version,
        account: o.info === undefined ? undefined : o.info === null ? null : { nonce: bigIntToHex(o.info.nonce), balance: bigIntToHex(o.info.balance), codeHash: o.info.codeHash },
        storage: [...o.storage].map(([k, v]): [Hex, Hex] => [bigIntToHex(k), bigIntToHex(v)]),
      };
      if (o.info?.hasStorage === false) r.storageEmpty = true;
      out.set(address, r);
    }
    return out;
  }

  /**
   * Everything read from stored state, as first read, with the code of the accounts whose code
   * was loaded: enough to run the same transaction again (debug_traceTransaction).
   */
  observedState(): ObservedAccount[] {
    const out: ObservedAccount[] = [];
    for (const [address, o] of this.observed) {
      if (o.info === undefined) continue;
      const code = this.cache.get(address)?.code;
      out.push({ address, info: o.info, code: o.info === null || code === undefined ? undefined : bytesToHex(code), storage: [...o.storage].map(([k, v]): [Hex, Hex] => [bigIntToHex(k), bigIntToHex(v)]) });
    }
    return out;
  }

  /**
   * Whether everything loaded is one state of the chain, from the stamps alone: when no account
   * read had a write stamped after the earliest read, no transaction can be seen at one account
   * and missed at another (a transaction that prepared somewhere after a read there is stamped
   * after that read). Otherwise the reads must be verified.
   */
  consistent(): boolean {
    return this.lastWrite <= this.firstRead;
  }

  /** The stamp of the latest write to anything loaded (0: nothing loaded was ever written). */
  get lastWriteStamp(): number {
    return this.lastWrite;
  }

  /** The fields of an account as first read from stored state, if read. */
  observedInfo(address: Address): AccountInfo | null | undefined {
    return this.observed.get(address)?.info;
  }

  /** Lays a run's changes over the cache, as if committed (for the next run of a simulation). */
  overlay(changes: AccountChange[]): void {
    for (const ch of changes) {
      let e = this.cache.get(ch.address);
      if (e === undefined) this.cache.set(ch.address, (e = { storage: new Map(), cleared: false }));
      if (ch.deleted || ch.storageReset) {
        e.storage = new Map();
        e.cleared = true;
        e.unread = undefined;
      }
      if (ch.deleted) {
        e.info = null;
        e.code = new Uint8Array(0);
        continue;
      }
      for (const [k, v] of ch.storage) {
        e.storage.set(k, v);
        e.unread?.delete(k);
      }
      const hasStorage = [...e.storage.values()].some((v) => v !== 0n) || (!e.cleared && (e.info?.hasStorage ?? false));
      e.info = { nonce: ch.nonce, balance: ch.balance, codeHash: ch.codeHash, hasStorage };
      if (ch.code !== undefined) e.code = ch.code;
    }
  }
}
