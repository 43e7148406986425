import { bigIntToBytes } from "../primitives/bytes.ts";
import { bytesToHex, hexToBytes, type Address, type Hex } from "../primitives/hex.ts";
import { keccak256, keccak256Hex } from "../primitives/keccak.ts";
import { rlpEncode, rlpUint } from "../primitives/rlp.ts";
import type { Log } from "../evm/types.ts";
import type { MemoryState } from "./memory.ts";
import { trieRoot } from "./trie.ts";

// The secure trie hashes every key. State tests compute thousands of roots over the same few
// addresses and slots, so the key hashes are kept (bounded: cleared when they grow too many).
const MAX_CACHED = 100_000;
const addressHashes = new Map<Address, Uint8Array>();
const slotHashes = new Map<bigint, Uint8Array>();

function cached<K>(cache: Map<K, Uint8Array>, key: K, hash: () => Uint8Array): Uint8Array {
  let h = cache.get(key);
  if (h === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, (h = hash()));
  }
  return h;
}

/** Root of the world state: a secure trie of rlp([nonce, balance, storageRoot, codeHash]). */
export function stateRoot(state: MemoryState): Hex {
  const entries: [Uint8Array, Uint8Array][] = [];
  for (const [address, account] of state.accounts) {
    const body = rlpEncode([rlpUint(account.nonce), rlpUint(account.balance), storageRoot(account.storage), hexToBytes(account.codeHash)]);
    entries.push([cached(addressHashes, address, () => keccak256(hexToBytes(address))), body]);
  }
  return bytesToHex(trieRoot(entries));
}

/** Root of one account's storage: slots as 32-byte words, values as RLP integers; zeros absent. */
export function storageRoot(storage: Map<bigint, bigint>): Uint8Array {
  const entries: [Uint8Array, Uint8Array][] = [];
  for (const [slot, value] of storage) {
    if (value !== 0n) entries.push([cached(slotHashes, slot, () => keccak256(bigIntToBytes(slot, 32))), rlpEncode(rlpUint(value))]);
  }
  return trieRoot(entries);
}

/** keccak256(rlp([[address, [topics…], data], …])): how state tests fingerprint a run's logs. */
export function logsHash(logs: Log[]): Hex {
  return keccak256Hex(rlpEncode(logs.map((log) => [hexToBytes(log.address), log.topics.map(hexToBytes), log.data])));
}
