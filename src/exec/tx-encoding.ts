import type { Log, Tx } from "../evm/types.ts";
import { concatBytes } from "../primitives/bytes.ts";
import { hexToBytes, type Hex } from "../primitives/hex.ts";
import { keccak256Hex } from "../primitives/keccak.ts";
import { rlpEncode, rlpUint, type RlpItem } from "../primitives/rlp.ts";
import type { Signature } from "./tx-record.ts";

/**
 * A transaction's consensus encoding (EIP-2718 envelope for typed ones), with its signature;
 * eth_simulateV1's transactions carry none (v, r and s zero), as geth's do.
 */
export function encodeTx(tx: Tx, sig: Signature = { v: 0n, r: 0n, s: 0n }): Uint8Array {
  const to = tx.to === null ? new Uint8Array(0) : hexToBytes(tx.to);
  const list: RlpItem[] = (() => {
    if (tx.type === 0) return [rlpUint(tx.nonce), rlpUint(tx.gasPrice ?? 0n), rlpUint(tx.gasLimit), to, rlpUint(tx.value), tx.data];
    const access: RlpItem = tx.accessList.map((i) => [hexToBytes(i.address), i.storageKeys.map((k) => hexToBytes(`0x${k.toString(16).padStart(64, "0")}`))]);
    const chain = rlpUint(tx.chainId ?? 0n);
    if (tx.type === 1) return [chain, rlpUint(tx.nonce), rlpUint(tx.gasPrice ?? 0n), rlpUint(tx.gasLimit), to, rlpUint(tx.value), tx.data, access];
    const fees = [rlpUint(tx.maxPriorityFeePerGas ?? 0n), rlpUint(tx.maxFeePerGas ?? 0n)];
    const common: RlpItem[] = [chain, rlpUint(tx.nonce), ...fees, rlpUint(tx.gasLimit), to, rlpUint(tx.value), tx.data, access];
    if (tx.type === 2) return common;
    if (tx.type === 3) return [...common, rlpUint(tx.maxFeePerBlobGas ?? 0n), tx.blobVersionedHashes.map((h) => hexToBytes(`0x${h.toString(16).padStart(64, "0")}`))];
    return [...common, tx.authorizationList.map((a) => [rlpUint(a.chainId), hexToBytes(a.address), rlpUint(a.nonce), rlpUint(a.yParity), rlpUint(a.r), rlpUint(a.s)])];
  })();
  const body = rlpEncode([...list, rlpUint(sig.v), rlpUint(sig.r), rlpUint(sig.s)]);
  return tx.type === 0 ? body : concatBytes(Uint8Array.of(tx.type), body);
}

export const encodedTxHash = (tx: Tx): Hex => keccak256Hex(encodeTx(tx));

/** A receipt's consensus encoding (type prefix, status, cumulative gas, bloom, logs). */
export function encodeReceipt(type: Tx["type"], success: boolean, cumulativeGas: bigint, bloom: Hex, logs: Log[]): Uint8Array {
  const body = rlpEncode([rlpUint(success ? 1 : 0), rlpUint(cumulativeGas), hexToBytes(bloom), logs.map((l) => [hexToBytes(l.address), l.topics.map(hexToBytes), l.data])]);
  return type === 0 ? body : concatBytes(Uint8Array.of(type), body);
}
