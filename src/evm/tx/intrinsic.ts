import { Fork } from "../fork.ts";
import { GAS_INIT_CODE_WORD } from "../gas.ts";
import type { Tx } from "../types.ts";

export const TX_BASE_COST = 21000n;
const TX_CREATE_COST = 32000n;
const TX_ACCESS_LIST_ADDRESS_COST = 2400n;
const TX_ACCESS_LIST_STORAGE_KEY_COST = 1900n;
const STANDARD_TOKEN_COST = 4n;
const FLOOR_TOKEN_COST = 10n;
export const PER_EMPTY_ACCOUNT_COST = 25000n;
export const PER_AUTH_BASE_COST = 12500n;

const NON_ZERO_BYTE_FRONTIER = 68n;

function nonZeroBytes(data: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) n++;
  return n;
}

/** Calldata tokens (EIP-7623): a zero byte is one token, any other byte four. */
function calldataTokens(data: Uint8Array): bigint {
  let zeros = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 0) zeros++;
  return BigInt(zeros + (data.length - zeros) * 4);
}

/**
 * Gas charged before execution starts, and the EIP-7623 floor (Prague+; 0 before) that a
 * transaction pays at least.
 */
export function intrinsicGas(tx: Tx, fork: Fork): { intrinsic: bigint; floor: bigint } {
  const tokens = calldataTokens(tx.data);
  let gas = TX_BASE_COST + tokens * STANDARD_TOKEN_COST;
  // EIP-2028 (Istanbul) cut a non-zero byte from 68 gas to 16 (four tokens of 4).
  if (fork < Fork.Istanbul) gas += BigInt(nonZeroBytes(tx.data)) * (NON_ZERO_BYTE_FRONTIER - 4n * STANDARD_TOKEN_COST);
  // EIP-2 (Homestead) charges a creation; EIP-3860 (Shanghai) its init code words.
  if (tx.to === null && fork >= Fork.Homestead) gas += TX_CREATE_COST;
  if (tx.to === null && fork >= Fork.Shanghai) gas += BigInt(GAS_INIT_CODE_WORD * Math.ceil(tx.data.length / 32));
  for (const item of tx.accessList) {
    gas += TX_ACCESS_LIST_ADDRESS_COST + TX_ACCESS_LIST_STORAGE_KEY_COST * BigInt(item.storageKeys.length);
  }
  gas += PER_EMPTY_ACCOUNT_COST * BigInt(tx.authorizationList.length);
  const floor = fork >= Fork.Prague ? TX_BASE_COST + tokens * FLOOR_TOKEN_COST : 0n;
  return { intrinsic: gas, floor };
}
