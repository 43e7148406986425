import { MISS, type AccountInfo, type Need, type StateSource, type Tx } from "../evm/types.ts";
import { bigIntToHex, bytesToHex, hexToBytes, type Address, type Hex } from "../primitives/hex.ts";
import { keccak256Hex } from "../primitives/keccak.ts";
import { missingBlockHashes, type ObservedAccount } from "../state/do-source.ts";

/**
 * What it takes to run a committed transaction again, exactly: the transaction and every value it
 * read from stored state (its read set, with code). State is kept at the latest block only, so
 * debug_traceTransaction replays from this record rather than from historical state.
 */
export interface ReplayRecord {
  tx: Record<string, unknown>;
  /**
   * `code`: the code read, when small; `codeByHash`: read, but larger than INLINE_CODE_BYTES, so
   * only its hash (`info.codeHash`) is kept: code is stored once, in its account's object.
   */
  state: { address: Address; info: { nonce: Hex; balance: Hex; codeHash: Hex; hasStorage: boolean } | null; code?: Hex; codeByHash?: true; storage: [Hex, Hex][] }[];
}

/** Code up to this size travels inline in a replay record (EIP-7702 designations, small contracts). */
const INLINE_CODE_BYTES = 1024;

export function replayRecord(tx: Tx, observed: ObservedAccount[]): ReplayRecord {
  return {
    tx: JSON.parse(JSON.stringify(tx, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v instanceof Uint8Array ? bytesToHex(v) : v))),
    state: observed.map((o) => {
      const big = o.code !== undefined && (o.code.length - 2) / 2 > INLINE_CODE_BYTES;
      return {
        address: o.address,
        info: o.info === null ? null : { nonce: bigIntToHex(o.info.nonce), balance: bigIntToHex(o.info.balance), codeHash: o.info.codeHash, hasStorage: o.info.hasStorage },
        ...(big ? { codeByHash: true as const } : { code: o.code }),
        storage: o.storage,
      };
    }),
  };
}

/**
 * Fills in the code a record keeps by hash, from the accounts' objects. A contract's code never
 * changes once committed (EIP-6780 leaves only same-transaction deletions, and EIP-7702
 * designations are small enough to be inline); the hash is checked all the same.
 */
export async function withCode(r: ReplayRecord, codeOf: (a: Address) => Promise<Uint8Array | undefined>): Promise<ReplayRecord> {
  const state = await Promise.all(
    r.state.map(async (a) => {
      if (a.codeByHash !== true || a.info === null) return a;
      const code = await codeOf(a.address);
      if (code === undefined || keccak256Hex(code) !== a.info.codeHash) throw new Error(`replay: the code of ${a.address} is no longer the code the transaction ran`);
      return { ...a, code: bytesToHex(code), codeByHash: undefined };
    }),
  );
  return { ...r, state };
}

const big = (v: unknown) => BigInt(v as string);

/** The transaction of a record, as the EVM takes it. */
export function replayTx(r: ReplayRecord): Tx {
  const t = r.tx;
  const opt = (k: string) => (t[k] === undefined ? undefined : big(t[k]));
  return {
    type: t.type as Tx["type"], from: t.from as Address, to: (t.to as Address | null) ?? null, nonce: big(t.nonce), gasLimit: big(t.gasLimit),
    gasPrice: opt("gasPrice"), maxFeePerGas: opt("maxFeePerGas"), maxPriorityFeePerGas: opt("maxPriorityFeePerGas"), value: big(t.value), data: hexToBytes(t.data as string),
    accessList: (t.accessList as { address: Address; storageKeys: string[] }[]).map((i) => ({ address: i.address, storageKeys: i.storageKeys.map(big) })),
    blobVersionedHashes: [], authorizationList: (t.authorizationList as Record<string, string>[]).map((a) => ({ chainId: big(a.chainId), address: a.address as Address, nonce: big(a.nonce), yParity: big(a.yParity), r: big(a.r), s: big(a.s) })),
    chainId: opt("chainId"),
  };
}

/** The state a record saw. A value the record lacks answers MISS: replay then fails loudly rather than guess. */
export class ReplaySource implements StateSource {
  private readonly accounts = new Map<Address, { info: AccountInfo | null; code?: Uint8Array; storage: Map<bigint, bigint> }>();

  constructor(
    r: ReplayRecord,
    private readonly hashOfBlock: (n: bigint) => bigint | typeof MISS,
    /** Fetches the hashes `hashOfBlock` answers MISS for (a persistent fork's network's). */
    private readonly loadHashes: (numbers: bigint[]) => Promise<void> = async () => {},
  ) {
    for (const a of r.state) {
      const info = a.info === null ? null : { nonce: big(a.info.nonce), balance: big(a.info.balance), codeHash: a.info.codeHash, hasStorage: a.info.hasStorage };
      this.accounts.set(a.address, { info, code: a.info === null ? new Uint8Array(0) : a.code === undefined ? undefined : hexToBytes(a.code), storage: new Map(a.storage.map(([k, v]) => [big(k), big(v)])) });
    }
  }

  account(address: Address): AccountInfo | null | typeof MISS {
    const a = this.accounts.get(address);
    return a === undefined ? MISS : a.info;
  }

  code(address: Address): Uint8Array | typeof MISS {
    return this.accounts.get(address)?.code ?? MISS;
  }

  storage(address: Address, slot: bigint): bigint | typeof MISS {
    return this.accounts.get(address)?.storage.get(slot) ?? MISS;
  }

  blockHash(n: bigint): bigint | typeof MISS {
    return this.hashOfBlock(n);
  }

  /** Nothing to fetch: everything the transaction read is in the record (a gap is a bug, not a guess). */
  async load(needs: Need[]): Promise<void> {
    const missing = needs.find((n) => n.kind !== "blockHash" && (n.kind === "account" ? this.account(n.address) : n.kind === "code" ? this.code(n.address) : this.storage(n.address, n.slot)) === MISS);
    if (missing !== undefined) throw new Error(`replay: the record lacks ${JSON.stringify(missing, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
    const hashes = missingBlockHashes(needs, this);
    if (hashes.length > 0) await this.loadHashes(hashes);
  }

  /** Tracers get what the record holds, and no more (see LoadingSource.partial). */
  readonly partial = true;
}
