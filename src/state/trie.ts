import { keccak256 } from "../primitives/keccak.ts";

/**
 * Merkle Patricia Trie root (yellow paper, appendix D), computed in one pass over the sorted
 * keys: no node store, because only the root is ever needed (state tests, receipts roots).
 */

interface Leaf {
  nibbles: Uint8Array;
  value: Uint8Array;
}

const EMPTY_STRING_RLP = Uint8Array.of(0x80);

export function trieRoot(entries: Iterable<[Uint8Array, Uint8Array]>): Uint8Array {
  // Later entries win over earlier ones with the same key, and an empty value deletes, as
  // successive puts into a trie would.
  const byKey = new Map<string, Leaf>();
  for (const [key, value] of entries) {
    if (value.length === 0) byKey.delete(keyString(key));
    else byKey.set(keyString(key), { nibbles: toNibbles(key), value });
  }
  const leaves = [...byKey.values()].sort((a, b) => compareNibbles(a.nibbles, b.nibbles));
  if (leaves.length === 0) return keccak256(EMPTY_STRING_RLP);
  return keccak256(encodeNode(leaves, 0, leaves.length, 0));
}

/** The trie Ethereum uses for state and storage: every key is keccak256-hashed first. */
export function secureTrieRoot(entries: Iterable<[Uint8Array, Uint8Array]>): Uint8Array {
  const hashed: [Uint8Array, Uint8Array][] = [];
  for (const [key, value] of entries) hashed.push([keccak256(key), value]);
  return trieRoot(hashed);
}

/** RLP of the node holding leaves[lo, hi), whose keys all agree on their first `depth` nibbles. */
function encodeNode(leaves: Leaf[], lo: number, hi: number, depth: number): Uint8Array {
  if (hi - lo === 1) {
    const leaf = leaves[lo];
    return rlpList([rlpString(hexPrefix(leaf.nibbles.subarray(depth), true)), rlpString(leaf.value)]);
  }
  // Sorted keys: the prefix shared by the first and last is shared by all.
  const shared = commonPrefix(leaves[lo].nibbles, leaves[hi - 1].nibbles, depth);
  if (shared > 0) {
    const child = encodeNode(leaves, lo, hi, depth + shared);
    return rlpList([rlpString(hexPrefix(leaves[lo].nibbles.subarray(depth, depth + shared), false)), reference(child)]);
  }
  const slots: Uint8Array[] = [];
  let i = lo;
  // A key that ends here sorts first (it is a prefix of the others) and is the branch's value.
  let value: Uint8Array = new Uint8Array(0);
  if (leaves[i].nibbles.length === depth) value = leaves[i++].value;
  for (let nibble = 0; nibble < 16; nibble++) {
    let j = i;
    while (j < hi && leaves[j].nibbles[depth] === nibble) j++;
    slots.push(j === i ? EMPTY_STRING_RLP : reference(encodeNode(leaves, i, j, depth + 1)));
    i = j;
  }
  slots.push(rlpString(value));
  return rlpList(slots);
}

/** A child is embedded when its RLP is shorter than a hash, else referenced by its hash. */
function reference(encoded: Uint8Array): Uint8Array {
  return encoded.length < 32 ? encoded : rlpString(keccak256(encoded));
}

/** Hex-prefix encoding: the flag nibble says leaf or extension and odd or even length. */
export function hexPrefix(nibbles: Uint8Array, leaf: boolean): Uint8Array {
  const odd = nibbles.length % 2;
  const flag = (leaf ? 2 : 0) + odd;
  const out = new Uint8Array(1 + (nibbles.length >> 1));
  out[0] = (flag << 4) | (odd ? nibbles[0] : 0);
  for (let i = odd, o = 1; i < nibbles.length; i += 2, o++) out[o] = (nibbles[i] << 4) | nibbles[i + 1];
  return out;
}

export function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i] >> 4;
    out[2 * i + 1] = key[i] & 15;
  }
  return out;
}

function keyString(key: Uint8Array): string {
  let s = "";
  for (let i = 0; i < key.length; i++) s += String.fromCharCode(key[i]);
  return s;
}

function compareNibbles(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function commonPrefix(a: Uint8Array, b: Uint8Array, from: number): number {
  const n = Math.min(a.length, b.length);
  let i = from;
  while (i < n && a[i] === b[i]) i++;
  return i - from;
}

// The trie builds RLP from already-encoded children, which the item-based encoder cannot take;
// each node is written into one buffer, since node encoding is most of the work besides hashing.
function rlpString(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 1 && bytes[0] < 0x80) return bytes;
  const out = withHeader(bytes.length, 0x80);
  out.set(bytes, out.length - bytes.length);
  return out;
}

function rlpList(encodedItems: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const item of encodedItems) length += item.length;
  const out = withHeader(length, 0xc0);
  let o = out.length - length;
  for (const item of encodedItems) {
    out.set(item, o);
    o += item.length;
  }
  return out;
}

/** A buffer for a payload of `length` bytes with its RLP header already written. */
function withHeader(length: number, offset: number): Uint8Array {
  if (length < 56) {
    const out = new Uint8Array(1 + length);
    out[0] = offset + length;
    return out;
  }
  const lengthBytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
  const out = new Uint8Array(1 + lengthBytes + length);
  out[0] = offset + 55 + lengthBytes;
  for (let i = lengthBytes, n = length; i >= 1; i--, n = Math.floor(n / 256)) out[i] = n & 0xff;
  return out;
}
