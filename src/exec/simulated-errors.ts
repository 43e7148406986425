/**
 * eth_simulateV1's codes for a call that cannot be included (the specification's -380xx, as
 * geth maps them), with geth's phrase to start the message: clients classify by both.
 */
const CODES: Record<string, { rpc: number; phrase: string }> = {
  nonce_too_low: { rpc: -38010, phrase: "nonce too low" },
  nonce_too_high: { rpc: -38011, phrase: "nonce too high" },
  max_fee_below_base_fee: { rpc: -38012, phrase: "max fee per gas less than block base fee" },
  gas_price_below_base_fee: { rpc: -38012, phrase: "max fee per gas less than block base fee" },
  intrinsic_gas_too_low: { rpc: -38013, phrase: "intrinsic gas too low" },
  insufficient_funds: { rpc: -38014, phrase: "insufficient funds for gas * price + value" },
  gas_limit_exceeds_block: { rpc: -38015, phrase: "block gas limit reached" },
  sender_not_eoa: { rpc: -38024, phrase: "sender not an eoa" },
  init_code_too_large: { rpc: -38025, phrase: "max initcode size exceeded" },
  priority_fee_above_max_fee: { rpc: -32602, phrase: "max priority fee per gas higher than max fee per gas" },
};

/** The code and message prefix of an invalid transaction's stable code (-32603 for the others, as geth). */
export function txInvalidCode(error: string): { rpc: number; phrase: string } {
  const c = CODES[error];
  return c === undefined ? { rpc: -32603, phrase: "" } : { rpc: c.rpc, phrase: `${c.phrase}: ` };
}
