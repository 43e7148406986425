import type { Tx, TxExecuted } from "../evm/types.ts";
import { bigIntToHex, bytesToHex, wordToHex, type Hex } from "../primitives/hex.ts";
import type { TxRow } from "../records/run.ts";

export interface Signature {
  v: bigint;
  r: bigint;
  s: bigint;
}

/** What a transaction pays per gas in a block with `baseFee`. */
export function effectiveGasPrice(tx: Tx, baseFee: bigint): bigint {
  if (tx.gasPrice !== undefined) return tx.gasPrice;
  const tip = tx.maxPriorityFeePerGas ?? 0n, max = tx.maxFeePerGas ?? 0n;
  return baseFee + tip < max ? baseFee + tip : max;
}

/** The record of a committed transaction. REST transactions are unsigned: their v, r and s are 0. */
export function txRecord(tx: Tx, hash: Hex, result: TxExecuted, baseFee: bigint, sig: Signature = { v: 0n, r: 0n, s: 0n }): TxRow {
  const json: Record<string, unknown> = {
    type: bigIntToHex(BigInt(tx.type)),
    hash,
    nonce: bigIntToHex(tx.nonce),
    from: tx.from,
    to: tx.to,
    gas: bigIntToHex(tx.gasLimit),
    value: bigIntToHex(tx.value),
    input: bytesToHex(tx.data),
    gasPrice: bigIntToHex(effectiveGasPrice(tx, baseFee)),
  };
  if (tx.type >= 2) Object.assign(json, { maxFeePerGas: bigIntToHex(tx.maxFeePerGas ?? 0n), maxPriorityFeePerGas: bigIntToHex(tx.maxPriorityFeePerGas ?? 0n) });
  if (tx.chainId !== undefined) json.chainId = bigIntToHex(tx.chainId);
  if (tx.type === 3) Object.assign(json, { maxFeePerBlobGas: bigIntToHex(tx.maxFeePerBlobGas ?? 0n), blobVersionedHashes: tx.blobVersionedHashes.map(wordToHex) });
  if (tx.type >= 1) json.accessList = tx.accessList.map((i) => ({ address: i.address, storageKeys: i.storageKeys.map(wordToHex) }));
  if (tx.type === 4) {
    json.authorizationList = tx.authorizationList.map((a) => ({ chainId: bigIntToHex(a.chainId), address: a.address, nonce: bigIntToHex(a.nonce), yParity: bigIntToHex(a.yParity), r: bigIntToHex(a.r), s: bigIntToHex(a.s) }));
  }
  Object.assign(json, { v: bigIntToHex(sig.v), r: bigIntToHex(sig.r), s: bigIntToHex(sig.s) });
  if (tx.type >= 1) json.yParity = bigIntToHex(sig.v);
  return {
    hash,
    from: tx.from,
    to: tx.to,
    status: result.status === "success" ? 1 : 0,
    gasUsed: String(result.gasUsed),
    effectiveGasPrice: String(effectiveGasPrice(tx, baseFee)),
    contractAddress: tx.to === null && result.status === "success" ? (result.createdAddress ?? null) : null,
    json,
  };
}
