import { hexToBytes, type Address, type Hex } from "../primitives/hex.ts";
import { keccak256Hex } from "../primitives/keccak.ts";
import { rlpEncode, rlpUint } from "../primitives/rlp.ts";
import type { AccessListItem, Authorization, Tx } from "../evm/types.ts";

/** A transaction as a request describes it (the REST API has no signatures). */
export interface TxRequest {
  from: Address;
  /** `null` deploys `data` as init code. */
  to: Address | null;
  data: Uint8Array;
  value: bigint;
  gas: bigint;
  /** Simulations may set these; otherwise the sender's current nonce and no fee. */
  nonce?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  accessList?: AccessListItem[];
  /** EIP-7702 authorizations (JSON-RPC calls and estimates); with any, the transaction is type 4. */
  authorizationList?: Authorization[];
}

/**
 * An EIP-1559 transaction (EIP-7702 when it carries authorizations), by default paying no fee:
 * gas is metered per API key, not bought with ether.
 */
export function buildTx(req: TxRequest, nonce: bigint, chainId: bigint): Tx {
  const authorizationList = req.authorizationList ?? [];
  return {
    type: authorizationList.length > 0 ? 4 : 2, chainId, from: req.from, to: req.to, nonce: req.nonce ?? nonce, gasLimit: req.gas, maxFeePerGas: req.maxFeePerGas ?? 0n,
    maxPriorityFeePerGas: req.maxPriorityFeePerGas ?? 0n, value: req.value, data: req.data, accessList: req.accessList ?? [], blobVersionedHashes: [], authorizationList,
  };
}

/**
 * The transaction's hash. REST transactions are unsigned, so it hashes the fields that make
 * them unique on their chain: chain id, sender, nonce, recipient, value, data, gas limit.
 */
export function txHash(tx: Tx): Hex {
  const fields = [rlpUint(tx.chainId ?? 0n), hexToBytes(tx.from), rlpUint(tx.nonce), tx.to === null ? new Uint8Array(0) : hexToBytes(tx.to), rlpUint(tx.value), tx.data, rlpUint(tx.gasLimit)];
  return keccak256Hex(rlpEncode(fields));
}
