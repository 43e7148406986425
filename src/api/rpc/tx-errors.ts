import type { TxInvalid } from "../../evm/types.ts";
import { RpcError, SERVER_ERROR } from "./errors.ts";

/**
 * geth's wording for each way a transaction can be invalid (core/error.go). Clients classify
 * node errors by these phrases (viem's InsufficientFundsError and NonceTooLowError, ethers'
 * INSUFFICIENT_FUNDS and NONCE_EXPIRED), so the message starts with geth's phrase and our
 * detail follows; the stable code stays in `data.code`.
 */
const GETH_PHRASES: Record<string, string> = {
  nonce_too_low: "nonce too low",
  nonce_too_high: "nonce too high",
  nonce_max: "nonce has max value",
  insufficient_funds: "insufficient funds for gas * price + value",
  intrinsic_gas_too_low: "intrinsic gas too low",
  gas_limit_exceeds_block: "exceeds block gas limit",
  gas_limit_too_high: "transaction gas limit too high",
  max_fee_below_base_fee: "max fee per gas less than block base fee",
  gas_price_below_base_fee: "max fee per gas less than block base fee",
  priority_fee_above_max_fee: "max priority fee per gas higher than max fee per gas",
  sender_not_eoa: "sender not an eoa",
  init_code_too_large: "max initcode size exceeded",
  chain_id_mismatch: "invalid chain id for signer",
  tx_type_not_supported: "transaction type not supported",
  create_not_allowed: "EIP-7702 transaction cannot be used to create contract",
  empty_authorization_list: "EIP-7702 transaction with empty auth list",
};

/** An invalid transaction (refused before it runs, nothing committed) as a JSON-RPC error. */
export function txInvalidError(r: TxInvalid): RpcError {
  const phrase = GETH_PHRASES[r.error];
  return new RpcError(SERVER_ERROR, phrase === undefined ? r.message : `${phrase}: ${r.message}`, { code: r.error });
}
