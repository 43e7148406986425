import type { Hex } from "../primitives/hex.ts";

/**
 * One account's state as it travels between a run and the account's object, and what a run read
 * and wrote there. Quantities and slots are minimal `0x` hex (`bigIntToHex`), so values read,
 * stored and compared are the same strings.
 */

export interface AccountFields {
  nonce: Hex;
  balance: Hex;
  codeHash: Hex;
}

export interface LoadRequest {
  code: boolean;
  slots: Hex[];
  /**
   * A persistent fork's account reads what was never written here from the network: what the
   * request used of the upstream so far (its limits hold over all of its loads).
   */
  upstream?: UpstreamUse;
}

/** Upstream use: JSON-RPC calls, HTTP round trips, bytes both ways (src/fork/upstream.ts). */
export interface UpstreamUse {
  requests: number;
  roundTrips: number;
  bytes: number;
  /** Requests the request's credit paid for in advance, counted with `requests` (absent: not priced). */
  paid?: number;
}

export interface AccountLoad {
  /** `null`: the account does not exist. */
  account: (AccountFields & { hasStorage: boolean }) | null;
  /** Present when asked for (empty for an account without code). */
  code?: Uint8Array;
  storage: { slot: Hex; value: Hex }[];
  /** Bumped by every write to the account: a read-only run's reads are checked against it. */
  version: number;
  /** Stamp (µs, the account's logical clock) of the account's last write, and of this read. */
  lastStamp: number;
  readStamp: number;
  /** What the load used of the upstream (a persistent fork's account materialising its base state), when anything. */
  upstream?: UpstreamUse;
}

/** What a run read from one account, as it read it; validated at commit. */
export interface ReadSet {
  /** The account's version when first read (read-only runs verify it: no ABA). */
  version?: number;
  /** Absent: the fields were not read; `null`: read as not existing. */
  account?: AccountFields | null;
  /**
   * The run relied on the account having no storage at all (the EVM reads every slot of such an
   * account as zero without asking): any slot written since makes the read stale.
   */
  storageEmpty?: boolean;
  storage: [slot: Hex, value: Hex][];
}

/** What a run wrote to one account. */
export interface WriteSet {
  /** The account is gone (its fields and all its storage). */
  deleted: boolean;
  /** New fields; absent when nonce, balance and code are unchanged. `code` when it changed. */
  fields?: AccountFields & { code?: Hex };
  /** All storage not listed in `storage` is zero (the account was created anew). */
  storageReset: boolean;
  /** Final values; "0x0" deletes the slot. */
  storage: [slot: Hex, value: Hex][];
}
