import type { Address, Hex } from "../primitives/hex.ts";

/**
 * The run log's records as they travel: built by the Worker, stored in a Durable Object's outbox
 * in the same transaction as what they record, delivered to D1 by the queue. Plain JSON: numbers
 * that can pass 2^53 are decimal strings.
 */

export type RunKind = "call" | "simulate" | "send" | "deploy" | "query";
export type RunStatus = "success" | "reverted" | "halted" | "invalid" | "error";

export interface RunRow {
  id: string;
  projectId: string;
  keyId: string;
  chainId: string;
  kind: RunKind;
  to: Address | null;
  selector: Hex | null;
  gasLimit: string;
  gasUsed: string;
  status: RunStatus;
  errorCode: string | null;
  durationMs: number;
  blockNumber: string;
  txHash: Hex | null;
  contractAddress: Address | null;
  /** What the run was charged, in micro-units. */
  charge: string;
  /** Epoch ms. */
  createdAt: number;
}

/** A committed transaction (eth_getTransactionByHash's object without its block fields, and its receipt's). */
export interface TxRow {
  hash: Hex;
  from: Address;
  to: Address | null;
  status: 0 | 1;
  gasUsed: string;
  effectiveGasPrice: string;
  contractAddress: Address | null;
  json: Record<string, unknown>;
}

export interface LogRow {
  address: Address;
  topics: Hex[];
  data: Hex;
}

/**
 * What a commit writes to its sender's outbox, in the same transaction as the commit decision:
 * the run with its charge, the transaction, its logs, and what it takes to replay it. The block
 * and the stamp (the commit's place in the chain) are filled in by the account at the decision.
 */
export interface CommitRecord {
  run: RunRow;
  tx: TxRow;
  logs: LogRow[];
  /** JSON of src/exec/replay.ts's ReplayRecord (code over 1 KiB by hash only). */
  replay: string;
  stamp: number;
}

/** What an account's outbox holds: a commit's record, and the reservation it was charged to. */
export type AccountRecord = { type: "commit"; record: CommitRecord; reservationId: string };

/** A run as the API shows it (REST, and the console reading it). */
export interface RunView {
  id: string;
  kind: RunKind;
  to: Address | null;
  selector: Hex | null;
  gasLimit: number;
  gasUsed: number;
  status: RunStatus;
  errorCode: string | null;
  durationMs: number;
  blockNumber: number;
  txHash: Hex | null;
  contractAddress: Address | null;
  charge: number;
  createdAt: string;
}
