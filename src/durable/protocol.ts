import type { AccountLoad, ReadSet, WriteSet } from "../state/sets.ts";

/** What the Worker and the Account objects exchange over RPC (besides src/state/sets.ts). */

/**
 * Thrown (over RPC) when an account is held by a transaction whose outcome cannot be learned yet
 * (its decider does not answer): an account never answers values without its pending writes.
 */
export const ACCOUNT_BUSY = "account_busy";

/** The Durable Object name of an account: `<chainId>:<address>`. */
export type AccountName = `${bigint}:0x${string}`;

/** Single-account commit, or the decision step of a multi-account commit. */
export interface CommitRequest {
  txId: string;
  reads: ReadSet;
  writes: WriteSet | null;
  /** The block the run executed in: the commit is never placed before it. */
  block: number;
  /** The run read its block (NUMBER, TIMESTAMP…): it must commit within that block, or re-run. */
  readsBlock: boolean;
  /** The largest stamp the other participants' prepares answered: the decision is stamped after it. */
  after: number;
  /** The other participants: the decision is kept until each has applied it. */
  participants: AccountName[];
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
 * Why an account refused: `stale` (a value read has changed), `locked` (a key is held by a
 * prepared transaction; `retryAfterMs` says when it is worth trying again: at once when the
 * holder is being resolved, else when it becomes stale), `late` (a run that read its block
 * missed that block), `aborted` (the decision record already says abort: the coordinator was
 * presumed dead).
 */
export type Refusal = { ok: false; reason: "stale" | "locked" | "late" | "aborted"; detail?: string; retryAfterMs?: number };

/** A commit's answer: its stamp (its place in the chain's order) and the block that stamp falls in. */
export type Vote = { ok: true; stamp: number; block: number } | Refusal;

/** A prepare's answer: the account's clock, which the decision's stamp must pass. */
export type PrepareVote = { ok: true; stamp: number } | Refusal;

export type Outcome = "commit" | "abort";

/** The decision on a transaction, as its decider recorded it. */
export interface Decision {
  outcome: Outcome;
  /** The commit's stamp (0 for an abort). */
  stamp: number;
}

/** A sender's turn, granted with the sender's account load, or refused when the queue is full. */
export type TurnReply = { granted: true; load: AccountLoad } | { granted: false };

/** What an account holds besides its state, for tests and operators. */
export interface AccountInspection {
  prepared: { txId: string; decider: string; ageMs: number }[];
  locks: { key: string; txId: string; mode: "r" | "w" }[];
  decisions: number;
  /** Decisions of commits some participant has not yet applied. */
  undoneDecisions: number;
  /** Sends waiting for this sender's turn. */
  waitingTurns: number;
  version: number;
  lastStamp: number;
}
