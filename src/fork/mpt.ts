import { bytesToHex } from "../primitives/hex.ts";
import { EMPTY_TRIE_ROOT, keccak256 } from "../primitives/keccak.ts";
import { rlpDecode, rlpEncode, type RlpItem } from "../primitives/rlp.ts";
import { toNibbles } from "../state/trie.ts";

/** A proof that does not establish what it claims: the upstream lied, or answered for another root. */
export class ProofError extends Error {
  override name = "Fork.ProofError";
}

const EMPTY = new Uint8Array(0);

/**
 * The value stored under `key` in the Merkle Patricia Trie whose root hash is `root`, as proven by
 * `proof` (the RLP nodes on the key's path, eth_getProof's form), or empty bytes when the proof
 * shows that no value is stored there. Each node reached by hash must be in the proof with
 * exactly that hash; nodes shorter than 32 bytes sit inside their parent. Anything else throws.
 */
export function proveValue(root: Uint8Array, key: Uint8Array, proof: Uint8Array[]): Uint8Array {
  if (bytesToHex(root) === EMPTY_TRIE_ROOT) return EMPTY;
  const byHash = new Map<string, Uint8Array>();
  for (const node of proof) byHash.set(bytesToHex(keccak256(node)), node);
  const path = toNibbles(key);
  let node = decodeNode(lookup(byHash, root));
  let at = 0;
  for (;;) {
    let next: RlpItem;
    if (node.length === 17) {
      if (at === path.length) return bytesOf(node[16]);
      next = node[path[at++]];
    } else if (node.length === 2) {
      const { nibbles, leaf } = decodeHexPrefix(bytesOf(node[0]));
      const matches = nibbles.length <= path.length - at && nibbles.every((n, i) => path[at + i] === n);
      if (leaf) return matches && at + nibbles.length === path.length ? bytesOf(node[1]) : EMPTY;
      if (!matches || nibbles.length === 0) return nibbles.length === 0 ? fail("empty extension") : EMPTY;
      at += nibbles.length;
      next = node[1];
    } else return fail(`a trie node has ${node.length} items`);
    // A child is absent (empty string), referenced by hash (32 bytes), or embedded (a list).
    if (Array.isArray(next)) node = next;
    else if (next.length === 0) return EMPTY;
    else if (next.length === 32) node = decodeNode(lookup(byHash, next));
    else return fail("a child reference is neither a hash nor a node");
  }
}

function lookup(byHash: Map<string, Uint8Array>, hash: Uint8Array): Uint8Array {
  const node = byHash.get(bytesToHex(hash));
  if (node === undefined) fail(`the proof lacks node ${bytesToHex(hash)}`);
  return node!;
}

function decodeNode(encoded: Uint8Array): RlpItem[] {
  let item: RlpItem;
  try {
    item = rlpDecode(encoded);
  } catch (e) {
    return fail(`a proof node is not RLP: ${(e as Error).message}`);
  }
  if (!Array.isArray(item)) return fail("a proof node is not a list");
  return item;
}

function bytesOf(item: RlpItem): Uint8Array {
  return Array.isArray(item) ? rlpEncode(item) : item;
}

/** Hex-prefix decoding (yellow paper, appendix C): the flag nibble says leaf and odd length. */
function decodeHexPrefix(b: Uint8Array): { nibbles: number[]; leaf: boolean } {
  if (b.length === 0) return fail("an empty hex-prefix path");
  const flag = b[0] >> 4;
  if (flag > 3) return fail("a bad hex-prefix flag");
  const nibbles: number[] = flag & 1 ? [b[0] & 15] : [];
  for (let i = 1; i < b.length; i++) nibbles.push(b[i] >> 4, b[i] & 15);
  return { nibbles, leaf: flag >= 2 };
}

function fail(message: string): never {
  throw new ProofError(message);
}
