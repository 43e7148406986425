import { EMPTY_CODE_HASH } from "../../primitives/keccak.ts";
import { delegationTarget } from "../delegation.ts";
import { Fork, FORK_NAMES } from "../fork.ts";
import { MAX_INIT_CODE_SIZE } from "../gas.ts";
import type { JAccount } from "../journal.ts";
import type { BlockEnv, Tx, TxInvalid } from "../types.ts";
import { blobBaseFee, GAS_PER_BLOB, maxBlobsPerBlock, maxBlobsPerTx } from "./blob.ts";
import { intrinsicGas } from "./intrinsic.ts";

const MAX_NONCE = (1n << 64n) - 1n;
/** EIP-7825 (Osaka): a transaction may use at most 2^24 gas. */
const TX_GAS_LIMIT_CAP = 1n << 24n;

export function invalid(error: string, message: string): TxInvalid {
  return { valid: false, error, message };
}

export interface TxCosts {
  intrinsic: bigint;
  floor: bigint;
  effectiveGasPrice: bigint;
  /** Blob gas fee at the block's blob base fee, paid up front and never refunded. */
  blobFee: bigint;
  /** The part of the gas price that is burnt (the base fee); the rest goes to the coinbase. */
  burnPerGas: bigint;
}

/**
 * Checks that need no state: gas, sizes, fee fields, type rules, blobs (execution-specs order).
 * With `validate` off (eth_call, simulations) the fee rules and the Osaka gas cap are not
 * enforced and a price below the base fee burns nothing.
 */
/** The fork that introduced each transaction type (EIP-2718 envelopes from Berlin). */
const TYPE_SINCE: Record<Tx["type"], Fork> = { 0: Fork.Frontier, 1: Fork.Berlin, 2: Fork.London, 3: Fork.Cancun, 4: Fork.Prague };

export function checkStatic(tx: Tx, block: BlockEnv, fork: Fork, validate = true, simulation = false): TxInvalid | TxCosts {
  if (fork < TYPE_SINCE[tx.type]) return invalid("tx_type_not_supported", `type ${tx.type} transactions need ${FORK_NAMES[TYPE_SINCE[tx.type]]} or later`);
  // No base fee before EIP-1559 (London): the whole price goes to the coinbase.
  if (fork < Fork.London && block.baseFee !== 0n) block = { ...block, baseFee: 0n };
  // EIP-155 (Spurious Dragon) let a legacy transaction sign its chain id; none could before.
  if (tx.type === 0 && tx.chainId !== undefined && fork < Fork.SpuriousDragon) return invalid("tx_type_not_supported", "replay-protected (EIP-155) transactions need Spurious Dragon or later");
  if (tx.chainId !== undefined && tx.type !== 0 && tx.chainId !== block.chainId) {
    return invalid("chain_id_mismatch", `transaction chain id ${tx.chainId} is not ${block.chainId}`);
  }
  const { intrinsic, floor } = intrinsicGas(tx, fork);
  const needed = intrinsic > floor ? intrinsic : floor;
  if (needed > tx.gasLimit) return invalid("intrinsic_gas_too_low", `gas limit ${tx.gasLimit} is below the intrinsic gas ${needed}`);
  // Unvalidated (a call, a simulation) the nonce is not checked at all, as in geth.
  if (validate && tx.nonce >= MAX_NONCE) return invalid("nonce_max", "nonce must be below 2^64-1");
  if (fork >= Fork.Shanghai && tx.to === null && tx.data.length > MAX_INIT_CODE_SIZE) return invalid("init_code_too_large", `init code is ${tx.data.length} bytes, the limit is ${MAX_INIT_CODE_SIZE}`);
  if (validate && !simulation && fork >= Fork.Osaka && tx.gasLimit > TX_GAS_LIMIT_CAP) return invalid("gas_limit_too_high", `gas limit ${tx.gasLimit} exceeds the cap of ${TX_GAS_LIMIT_CAP}`);
  if (tx.gasLimit > block.gasLimit) return invalid("gas_limit_exceeds_block", `gas limit ${tx.gasLimit} exceeds the block gas limit ${block.gasLimit}`);

  const blobCount = BigInt(tx.blobVersionedHashes.length);
  if (tx.type === 3 && blobCount > BigInt(maxBlobsPerBlock(block, fork))) return invalid("blob_gas_exceeds_block", "too much blob gas for the block");

  if (!validate) return unvalidatedCosts(tx, block, fork, intrinsic, floor);
  let effectiveGasPrice: bigint;
  if (tx.type >= 2) {
    const maxFee = tx.maxFeePerGas ?? 0n, tip = tx.maxPriorityFeePerGas ?? 0n;
    if (maxFee < tip) return invalid("priority_fee_above_max_fee", "max priority fee per gas exceeds max fee per gas");
    if (maxFee < block.baseFee) return invalid("max_fee_below_base_fee", `max fee per gas ${maxFee} is below the base fee ${block.baseFee}`);
    const priority = tip < maxFee - block.baseFee ? tip : maxFee - block.baseFee;
    effectiveGasPrice = priority + block.baseFee;
  } else {
    const price = tx.gasPrice ?? 0n;
    if (price < block.baseFee) return invalid("gas_price_below_base_fee", `gas price ${price} is below the base fee ${block.baseFee}`);
    effectiveGasPrice = price;
  }

  let blobFee = 0n;
  if (tx.type === 3) {
    if (blobCount === 0n) return invalid("no_blobs", "a blob transaction needs at least one blob");
    if (blobCount > BigInt(maxBlobsPerTx(block, fork))) return invalid("too_many_blobs", `${blobCount} blobs exceed the per-transaction limit`);
    for (const h of tx.blobVersionedHashes) {
      if (h >> 248n !== 1n) return invalid("invalid_blob_hash_version", "blob versioned hashes must start with 0x01");
    }
    const price = blobBaseFee(block, fork);
    if ((tx.maxFeePerBlobGas ?? 0n) < price) return invalid("blob_fee_cap_too_low", `max fee per blob gas is below the blob base fee ${price}`);
    blobFee = GAS_PER_BLOB * blobCount * price;
  }
  if ((tx.type === 3 || tx.type === 4) && tx.to === null) return invalid("create_not_allowed", `type ${tx.type} transactions cannot create contracts`);
  if (tx.type === 4 && tx.authorizationList.length === 0) return invalid("empty_authorization_list", "a set-code transaction needs at least one authorization");
  return { intrinsic, floor, effectiveGasPrice, blobFee, burnPerGas: block.baseFee };
}

function unvalidatedCosts(tx: Tx, block: BlockEnv, fork: Fork, intrinsic: bigint, floor: bigint): TxCosts {
  let price = tx.gasPrice ?? 0n;
  if (tx.type >= 2) {
    const maxFee = tx.maxFeePerGas ?? 0n, tip = tx.maxPriorityFeePerGas ?? 0n;
    price = maxFee >= block.baseFee ? min(tip, maxFee - block.baseFee) + block.baseFee : maxFee;
  }
  const blobFee = tx.type === 3 ? GAS_PER_BLOB * BigInt(tx.blobVersionedHashes.length) * blobBaseFee(block, fork) : 0n;
  return { intrinsic, floor, effectiveGasPrice: price, blobFee, burnPerGas: min(block.baseFee, price) };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** The most the sender may be charged: gas at its fee cap, blob gas at its cap, and the value. */
function maxCost(tx: Tx): bigint {
  const price = tx.type >= 2 ? (tx.maxFeePerGas ?? 0n) : (tx.gasPrice ?? 0n);
  const blobs = tx.type === 3 ? GAS_PER_BLOB * BigInt(tx.blobVersionedHashes.length) * (tx.maxFeePerBlobGas ?? 0n) : 0n;
  return tx.gasLimit * price + blobs + tx.value;
}

/**
 * Checks against the sender's account: nonce, balance, EIP-3607 (no code but a delegation; not
 * for a simulated message, which may come from a contract).
 * Without validation only the balance is checked: what the transaction spends must exist.
 */
export function checkSender(tx: Tx, sender: JAccount, costs: TxCosts, validate = true, simulation = false): TxInvalid | undefined {
  if (!validate) {
    const spend = tx.gasLimit * costs.effectiveGasPrice + costs.blobFee + tx.value;
    return sender.balance < spend ? invalid("insufficient_funds", `balance ${sender.balance} is below the cost ${spend}`) : undefined;
  }
  if (sender.nonce > tx.nonce) return invalid("nonce_too_low", `nonce ${tx.nonce} is below the account nonce ${sender.nonce}`);
  if (sender.nonce < tx.nonce) return invalid("nonce_too_high", `nonce ${tx.nonce} is above the account nonce ${sender.nonce}`);
  const cost = maxCost(tx);
  if (sender.balance < cost) return invalid("insufficient_funds", `balance ${sender.balance} is below the maximum cost ${cost}`);
  if (!simulation && sender.codeHash !== EMPTY_CODE_HASH && delegationTarget(sender.code!) === undefined) {
    return invalid("sender_not_eoa", "the sender has code (EIP-3607)");
  }
  return undefined;
}
