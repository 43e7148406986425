import type { CommitRecord } from "../records/run.ts";
import type { BlockClock } from "../state/blocks.ts";
import type { AccountLoad, ReadSet, WriteSet } from "../state/sets.ts";
import type { StoredAnswer } from "./account-records.ts";

/** What the Worker and the Account objects exchange over RPC (besides src/state/sets.ts). */

/**
 * Thrown (over RPC) when an account is held by a transaction whose outcome cannot be learned yet
 * (its decider does not answer): an account never answers values without its pending writes.
 */
export const ACCOUNT_BUSY = "account_busy";

/** The Durable Object name of an account: `<chainId>:<address>` (a fork's: `fork:…:<address>`, see Chain). */
export type AccountName = `${string}:0x${string}`;

/** Single-account commit, or the decision step of a multi-account commit. */
export interface CommitRequest {
  txId: string;
  reads: ReadSet;
  writes: WriteSet | null;
  /** The block the run executed in: the commit is never placed before it. */
  block: number;
  /** The chain's blocks when they are not the project's clock (a persistent fork's). */
  clock?: BlockClock;
  /** The run read its block (NUMBER, TIMESTAMP…): it must commit within that block, or re-run. */
  readsBlock: boolean;
  /** The largest stamp the other participants' prepares answered: the decision is stamped after it. */
  after: number;
  /** The other participants: the decision is kept until each has applied it. */
  participants: AccountName[];
  /** A sender turn (see SenderQueue) to release with the commit. */
  turn?: string;
  /** What the commit writes to the run log (through this account's outbox), in the same transaction. */
  record?: RecordedCommit;
}

/** The record of a commit, written with its decision (the block and stamp are filled in then). */
export interface RecordedCommit {
  record: CommitRecord;
  /** The request's credit reservation: a commit of a reservation the ledger fenced is refused. */
  reservationId: string;
  /** An idempotent request's key and answer (its `blockNumber` is filled in with the decision's block). */
  idempotency?: { key: string; fingerprint: string; answer: StoredAnswer };
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
export type Refusal = { ok: false; reason: "stale" | "locked" | "late" | "aborted"; detail?: string; retryAfterMs?: number } | Final;

/** A refusal that re-executing may overcome. */
export type Retryable = Exclude<Refusal, Final>;

/**
 * Refusals that re-running cannot change: `fenced` (the request's reservation was swept: it
 * was abandoned), `duplicate` (its Idempotency-Key already committed: here is that answer).
 */
export type Final = { ok: false; reason: "fenced" } | { ok: false; reason: "duplicate"; answer: StoredAnswer };

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

/**
 * A sender's turn, granted with the sender's account load; refused when the queue is full or
 * waited too long; or, for an idempotent request, the answer its key already committed, or why
 * the key cannot be used now.
 */
export type TurnReply =
  | { granted: true; load: AccountLoad }
  | { granted: false }
  | { replay: StoredAnswer }
  | { idempotency: "in_progress" | "mismatch" };

/** An Idempotency-Key and what it was first used for (method, path and body). */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
}

/** What an account holds besides its state, for tests and operators. */
export interface AccountInspection {
  prepared: { txId: string; decider: string; ageMs: number }[];
  locks: { key: string; txId: string; mode: "r" | "w" }[];
  decisions: number;
  /** Decisions of commits some participant has not yet applied. */
  undoneDecisions: number;
  /** Sends waiting for this sender's turn. */
  waitingTurns: number;
  /** Records not yet confirmed in D1. */
  outbox: number;
  version: number;
  lastStamp: number;
}
