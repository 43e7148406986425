import { bigIntToHex, bytesToHex, type Address, type Hex } from "../primitives/hex.ts";
import { EMPTY_CODE_HASH } from "../primitives/keccak.ts";
import { MISS, type AccountChange, type Need } from "../evm/types.ts";
import type { DoStateSource } from "./do-source.ts";

export interface Change<T> {
  before: T;
  after: T;
}

export interface AccountDiff {
  address: Address;
  balance?: Change<Hex>;
  nonce?: Change<Hex>;
  code?: Change<Hex>;
  storage: ({ slot: Hex } & Change<Hex>)[];
}

/** What `changes` will need to be compared with, but the run may not have loaded. */
export function diffNeeds(source: DoStateSource, changes: AccountChange[]): Need[] {
  const needs: Need[] = [];
  for (const ch of changes) {
    if (source.account(ch.address) === MISS) needs.push({ kind: "account", address: ch.address });
    if ((ch.code !== undefined || ch.deleted) && source.code(ch.address) === MISS) needs.push({ kind: "code", address: ch.address });
    for (const slot of ch.storage.keys()) if (source.storage(ch.address, slot) === MISS) needs.push({ kind: "storage", address: ch.address, slot });
  }
  return needs;
}

/**
 * Before and after of every field and slot a run changed, against `source` as it stands before
 * the run's changes are laid over it (load `diffNeeds` first). Unchanged fields are left out.
 */
export function stateDiff(source: DoStateSource, changes: AccountChange[]): AccountDiff[] {
  const out: AccountDiff[] = [];
  for (const ch of changes) {
    const was = source.info(ch.address) ?? null;
    const d: AccountDiff = { address: ch.address, storage: [] };
    const balance = { before: was?.balance ?? 0n, after: ch.deleted ? 0n : ch.balance };
    const nonce = { before: was?.nonce ?? 0n, after: ch.deleted ? 0n : ch.nonce };
    if (balance.before !== balance.after) d.balance = { before: bigIntToHex(balance.before), after: bigIntToHex(balance.after) };
    if (nonce.before !== nonce.after) d.nonce = { before: bigIntToHex(nonce.before), after: bigIntToHex(nonce.after) };
    const codeHashAfter = ch.deleted ? EMPTY_CODE_HASH : ch.codeHash;
    if ((was?.codeHash ?? EMPTY_CODE_HASH) !== codeHashAfter) {
      const before = source.code(ch.address);
      d.code = { before: before === MISS ? "0x" : bytesToHex(before), after: ch.deleted ? "0x" : bytesToHex(ch.code ?? new Uint8Array(0)) };
    }
    for (const [slot, after] of ch.storage) {
      const before = source.storage(ch.address, slot);
      const b = before === MISS ? 0n : before;
      if (b !== after) d.storage.push({ slot: bigIntToHex(slot), before: bigIntToHex(b), after: bigIntToHex(after) });
    }
    if (d.balance !== undefined || d.nonce !== undefined || d.code !== undefined || d.storage.length > 0) out.push(d);
  }
  return out;
}
