import type { AccountLoad, ReadSet, WriteSet } from "../state/sets.ts";

/** What the Worker and the Account objects exchange over RPC (besides src/state/sets.ts). */

/** The Durable Object name of an account: `<chainId>:<address>` (a fork's: `fork:…:<address>`, see Chain). */
export type AccountName = `${string}:0x${string}`;

/** Single-account commit, or the decision step of a multi-account commit. */
export interface CommitRequest {
  txId: string;
  reads: ReadSet;
  writes: WriteSet | null;
  /** Epoch ms: refuse after this (the end of the block the run executed in). */
  deadline: number;
  /** A sender turn (see SenderQueue) to release with the commit. */
  turn?: string;
}

export interface PrepareRequest {
  txId: string;
  /** The account whose decision record settles this transaction. */
  decider: AccountName;
  reads: ReadSet;
  writes: WriteSet | null;
}

/**
 * An account's answer: `stale` (a value read has changed), `locked` (a key is held by a prepared
 * transaction), `late` (the block deadline passed), `aborted` (the decision record already says
 * abort: the coordinator was presumed dead).
 */
export type Vote = { ok: true } | { ok: false; reason: "stale" | "locked" | "late" | "aborted"; detail?: string };

export type Outcome = "commit" | "abort";

/** A sender's turn, granted with the sender's account load, or refused when the queue is full. */
export type TurnReply = { granted: true; load: AccountLoad } | { granted: false };

/** What an account holds besides its state, for tests and operators. */
export interface AccountInspection {
  prepared: { txId: string; decider: string; ageMs: number }[];
  locks: { key: string; txId: string; mode: "r" | "w" }[];
  decisions: number;
  /** Sends waiting for this sender's turn. */
  waitingTurns: number;
}
