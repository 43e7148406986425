/** Gas constants shared by several instructions (execution-specs names). */
export const GAS_WARM_ACCESS = 100;
export const GAS_COLD_ACCOUNT_ACCESS = 2600;
export const GAS_COLD_SLOAD = 2100;
export const GAS_STORAGE_SET = 20000;
export const GAS_STORAGE_UPDATE = 5000;
export const GAS_STORAGE_CLEAR_REFUND = 4800;
/** Before EIP-3529 (London). */
export const GAS_STORAGE_CLEAR_REFUND_BEFORE_LONDON = 15000;
/** SELFDESTRUCT's refund before EIP-3529 (London), once per account. */
export const REFUND_SELFDESTRUCT = 24000;
/** CALL's base cost before EIP-2929 (Berlin): 40 until EIP-150 (Tangerine Whistle), then 700. */
export const GAS_CALL_FRONTIER = 40;
export const GAS_CALL_EIP150 = 700;
export const GAS_SELFDESTRUCT = 5000;
/** Exponent byte price before EIP-160 (Spurious Dragon). */
export const GAS_EXP_BYTE_FRONTIER = 10;
export const GAS_CALL_STIPEND = 2300;
export const GAS_CALL_VALUE = 9000;
export const GAS_NEW_ACCOUNT = 25000;
export const GAS_COPY_WORD = 3;
export const GAS_KECCAK_WORD = 6;
export const GAS_LOG_DATA = 8;
export const GAS_EXP_BYTE = 50;
export const GAS_CODE_DEPOSIT = 200;
export const GAS_INIT_CODE_WORD = 2;
export const GAS_SELFDESTRUCT_NEW_ACCOUNT = 25000;

export const MAX_CODE_SIZE = 0x6000;
export const MAX_INIT_CODE_SIZE = 2 * MAX_CODE_SIZE;
export const CALL_DEPTH_LIMIT = 1024;
export const STACK_LIMIT = 1024;

export function words(bytes: number): number {
  return Math.ceil(bytes / 32);
}
