import { hexToBytes, type Address } from "../../primitives/hex.ts";
import { concatBytes } from "../../primitives/bytes.ts";
import { keccak256 } from "../../primitives/keccak.ts";
import { rlpEncode, rlpUint } from "../../primitives/rlp.ts";
import { recoverAddress, SECP256K1_N } from "../../primitives/secp256k1.ts";
import { delegationCode, delegationTarget } from "../delegation.ts";
import type { Journal } from "../journal.ts";
import type { Authorization } from "../types.ts";
import { PER_AUTH_BASE_COST, PER_EMPTY_ACCOUNT_COST } from "./intrinsic.ts";

const MAX_NONCE = (1n << 64n) - 1n;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** The signer of an EIP-7702 authorization, or undefined when the signature is invalid. */
export function recoverAuthority(auth: Authorization): Address | undefined {
  if (auth.yParity > 1n) return undefined;
  if (auth.r === 0n || auth.r >= SECP256K1_N) return undefined;
  if (auth.s === 0n || auth.s > SECP256K1_N / 2n) return undefined;
  const msg = concatBytes(Uint8Array.of(0x05), rlpEncode([rlpUint(auth.chainId), hexToBytes(auth.address), rlpUint(auth.nonce)]));
  return recoverAddress(keccak256(msg), auth.r, auth.s, Number(auth.yParity));
}

/**
 * Applies the authorizations of a set-code transaction; invalid ones are skipped. Every
 * authority must already be loaded with its code. Returns the gas refund for authorities that
 * already existed.
 */
export function applyAuthorizations(j: Journal, auths: Authorization[], authorities: (Address | undefined)[], chainId: bigint): number {
  let refund = 0n;
  for (let i = 0; i < auths.length; i++) {
    const auth = auths[i];
    if (auth.chainId !== 0n && auth.chainId !== chainId) continue;
    if (auth.nonce >= MAX_NONCE) continue;
    const authority = authorities[i];
    if (authority === undefined) continue;
    j.warmAddress(authority);
    const acc = j.accountWithCode(authority);
    if (acc === undefined) throw new Error(`authority ${authority} was not loaded before the transaction started`);
    if (acc.code!.length > 0 && delegationTarget(acc.code!) === undefined) continue;
    if (acc.nonce !== auth.nonce) continue;
    if (acc.exists) refund += PER_EMPTY_ACCOUNT_COST - PER_AUTH_BASE_COST;
    j.setCode(acc, auth.address === ZERO_ADDRESS ? new Uint8Array(0) : delegationCode(auth.address));
    j.incrementNonce(acc);
  }
  return Number(refund);
}
