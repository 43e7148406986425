import type { Address, Hex } from "../primitives/hex.ts";
import { EMPTY_CODE_HASH, keccak256Hex } from "../primitives/keccak.ts";
import { MISS, type AccountChange, type AccountInfo, type Log, type Need, type StateSource } from "./types.ts";

const EMPTY = new Uint8Array(0);
const RIPEMD160 = "0x0000000000000000000000000000000000000003";

/** How a fork treats accounts left with no nonce, balance or code. */
export const EmptyAccounts = {
  /** Frontier to Tangerine Whistle: they exist like any other; a message to nobody creates one. */
  Kept: 0,
  /** Spurious Dragon to London (EIP-161): those a transaction touched are deleted at its end. */
  Touched: 1,
  /** Paris on: none exist on mainnet, so the spec deletes one as soon as a write leaves it empty. */
  OnWrite: 2,
} as const;
export type EmptyAccounts = (typeof EmptyAccounts)[keyof typeof EmptyAccounts];

/** One account as the running transaction sees it. Objects are stable for the whole transaction. */
export class JAccount {
  exists: boolean;
  nonce: bigint;
  balance: bigint;
  codeHash: Hex;
  /** Loaded lazily: undefined until the code is fetched from the source. */
  code: Uint8Array | undefined;
  /** The source holds storage for this account (EIP-7610 collision rule). */
  hasStorage: boolean;
  /** Current value of every slot read or written in this transaction. */
  readonly storage = new Map<bigint, bigint>();
  /** Value of each slot at the start of the transaction, as read from the source. */
  readonly origin = new Map<bigint, bigint>();
  readonly warmSlots = new Set<bigint>();
  /** Created in this transaction: pre-existing storage is ignored (EIP-6780 and SSTORE refunds). */
  created = false;
  /** The account was destroyed at some point in this transaction: storage from the source is gone. */
  storageCleared = false;
  codeChanged = false;
  dirty = false;
  readonly existedBefore: boolean;

  constructor(readonly address: Address, info: AccountInfo | null) {
    this.existedBefore = info !== null;
    this.exists = info !== null;
    this.nonce = info?.nonce ?? 0n;
    this.balance = info?.balance ?? 0n;
    this.codeHash = info?.codeHash ?? EMPTY_CODE_HASH;
    this.hasStorage = info?.hasStorage ?? false;
    this.code = this.codeHash === EMPTY_CODE_HASH ? EMPTY : undefined;
  }

  isEmpty(): boolean {
    return this.nonce === 0n && this.balance === 0n && this.codeHash === EMPTY_CODE_HASH;
  }

  /** Exists and is not empty (EIP-161). */
  isAlive(): boolean {
    return this.exists && !this.isEmpty();
  }

  /** A contract created here would collide: nonce, code or storage already present (EIP-684, EIP-7610). */
  blocksCreation(): boolean {
    if (this.nonce !== 0n || this.codeHash !== EMPTY_CODE_HASH) return true;
    if (this.hasStorage && !this.storageCleared) return true;
    for (const v of this.storage.values()) if (v !== 0n) return true;
    return false;
  }
}

const enum E {
  Balance,
  Nonce,
  Code,
  Storage,
  Exists,
  Created,
  WarmAddress,
  WarmSlot,
  Transient,
  Log,
  Refund,
  Destruct,
  Destroyed,
  Touched,
}

interface Entry {
  kind: E;
  acc: JAccount | null;
  key: bigint;
  prev: unknown;
}

/**
 * The world state of one transaction, over a (possibly lazy) StateSource: caches what was read,
 * records every change in an undo log so that a frame's changes can be reverted, and tracks the
 * transaction-scoped sets (warm addresses and slots, transient storage, logs, refunds).
 * Methods that need unloaded state return undefined/MISS after queueing a Need.
 */
export class Journal {
  readonly accounts = new Map<Address, JAccount>();
  readonly warm = new Set<Address>();
  readonly transient = new Map<Address, Map<bigint, bigint>>();
  readonly destructs = new Set<Address>();
  logs: Log[] = [];
  refund = 0;
  needs: Need[] = [];
  /** Empty accounts touched by frames that succeeded (EIP-161), deleted at the end. */
  readonly touched = new Set<Address>();
  /**
   * RIPEMD-160 touched anywhere, even in a frame that failed: the rule kept by every client since
   * mainnet block 2,675,119 (EIP-716); only a failed transaction forgets it.
   */
  ripemdTouched = false;
  private readonly entries: Entry[] = [];
  /** A sender whose nonce increment waits for its first load (RunOptions.lazySender). */
  private deferredNonce: Address | undefined;
  private readonly order: JAccount[] = [];

  /** Addresses warm for the whole transaction without journaling (the precompiles). */
  constructor(
    readonly source: StateSource,
    private readonly alwaysWarm: ReadonlySet<Address> = new Set(),
    readonly emptyAccounts: EmptyAccounts = EmptyAccounts.OnWrite,
  ) {}

  // ---- loading -------------------------------------------------------------------------------

  /** The account, or undefined after queueing a Need when the source has not loaded it. */
  account(address: Address): JAccount | undefined {
    let acc = this.accounts.get(address);
    if (acc !== undefined) return acc;
    const info = this.source.account(address);
    if (info === MISS) {
      this.needs.push({ kind: "account", address });
      return undefined;
    }
    acc = new JAccount(address, info);
    this.accounts.set(address, acc);
    if (address === this.deferredNonce) this.applyDeferredNonce(acc);
    return acc;
  }

  /** The transaction's own nonce increment of a sender not loaded at its start (RunOptions.lazySender). */
  deferNonceIncrement(address: Address): void {
    this.deferredNonce = address;
  }

  /**
   * Applied unjournaled: made at the transaction's start, the increment is below every frame's
   * checkpoint, so no revert undoes it, wherever the run first looks at the sender.
   */
  private applyDeferredNonce(acc: JAccount): void {
    this.deferredNonce = undefined;
    if (!acc.dirty) {
      acc.dirty = true;
      this.order.push(acc);
    }
    acc.exists = true;
    acc.nonce += 1n;
  }

  /** The account with its code loaded, or undefined after queueing what is missing. */
  accountWithCode(address: Address): JAccount | undefined {
    const acc = this.account(address);
    if (acc === undefined || acc.code !== undefined) return acc;
    const code = this.source.code(address);
    if (code === MISS) {
      this.needs.push({ kind: "code", address });
      return undefined;
    }
    acc.code = code;
    return acc;
  }

  /** Current value of a slot, or MISS after queueing a Need. */
  sload(acc: JAccount, slot: bigint): bigint | typeof MISS {
    const v = acc.storage.get(slot);
    if (v !== undefined) return v;
    const o = this.originOf(acc, slot);
    if (o === MISS) return MISS;
    acc.storage.set(slot, o);
    return o;
  }

  /** Value of the slot at transaction start (0 for accounts created in this transaction). */
  original(acc: JAccount, slot: bigint): bigint | typeof MISS {
    if (acc.created) return 0n;
    return this.originOf(acc, slot);
  }

  private originOf(acc: JAccount, slot: bigint): bigint | typeof MISS {
    let o = acc.origin.get(slot);
    if (o !== undefined) return o;
    if (!acc.existedBefore || !acc.hasStorage) o = 0n;
    else {
      const v = this.source.storage(acc.address, slot);
      if (v === MISS) {
        this.needs.push({ kind: "storage", address: acc.address, slot });
        return MISS;
      }
      o = v;
    }
    acc.origin.set(slot, o);
    return acc.storageCleared ? 0n : o;
  }

  blockHash(n: bigint): bigint | typeof MISS {
    const h = this.source.blockHash(n);
    if (h === MISS) this.needs.push({ kind: "blockHash", number: n });
    return h;
  }

  // ---- checkpoints ---------------------------------------------------------------------------

  checkpoint(): number {
    return this.entries.length;
  }

  /** Undoes every change made since the checkpoint. */
  revert(checkpoint: number): void {
    const entries = this.entries;
    for (let i = entries.length - 1; i >= checkpoint; i--) this.undo(entries[i]);
    entries.length = checkpoint;
  }

  private undo(e: Entry): void {
    const acc = e.acc!;
    switch (e.kind) {
      case E.Balance: acc.balance = e.prev as bigint; break;
      case E.Nonce: acc.nonce = e.prev as bigint; break;
      case E.Code: {
        const [code, hash, changed] = e.prev as [Uint8Array | undefined, Hex, boolean];
        acc.code = code; acc.codeHash = hash; acc.codeChanged = changed;
        break;
      }
      case E.Storage:
        if (e.prev === undefined) acc.storage.delete(e.key);
        else acc.storage.set(e.key, e.prev as bigint);
        break;
      case E.Exists: acc.exists = e.prev as boolean; break;
      case E.Created: acc.created = e.prev as boolean; break;
      case E.WarmAddress: this.warm.delete(e.prev as Address); break;
      case E.WarmSlot: acc.warmSlots.delete(e.key); break;
      case E.Transient: {
        const m = this.transient.get(acc.address)!;
        if (e.prev === undefined) m.delete(e.key);
        else m.set(e.key, e.prev as bigint);
        break;
      }
      case E.Log: this.logs.pop(); break;
      case E.Refund: this.refund = e.prev as number; break;
      case E.Destruct: this.destructs.delete(acc.address); break;
      case E.Touched: this.touched.delete(e.prev as Address); break;
      case E.Destroyed: {
        const [storage, cleared] = e.prev as [Map<bigint, bigint>, boolean];
        acc.storage.clear();
        for (const [k, v] of storage) acc.storage.set(k, v);
        acc.storageCleared = cleared;
        break;
      }
    }
  }

  private record(kind: E, acc: JAccount | null, key: bigint, prev: unknown): void {
    this.entries.push({ kind, acc, key, prev });
  }

  // ---- warm/cold (EIP-2929) ------------------------------------------------------------------

  /** Marks an address warm; returns whether it was cold. Needs no loaded state. */
  warmAddress(address: Address): boolean {
    if (this.warm.has(address) || this.alwaysWarm.has(address)) return false;
    this.warm.add(address);
    this.record(E.WarmAddress, null, 0n, address);
    return true;
  }

  warmSlot(acc: JAccount, slot: bigint): boolean {
    if (acc.warmSlots.has(slot)) return false;
    acc.warmSlots.add(slot);
    this.record(E.WarmSlot, acc, slot, null);
    return true;
  }

  // ---- mutations (from Paris each ends as EELS's modify_state: an account left empty goes) --

  /** Creates the account if it does not exist (a write, or a message to it before Paris). */
  materialize(acc: JAccount): void {
    if (!acc.dirty) {
      acc.dirty = true;
      this.order.push(acc);
    }
    if (!acc.exists) {
      this.record(E.Exists, acc, 0n, false);
      acc.exists = true;
    }
  }

  private settle(acc: JAccount): void {
    if (acc.exists && acc.isEmpty() && this.emptyAccounts === EmptyAccounts.OnWrite) this.destroy(acc);
  }

  /** EIP-161 (Spurious Dragon to London): remembers an account that exists and is empty. */
  touch(acc: JAccount): void {
    if (this.emptyAccounts !== EmptyAccounts.Touched || !acc.exists || !acc.isEmpty()) return;
    if (acc.address === RIPEMD160) this.ripemdTouched = true;
    else if (!this.touched.has(acc.address)) {
      this.touched.add(acc.address);
      this.record(E.Touched, null, 0n, acc.address);
    }
  }

  /** Deletes the touched accounts still empty at the end of a successful transaction. */
  destroyTouched(): void {
    if (this.ripemdTouched) this.touched.add(RIPEMD160);
    for (const address of this.touched) {
      const acc = this.accounts.get(address);
      if (acc !== undefined && acc.exists && acc.isEmpty()) this.destroy(acc);
    }
  }

  setBalance(acc: JAccount, balance: bigint): void {
    this.materialize(acc);
    this.record(E.Balance, acc, 0n, acc.balance);
    acc.balance = balance;
    this.settle(acc);
  }

  incrementNonce(acc: JAccount): void {
    this.materialize(acc);
    this.record(E.Nonce, acc, 0n, acc.nonce);
    acc.nonce += 1n;
    this.settle(acc);
  }

  setCode(acc: JAccount, code: Uint8Array): void {
    this.materialize(acc);
    this.record(E.Code, acc, 0n, [acc.code, acc.codeHash, acc.codeChanged]);
    acc.code = code;
    acc.codeHash = code.length === 0 ? EMPTY_CODE_HASH : keccak256Hex(code);
    acc.codeChanged = true;
    this.settle(acc);
  }

  /** Moves value; the caller has checked the sender's balance. */
  transfer(from: JAccount, to: JAccount, value: bigint): void {
    this.setBalance(from, from.balance - value);
    this.setBalance(to, to.balance + value);
  }

  sstore(acc: JAccount, slot: bigint, value: bigint): void {
    if (!acc.dirty) {
      acc.dirty = true;
      this.order.push(acc);
    }
    this.record(E.Storage, acc, slot, acc.storage.get(slot));
    acc.storage.set(slot, value);
  }

  markCreated(acc: JAccount): void {
    this.record(E.Created, acc, 0n, acc.created);
    acc.created = true;
  }

  /** Removes the account and its storage (EELS destroy_account). */
  destroy(acc: JAccount): void {
    if (!acc.dirty) {
      acc.dirty = true;
      this.order.push(acc);
    }
    this.record(E.Destroyed, acc, 0n, [new Map(acc.storage), acc.storageCleared]);
    acc.storage.clear();
    acc.storageCleared = true;
    if (acc.exists) {
      this.record(E.Exists, acc, 0n, true);
      acc.exists = false;
    }
    this.record(E.Balance, acc, 0n, acc.balance);
    this.record(E.Nonce, acc, 0n, acc.nonce);
    this.record(E.Code, acc, 0n, [acc.code, acc.codeHash, acc.codeChanged]);
    acc.balance = 0n;
    acc.nonce = 0n;
    if (acc.codeHash !== EMPTY_CODE_HASH) {
      acc.code = EMPTY;
      acc.codeHash = EMPTY_CODE_HASH;
      acc.codeChanged = true;
    }
  }

  /** SELFDESTRUCT of an account created in this transaction (EIP-6780): deleted at tx end. */
  scheduleDestruct(acc: JAccount): void {
    if (this.destructs.has(acc.address)) return;
    this.destructs.add(acc.address);
    this.record(E.Destruct, acc, 0n, null);
  }

  tload(address: Address, slot: bigint): bigint {
    return this.transient.get(address)?.get(slot) ?? 0n;
  }

  tstore(acc: JAccount, slot: bigint, value: bigint): void {
    let m = this.transient.get(acc.address);
    if (m === undefined) this.transient.set(acc.address, (m = new Map()));
    this.record(E.Transient, acc, slot, m.get(slot));
    m.set(slot, value);
  }

  log(log: Log): void {
    this.logs.push(log);
    this.record(E.Log, null, 0n, null);
  }

  addRefund(delta: number): void {
    this.record(E.Refund, null, 0n, this.refund);
    this.refund += delta;
  }

  // ---- results -------------------------------------------------------------------------------

  /** The final state of every account the transaction changed, in first-touched order. */
  changes(): AccountChange[] {
    const out: AccountChange[] = [];
    for (const acc of this.order) {
      if (!acc.exists) {
        if (acc.existedBefore) out.push(deletedChange(acc));
        continue;
      }
      const storage = new Map<bigint, bigint>();
      for (const [slot, v] of acc.storage) {
        const before = acc.storageCleared ? 0n : acc.origin.get(slot);
        if (v !== before || acc.storageCleared) storage.set(slot, v);
      }
      out.push({
        address: acc.address,
        deleted: false,
        nonce: acc.nonce,
        balance: acc.balance,
        codeHash: acc.codeHash,
        code: acc.codeChanged ? acc.code : undefined,
        storageReset: acc.storageCleared,
        storage,
      });
    }
    return out;
  }
}

function deletedChange(acc: JAccount): AccountChange {
  return {
    address: acc.address,
    deleted: true,
    nonce: 0n,
    balance: 0n,
    codeHash: EMPTY_CODE_HASH,
    storageReset: true,
    storage: new Map(),
  };
}
