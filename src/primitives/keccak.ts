import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, type Hex } from "./hex.ts";

export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

export function keccak256Hex(data: Uint8Array): Hex {
  return bytesToHex(keccak_256(data));
}

/** keccak256 of the empty string: the code hash of an account without code. */
export const EMPTY_CODE_HASH: Hex = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";
/** Root of the empty Merkle Patricia Trie: keccak256(rlp("")). */
export const EMPTY_TRIE_ROOT: Hex = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
