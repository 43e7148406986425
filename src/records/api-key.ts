import { sha256 } from "@noble/hashes/sha2.js";
import { keccak256 } from "../primitives/keccak.ts";
import { bytesToHex, type Address } from "../primitives/hex.ts";

/**
 * API keys name their project: `sk_<project>_<secret>` for the project `proj_<project>`. The
 * project part routes the key to its project's Ledger object, which knows the key by its hash;
 * a key whose project part is altered reaches a ledger that does not know it. The secret is 48
 * random hex digits; only its SHA-256 is stored, with a short visible prefix.
 */
const KEY = /^sk_([0-9a-z]{1,40})_([0-9a-f]{32,64})$/;
export const PROJECT_ID = /^proj_[0-9a-z]{1,40}$/;

/** The project of a well-formed key (undefined for anything else). */
export function projectOfKey(key: string): string | undefined {
  const m = KEY.exec(key);
  return m === null ? undefined : `proj_${m[1]}`;
}

/** Hashes of keys seen lately in this isolate: a loaded key is hashed once, not at every request. */
const hashes = new Map<string, string>();
const HASHES_KEPT = 1_024;

export function hashKey(key: string): string {
  let h = hashes.get(key);
  if (h === undefined) {
    h = bytesToHex(sha256(new TextEncoder().encode(key))).slice(2);
    if (hashes.size >= HASHES_KEPT) hashes.delete(hashes.keys().next().value!);
    hashes.set(key, h);
  }
  return h;
}

/** What the ledger keeps of a key: its hash and the first characters to recognise it by. */
export const keyPrefix = (key: string) => key.slice(0, Math.min(key.length, key.lastIndexOf("_") + 9));

/** A new key of `projectId` (the secret: show it once, store only its hash). */
export function newKey(projectId: string): string {
  const hex = [...crypto.getRandomValues(new Uint8Array(24))].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `sk_${projectId.slice("proj_".length)}_${hex}`;
}

/** A new id: `<prefix>_` and 32 hex digits. */
export const newId = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;

/** The EVM account of a key: derived from the key's id (never from the key), so it is stable and public. */
export function keyAddress(keyId: string): Address {
  return bytesToHex(keccak256(new TextEncoder().encode(`edge-evm key ${keyId}`)).subarray(12)) as Address;
}
