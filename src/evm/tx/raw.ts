import type { AccessListItem, Authorization, Tx } from "../types.ts";
import { bytesToBigInt, concatBytes } from "../../primitives/bytes.ts";
import { bytesToHex, type Address, type Hex } from "../../primitives/hex.ts";
import { keccak256, keccak256Hex } from "../../primitives/keccak.ts";
import { rlpDecode, rlpEncode, rlpUint, RlpError, type RlpItem } from "../../primitives/rlp.ts";
import { recoverAddress, SECP256K1_N } from "../../primitives/secp256k1.ts";

/** A signed transaction as sent to eth_sendRawTransaction: the EVM's Tx, its hash and signature. */
export interface SignedTx {
  tx: Tx;
  hash: Hex;
  v: bigint;
  r: bigint;
  s: bigint;
}

export class RawTxError extends Error {
  override name = "Rpc.RawTxError";
}

const bytes = (item: RlpItem | undefined, what: string): Uint8Array => {
  if (!(item instanceof Uint8Array)) throw new RawTxError(`${what} must be a byte string`);
  return item;
};
const list = (item: RlpItem | undefined, what: string): RlpItem[] => {
  if (!Array.isArray(item)) throw new RawTxError(`${what} must be a list`);
  return item;
};
/** A canonical RLP integer: no leading zero bytes, at most `maxBytes`. */
const uint = (item: RlpItem | undefined, what: string, maxBytes = 32): bigint => {
  const b = bytes(item, what);
  if (b.length > maxBytes) throw new RawTxError(`${what} is too large`);
  if (b.length > 0 && b[0] === 0) throw new RawTxError(`${what} has leading zeros`);
  return bytesToBigInt(b);
};
const address = (item: RlpItem | undefined, what: string): Address => {
  const b = bytes(item, what);
  if (b.length !== 20) throw new RawTxError(`${what} must be 20 bytes`);
  return bytesToHex(b) as Address;
};
const to = (item: RlpItem | undefined): Address | null => (bytes(item, "to").length === 0 ? null : address(item, "to"));

function accessList(item: RlpItem | undefined): AccessListItem[] {
  return list(item, "accessList").map((e) => {
    const [a, keys, ...rest] = list(e, "access list entry");
    if (rest.length > 0) throw new RawTxError("an access list entry has two fields");
    return { address: address(a, "access list address"), storageKeys: list(keys, "storage keys").map((k) => { if (bytes(k, "storage key").length !== 32) throw new RawTxError("a storage key must be 32 bytes"); return bytesToBigInt(k as Uint8Array); }) };
  });
}

function authorizations(item: RlpItem | undefined): Authorization[] {
  return list(item, "authorizationList").map((e) => {
    const f = list(e, "authorization");
    if (f.length !== 6) throw new RawTxError("an authorization has six fields");
    return { chainId: uint(f[0], "authorization chainId"), address: address(f[1], "authorization address"), nonce: uint(f[2], "authorization nonce", 8), yParity: uint(f[3], "authorization yParity"), r: uint(f[4], "authorization r"), s: uint(f[5], "authorization s") };
  });
}

/**
 * Decodes a signed transaction of type 0 (legacy, EIP-155 or not), 1, 2 or 4 and recovers its
 * sender. Signatures must be canonical (low s, EIP-2). Blob transactions (type 3) need their
 * sidecar and are refused.
 */
export function decodeRawTx(raw: Uint8Array): SignedTx {
  if (raw.length === 0) throw new RawTxError("empty transaction");
  try {
    if (raw[0] >= 0xc0) return legacy(raw);
    if (raw[0] === 1 || raw[0] === 2 || raw[0] === 4) return typed(raw[0], raw);
  } catch (e) {
    if (e instanceof RlpError) throw new RawTxError(`malformed RLP: ${e.message}`);
    throw e;
  }
  throw new RawTxError(raw[0] === 3 ? "blob transactions (type 3) are not accepted" : `unknown transaction type ${raw[0]}`);
}

function legacy(raw: Uint8Array): SignedTx {
  const f = list(rlpDecode(raw), "transaction");
  if (f.length !== 9) throw new RawTxError("a legacy transaction has nine fields");
  const v = uint(f[6], "v"), r = uint(f[7], "r"), s = uint(f[8], "s");
  let chainId: bigint | undefined, yParity: bigint;
  if (v === 27n || v === 28n) yParity = v - 27n;
  else if (v >= 35n) {
    chainId = (v - 35n) / 2n;
    yParity = (v - 35n) % 2n;
  } else throw new RawTxError("invalid v");
  const unsigned = f.slice(0, 6).concat(chainId === undefined ? [] : [rlpUint(chainId), new Uint8Array(0), new Uint8Array(0)]);
  const tx: Tx = {
    type: 0, nonce: uint(f[0], "nonce", 8), gasPrice: uint(f[1], "gasPrice"), gasLimit: uint(f[2], "gas", 8), to: to(f[3]), value: uint(f[4], "value"), data: bytes(f[5], "data"),
    from: sender(keccak256(rlpEncode(unsigned)), r, s, yParity), accessList: [], blobVersionedHashes: [], authorizationList: [], chainId,
  };
  return { tx, hash: keccak256Hex(raw), v, r, s };
}

function typed(type: 1 | 2 | 4, raw: Uint8Array): SignedTx {
  const f = list(rlpDecode(raw.subarray(1)), "transaction");
  const n = type === 1 ? 11 : type === 2 ? 12 : 13;
  if (f.length !== n) throw new RawTxError(`a type ${type} transaction has ${n} fields`);
  const chainId = uint(f[0], "chainId"), nonce = uint(f[1], "nonce", 8);
  const fees = type === 1 ? { gasPrice: uint(f[2], "gasPrice") } : { maxPriorityFeePerGas: uint(f[2], "maxPriorityFeePerGas"), maxFeePerGas: uint(f[3], "maxFeePerGas") };
  const o = type === 1 ? 3 : 4;
  const yParity = uint(f[n - 3], "yParity"), r = uint(f[n - 2], "r"), s = uint(f[n - 1], "s");
  if (yParity > 1n) throw new RawTxError("yParity must be 0 or 1");
  const hash = keccak256(concatBytes(Uint8Array.of(type), rlpEncode(f.slice(0, n - 3))));
  const tx: Tx = {
    type, chainId, nonce, ...fees, gasLimit: uint(f[o], "gas", 8), to: to(f[o + 1]), value: uint(f[o + 2], "value"), data: bytes(f[o + 3], "data"), accessList: accessList(f[o + 4]),
    authorizationList: type === 4 ? authorizations(f[o + 5]) : [], blobVersionedHashes: [], from: sender(hash, r, s, yParity),
  };
  if (type === 4 && tx.to === null) throw new RawTxError("a type 4 transaction cannot create a contract");
  return { tx, hash: keccak256Hex(raw), v: yParity, r, s };
}

function sender(hash: Uint8Array, r: bigint, s: bigint, yParity: bigint): Address {
  if (r === 0n || r >= SECP256K1_N || s === 0n || s > SECP256K1_N / 2n) throw new RawTxError("invalid signature: r and s must be in range, s in the lower half (EIP-2)");
  const from = recoverAddress(hash, r, s, Number(yParity));
  if (from === undefined) throw new RawTxError("invalid signature: no public key recovers");
  return from;
}
