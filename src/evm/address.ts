import { bytesToHex, hexToBytes, type Address } from "../primitives/hex.ts";
import { bigIntToBytes, concatBytes } from "../primitives/bytes.ts";
import { keccak256 } from "../primitives/keccak.ts";
import { rlpEncode, rlpUint } from "../primitives/rlp.ts";

/** CREATE: the last 20 bytes of keccak256(rlp([sender, nonce])). */
export function createAddress(sender: Address, nonce: bigint): Address {
  const hash = keccak256(rlpEncode([hexToBytes(sender), rlpUint(nonce)]));
  return bytesToHex(hash.subarray(12)) as Address;
}

/** CREATE2 (EIP-1014): keccak256(0xff ‖ sender ‖ salt ‖ keccak256(initCode))[12:]. */
export function create2Address(sender: Address, salt: bigint, initCode: Uint8Array): Address {
  const hash = keccak256(concatBytes(Uint8Array.of(0xff), hexToBytes(sender), bigIntToBytes(salt, 32), keccak256(initCode)));
  return bytesToHex(hash.subarray(12)) as Address;
}
