import type { Address, Hex } from "../primitives/hex.ts";
import { EMPTY_CODE_HASH, keccak256Hex } from "../primitives/keccak.ts";
import type { AccountChange, AccountInfo, StateSource } from "../evm/types.ts";

export interface MemoryAccount {
  nonce: bigint;
  balance: bigint;
  code: Uint8Array;
  codeHash: Hex;
  storage: Map<bigint, bigint>;
}

/** A fully loaded world state in memory: state tests, benchmarks, simulation overlays. */
export class MemoryState implements StateSource {
  readonly accounts = new Map<Address, MemoryAccount>();
  blockHashes: (n: bigint) => bigint = () => 0n;

  setAccount(address: Address, a: { nonce?: bigint; balance?: bigint; code?: Uint8Array; storage?: Map<bigint, bigint> }): void {
    const code = a.code ?? new Uint8Array(0);
    this.accounts.set(address, {
      nonce: a.nonce ?? 0n,
      balance: a.balance ?? 0n,
      code,
      codeHash: code.length === 0 ? EMPTY_CODE_HASH : keccak256Hex(code),
      storage: new Map([...(a.storage ?? new Map())].filter(([, v]) => v !== 0n)),
    });
  }

  account(address: Address): AccountInfo | null {
    const a = this.accounts.get(address);
    return a === undefined ? null : { nonce: a.nonce, balance: a.balance, codeHash: a.codeHash, hasStorage: a.storage.size > 0 };
  }

  code(address: Address): Uint8Array {
    return this.accounts.get(address)?.code ?? new Uint8Array(0);
  }

  storage(address: Address, slot: bigint): bigint {
    return this.accounts.get(address)?.storage.get(slot) ?? 0n;
  }

  blockHash(number: bigint): bigint {
    return this.blockHashes(number);
  }

  /** Applies a transaction's changes, as a commit would. */
  apply(changes: AccountChange[]): void {
    for (const c of changes) {
      if (c.deleted) {
        this.accounts.delete(c.address);
        continue;
      }
      const prev = this.accounts.get(c.address);
      const storage = c.storageReset || prev === undefined ? new Map<bigint, bigint>() : prev.storage;
      for (const [k, v] of c.storage) {
        if (v === 0n) storage.delete(k);
        else storage.set(k, v);
      }
      const code = c.code ?? prev?.code ?? new Uint8Array(0);
      this.accounts.set(c.address, { nonce: c.nonce, balance: c.balance, code, codeHash: c.codeHash, storage });
    }
  }
}
