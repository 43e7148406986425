import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex, type Address } from "./hex.ts";
import { keccak256 } from "./keccak.ts";

export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * The address that signed `hash` with (r, s, yParity), or undefined when no key recovers.
 * Range rules (low s, r/s non-zero) are the caller's: they differ between ecrecover and txs.
 */
export function recoverAddress(hash: Uint8Array, r: bigint, s: bigint, yParity: number): Address | undefined {
  try {
    const point = new secp256k1.Signature(r, s, yParity).recoverPublicKey(hash);
    const pub = point.toBytes(false);
    return bytesToHex(keccak256(pub.subarray(1)).subarray(12)) as Address;
  } catch {
    return undefined;
  }
}

/** The address of a private key (for signing test transactions and state-test senders). */
export function privateKeyToAddress(privateKey: Uint8Array): Address {
  const pub = secp256k1.getPublicKey(privateKey, false);
  return bytesToHex(keccak256(pub.subarray(1)).subarray(12)) as Address;
}
