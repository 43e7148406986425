import type { ReadSet, WriteSet } from "./sets.ts";
import { bigIntToHex, bytesToHex, type Address, type Hex } from "../primitives/hex.ts";
import type { AccountChange, AccountInfo } from "../evm/types.ts";

/** One account a run must commit on: what it read there and what it wrote. */
export interface Participant {
  address: Address;
  reads: ReadSet;
  writes: WriteSet | null;
}

/**
 * The accounts a run commits on, in address order: every account it read from stored state
 * (to validate) and every account it changed (to apply). `quiet` accounts (the coinbase, which
 * every run touches to pay a zero fee) take part only when actually written.
 */
export function commitPlan(
  reads: Map<Address, ReadSet>,
  changes: AccountChange[],
  before: (address: Address) => AccountInfo | null | undefined,
  quiet: Address[] = [],
): Participant[] {
  const out = new Map<Address, Participant>();
  for (const [address, r] of reads) out.set(address, { address, reads: r, writes: null });
  for (const ch of changes) {
    const p = out.get(ch.address) ?? { address: ch.address, reads: { storage: [] }, writes: null };
    p.writes = writeSet(ch, before(ch.address));
    out.set(ch.address, p);
  }
  return [...out.values()]
    .filter((p) => !(quiet.includes(p.address) && p.writes === null))
    .filter((p) => p.writes !== null || p.reads.account !== undefined || p.reads.storage.length > 0)
    .sort((a, b) => (a.address < b.address ? -1 : 1));
}

/** A change as the writes to apply; null when it changes nothing stored. */
export function writeSet(ch: AccountChange, before: AccountInfo | null | undefined): WriteSet | null {
  const storage = [...ch.storage].map(([k, v]): [Hex, Hex] => [bigIntToHex(k), bigIntToHex(v)]);
  if (ch.deleted) return { deleted: true, storageReset: true, storage: [] };
  const same = before != null && before.nonce === ch.nonce && before.balance === ch.balance && before.codeHash === ch.codeHash && ch.code === undefined;
  const fields = same
    ? undefined
    : { nonce: bigIntToHex(ch.nonce), balance: bigIntToHex(ch.balance), codeHash: ch.codeHash, code: ch.code === undefined ? undefined : bytesToHex(ch.code) };
  if (fields === undefined && !ch.storageReset && storage.length === 0) return null;
  return { deleted: false, fields, storageReset: ch.storageReset, storage };
}
