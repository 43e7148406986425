import type { Address, Hex } from "../primitives/hex.ts";

export type TxType = 0 | 1 | 2 | 3 | 4;

export interface AccessListItem {
  address: Address;
  storageKeys: bigint[];
}

/** EIP-7702 authorization tuple, signature included; the authority is recovered by the EVM. */
export interface Authorization {
  chainId: bigint;
  address: Address;
  nonce: bigint;
  yParity: bigint;
  r: bigint;
  s: bigint;
}

/** A transaction as the EVM executes it: the sender is already known (recovered or given). */
export interface Tx {
  type: TxType;
  from: Address;
  /** `null` creates a contract. */
  to: Address | null;
  nonce: bigint;
  gasLimit: bigint;
  /** Types 0 and 1. */
  gasPrice?: bigint;
  /** Types 2, 3 and 4. */
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  value: bigint;
  data: Uint8Array;
  accessList: AccessListItem[];
  /** Type 3. */
  blobVersionedHashes: bigint[];
  maxFeePerBlobGas?: bigint;
  /** Type 4. */
  authorizationList: Authorization[];
  /** Chain id the transaction was signed for, when it carries one. */
  chainId?: bigint;
}

export interface BlockEnv {
  number: bigint;
  timestamp: bigint;
  coinbase: Address;
  gasLimit: bigint;
  baseFee: bigint;
  prevRandao: bigint;
  /** Proof-of-work difficulty, what opcode 0x44 reads before Paris (0 when absent). */
  difficulty?: bigint;
  excessBlobGas: bigint;
  chainId: bigint;
  /** Overrides the fork's blob base fee update fraction (from a fixture's blobSchedule). */
  blobBaseFeeUpdateFraction?: bigint;
  /** Overrides the fork's maximum blobs per block. */
  maxBlobsPerBlock?: number;
  /** Overrides the blob base fee the excess blob gas implies (eth_simulateV1's blobBaseFee). */
  blobBaseFee?: bigint;
}

export interface Log {
  address: Address;
  topics: Hex[];
  data: Uint8Array;
}

/** What an account looks like in the backing state. */
export interface AccountInfo {
  nonce: bigint;
  balance: bigint;
  codeHash: Hex;
  /** The account has at least one non-zero storage slot (a CREATE there collides, EIP-7610). */
  hasStorage: boolean;
}

/** Returned by a StateSource for a value it has not loaded yet: the run suspends and asks for it. */
export const MISS: unique symbol = Symbol("state-miss");
export type Miss = typeof MISS;

/**
 * The EVM's synchronous view of committed state. A lazily loaded source answers MISS; the run
 * then suspends with a Need, the driver loads it (asynchronously) and resumes the run.
 */
export interface StateSource {
  /** `null`: the account does not exist. */
  account(address: Address): AccountInfo | null | Miss;
  code(address: Address): Uint8Array | Miss;
  storage(address: Address, slot: bigint): bigint | Miss;
  /** Hash of a recent block (the EVM only asks within the last 256). */
  blockHash(number: bigint): bigint | Miss;
}

export type Need =
  | { kind: "account"; address: Address }
  | { kind: "code"; address: Address }
  | { kind: "storage"; address: Address; slot: bigint }
  | { kind: "blockHash"; number: bigint };

/** Final state of one account the transaction changed. */
export interface AccountChange {
  address: Address;
  /** The account no longer exists (self-destructed, or touched while empty). */
  deleted: boolean;
  nonce: bigint;
  balance: bigint;
  codeHash: Hex;
  /** Set when the code changed (deployment, EIP-7702 delegation). */
  code?: Uint8Array;
  /** The account was (re)created in this transaction: storage not listed in `storage` is zero. */
  storageReset: boolean;
  /** Slots written, with their final values (0n = deleted). */
  storage: Map<bigint, bigint>;
}

export type ExecStatus = "success" | "reverted" | "halted";

/** Why a frame halted (exceptional halt: all its gas is consumed). */
export type HaltReason =
  | "out_of_gas"
  | "invalid_opcode"
  | "stack_underflow"
  | "stack_overflow"
  | "invalid_jump"
  | "static_state_change"
  | "return_data_out_of_bounds"
  | "call_depth_exceeded"
  | "create_collision"
  | "code_size_exceeded"
  | "invalid_code_prefix"
  | "insufficient_balance"
  | "nonce_overflow"
  | "precompile_failure"
  | "memory_cap"
  | "isolate_memory"
  | "time_cap"
  | "trace_cap";

/**
 * The halts of a sandbox cap, which stop the whole run rather than one frame. `isolate_memory`:
 * the memory shared by the runs of one isolate (RunLimits.memoryPool) was spent by others.
 */
export type CapReason = "memory_cap" | "isolate_memory" | "time_cap" | "trace_cap";

/** A transaction that could not be included: nothing executed, nothing charged, state unchanged. */
export interface TxInvalid {
  valid: false;
  /** Stable code, e.g. `nonce_too_low`, `insufficient_funds`, `intrinsic_gas_too_low`. */
  error: string;
  message: string;
}

export interface TxExecuted {
  valid: true;
  status: ExecStatus;
  haltReason?: HaltReason;
  /** Gas charged to the sender after refunds (and the EIP-7623 floor). */
  gasUsed: bigint;
  gasRefunded: bigint;
  /** Gas consumed (intrinsic cost and execution) before refunds and the EIP-7623 floor. */
  gasSpent: bigint;
  /**
   * Work units this execution counted (estimated nanoseconds of CPU, see work.ts): what the
   * deterministic time cap counts, to be billed with the gas.
   */
  work: number;
  output: Uint8Array;
  logs: Log[];
  createdAddress?: Address;
  /** Every account the transaction changed, in first-touched order. */
  changes: AccountChange[];
  /** It read NUMBER, TIMESTAMP, PREVRANDAO or BLOCKHASH: its result holds in its block only. */
  readsBlock: boolean;
}

export type TxResult = TxInvalid | TxExecuted;
