import type { StoredAnswer } from "../durable/account-records.ts";
import type { IdempotencyClaim, RecordedCommit, Retryable } from "../durable/protocol.ts";
import type { Address, Hex } from "../primitives/hex.ts";
import type { BlockEnv, Tx, TxExecuted, TxInvalid } from "../evm/types.ts";
import { commitPlan } from "../state/commit-plan.ts";
import type { ObservedAccount } from "../state/do-source.ts";
import { currentBlock } from "./block.ts";
import { capHit } from "./caps.ts";
import type { Chain } from "./chain.ts";
import { commitRun } from "./commit.ts";
import type { Config } from "./config.ts";
import { badRequest, ServiceError } from "./errors.ts";
import { execute } from "./execute.ts";
import { loadHints } from "./load-hints.ts";
import { InjectedFault, type Fault } from "./faults.ts";
import type { ExecMeter } from "./meter.ts";
import { errorFields, logEvent } from "../primitives/log.ts";

/** Re-executions on conflict, and the time they may take in all (the request's budget bounds their work). */
const MAX_ATTEMPTS = 64;
const MAX_RETRY_MS = 20_000;

/** An execution that may commit: what the record of its commit is made from. */
export interface Executed {
  result: TxExecuted;
  tx: Tx;
  hash: Hex;
  /** The block it ran in. */
  block: BlockEnv;
  observed: ObservedAccount[];
}

export type SendResult =
  | ({ kind: "committed"; stamp: number } & Executed)
  | { kind: "invalid"; invalid: TxInvalid }
  | { kind: "cap"; cap: ServiceError; result: TxExecuted; block: BlockEnv }
  /** An idempotent request whose key already committed: its first answer, and nothing ran this time. */
  | { kind: "replay"; answer: StoredAnswer; executed: boolean };

/** A transaction to send: built for the sender's current nonce (REST) or fixed and signed (JSON-RPC). */
export interface Sendable {
  from: Address;
  build(nonce: bigint): Tx;
  hash(tx: Tx): Hex;
}

export interface SendOptions {
  fault?: Fault;
  defer?: (work: Promise<unknown>) => void;
  idempotency?: IdempotencyClaim;
  /** The record to commit with an execution (made per attempt: its charge grows with each). */
  record(x: Executed): RecordedCommit;
}

/**
 * Executes a transaction and commits it, re-executing on conflict. The sender's sends run one at
 * a time (its turn, see SenderQueue); within its turn a send retries until it commits or gives
 * up with 409 `conflict`. An invalid transaction (e.g. not enough balance for the value) and a
 * run that hits a cap commit nothing. The commit writes the run's record in the sender's object
 * (its outbox), so a committed transaction never lacks its record. `block` of a committed send
 * is the block its commit falls in: the block it ran in when it read NUMBER, TIMESTAMP,
 * PREVRANDAO or BLOCKHASH, else possibly a later one.
 */
export async function sendTx(chain: Chain, meter: ExecMeter, req: Sendable, opts: SendOptions): Promise<SendResult> {
  const config = meter.config;
  const sender = chain.account(req.from);
  const turn = crypto.randomUUID();
  // The target (and the slots its function read last time) loads while the sender's turn is
  // asked for: one round trip fewer. Read before the turn, it may be stale by then: the commit
  // validates it, as every read.
  const early = chain.source();
  const probe = req.build(0n);
  const target = probe.to === null || probe.to === req.from ? Promise.resolve() : early.load([{ kind: "account", address: probe.to }, { kind: "code", address: probe.to }], loadHints.for(probe));
  target.catch(() => {});
  const asked = await chain.asked({ code: true, slots: [] });
  const first = await sender.beginTurn(turn, asked.req, opts.idempotency).catch((e: unknown) => {
    asked.release();
    throw chain.loadError(e);
  });
  // What the base read held of the credit: its use is counted below (chain.counted) with no
  // await in between, so nothing else sees the credit in the meantime.
  asked.release();
  if ("replay" in first) return { kind: "replay", answer: first.replay as StoredAnswer, executed: false };
  if ("idempotency" in first) {
    if (first.idempotency === "in_progress") throw new ServiceError(409, "idempotency_in_progress", "a request with this Idempotency-Key is still running; retry after it ends");
    throw badRequest("idempotency_key_reused", "this Idempotency-Key was used with a different request; use a new key");
  }
  if (!first.granted) throw new ServiceError(429, "sender_busy", "too many sends of this API key are waiting; retry shortly", { "retry-after": "1" });
  let released = false;
  try {
    chain.counted(first.load);
    const start = Date.now();
    for (let attempt = 0; attempt < MAX_ATTEMPTS && Date.now() - start < MAX_RETRY_MS; attempt++) {
      const source = attempt === 0 ? early : chain.source();
      if (attempt === 0) {
        await target;
        source.remember(req.from, first.load);
      }
      await source.load([{ kind: "account", address: req.from }]);
      const block = currentBlock(chain.id, config);
      const tx = req.build(source.info(req.from)?.nonce ?? 0n);
      const result = await execute(source, tx, block.env, true, meter);
      if (!result.valid) return { kind: "invalid", invalid: result };
      const cap = capHit(result);
      if (cap !== undefined) return { kind: "cap", cap, result, block: block.env };
      const executed: Executed = { result, tx, hash: req.hash(tx), block: block.env, observed: source.observedState() };
      const participants = commitPlan(source.readSets(), result.changes, (a) => source.observedInfo(a));
      const outcome = await commitRun(chain, { txId: crypto.randomUUID(), decider: req.from, participants, block: Number(block.env.number), readsBlock: result.readsBlock, turn, fault: opts.fault, defer: opts.defer, record: opts.record(executed) });
      if (outcome.committed) {
        released = outcome.turnReleased;
        return { kind: "committed", stamp: outcome.stamp, ...executed, block: placedIn(chain.id, config, block.env, outcome.block) };
      }
      const r = outcome.refusal;
      if (r.reason === "duplicate") return { kind: "replay", answer: r.answer as StoredAnswer, executed: true };
      if (r.reason === "fenced") throw new ServiceError(409, "request_abandoned", "this request outlived its credit reservation and was settled as abandoned; send it again");
      await backOff(attempt, r);
    }
    throw new ServiceError(409, "conflict", "the state this transaction reads kept changing under it; retry it");
  } catch (err) {
    // A coordinator that "died" cleans nothing up: its turn lapses with its lease.
    if (err instanceof InjectedFault) released = true;
    throw err;
  } finally {
    if (!released) await sender.endTurn(turn).catch((err) => logEvent("error", "sender_turn_not_ended", errorFields(err)));
  }
}

/** The block a commit fell in (the run's own, or a later one for a run that did not read its block). */
function placedIn(chainId: bigint, config: Config, ran: BlockEnv, committedIn: number): BlockEnv {
  if (BigInt(committedIn) === ran.number) return ran;
  return currentBlock(chainId, config, Number(config.genesisTime + BigInt(committedIn) * config.blockTimeSeconds) * 1000).env;
}

/**
 * A stale read or a lapsed block re-executes at once (loads wait for the writes being applied).
 * A key held by another transaction's prepare: a few quick retries with jitter (a live holder
 * finishes in milliseconds), then wait as long as the account says the holder may keep it (until
 * it is stale; a stale holder is resolved by the account that meets it), so a dead coordinator's
 * lock does not use up the retries before it can be resolved.
 */
function backOff(attempt: number, refused: Retryable): Promise<void> {
  if (refused.reason !== "locked") return Promise.resolve();
  const jitter = Math.random() * Math.min(50, 2 * 2 ** Math.min(attempt, 5));
  const ms = attempt < 6 || refused.retryAfterMs === undefined ? jitter : Math.min(refused.retryAfterMs, 1000);
  return new Promise((r) => setTimeout(r, ms));
}
