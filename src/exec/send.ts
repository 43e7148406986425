import type { Address, Hex } from "../primitives/hex.ts";
import type { BlockEnv, Tx, TxExecuted, TxInvalid } from "../evm/types.ts";
import { commitPlan } from "../state/commit-plan.ts";
import type { ObservedAccount } from "../state/do-source.ts";
import { currentBlock } from "./block.ts";
import { capHit } from "./caps.ts";
import type { Chain } from "./chain.ts";
import { commitRun, type CommitResult } from "./commit.ts";
import { runLimits, type Config } from "./config.ts";
import { ServiceError } from "./errors.ts";
import { execute } from "./execute.ts";
import { InjectedFault, type Fault } from "./faults.ts";
import { buildTx, txHash, type TxRequest } from "./tx.ts";

/** Re-executions on conflict, and the time they may take in all. */
const MAX_ATTEMPTS = 64;
const MAX_RETRY_MS = 20_000;

export type SendResult =
  | { committed: true; result: TxExecuted; hash: Hex; block: BlockEnv; stamp: number; tx: Tx; observed: ObservedAccount[] }
  | { committed: false; invalid: TxInvalid }
  | { committed: false; cap: ServiceError; result: TxExecuted; block: BlockEnv };

/**
 * Executes a transaction and commits it, re-executing on conflict. The sender's sends run one at
 * a time (its turn, see SenderQueue); within its turn a send retries until it commits or gives
 * up with 409 `conflict`. An invalid transaction (e.g. not enough balance for the value) and a
 * run that hits a cap commit nothing.
 */
export async function send(chain: Chain, config: Config, req: TxRequest, fault?: Fault): Promise<SendResult> {
  return sendTx(chain, config, { from: req.from, build: (nonce) => buildTx(req, nonce, chain.id), hash: txHash }, fault);
}

/** A transaction to send: built for the sender's current nonce (REST) or fixed and signed (JSON-RPC). */
export interface Sendable {
  from: Address;
  build(nonce: bigint): Tx;
  hash(tx: Tx): Hex;
}

/**
 * `block` of a committed send is the block its commit falls in (see Account.commit): the block it
 * ran in when it read NUMBER, TIMESTAMP, PREVRANDAO or BLOCKHASH, else possibly a later one.
 */
export async function sendTx(chain: Chain, config: Config, req: Sendable, fault?: Fault, defer?: (work: Promise<unknown>) => void): Promise<SendResult> {
  const sender = chain.account(req.from);
  const turn = crypto.randomUUID();
  const first = await sender.beginTurn(turn, { code: true, slots: [] });
  if (!first.granted) throw new ServiceError(429, "sender_busy", "too many sends of this API key are waiting; retry shortly", { "retry-after": "1" });
  let released = false;
  try {
    const start = Date.now();
    for (let attempt = 0; attempt < MAX_ATTEMPTS && Date.now() - start < MAX_RETRY_MS; attempt++) {
      const source = chain.source();
      if (attempt === 0) source.remember(req.from, first.load);
      await source.load([{ kind: "account", address: req.from }]);
      const block = currentBlock(chain.id, config);
      const tx = req.build(source.info(req.from)?.nonce ?? 0n);
      const result = await execute(source, tx, block.env, true, runLimits(config));
      if (!result.valid) return { committed: false, invalid: result };
      const cap = capHit(result);
      if (cap !== undefined) return { committed: false, cap, result, block: block.env };
      const participants = commitPlan(source.readSets(), result.changes, (a) => source.observedInfo(a));
      const outcome = await commitRun(chain, { txId: crypto.randomUUID(), decider: req.from, participants, block: Number(block.env.number), readsBlock: result.readsBlock, turn, fault, defer });
      if (outcome.committed) {
        released = outcome.turnReleased;
        const placed = placedIn(chain.id, config, block.env, outcome.block);
        return { committed: true, result, hash: req.hash(tx), block: placed, stamp: outcome.stamp, tx, observed: source.observedState() };
      }
      await backOff(attempt, outcome);
    }
    throw new ServiceError(409, "conflict", "the state this transaction reads kept changing under it; retry it");
  } catch (err) {
    // A coordinator that "died" cleans nothing up: its turn lapses with its lease.
    if (err instanceof InjectedFault) released = true;
    throw err;
  } finally {
    if (!released) await sender.endTurn(turn).catch((err) => console.error("could not end a sender turn; its lease lapses", err));
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
function backOff(attempt: number, refused: Exclude<CommitResult, { committed: true }>): Promise<void> {
  if (refused.reason !== "locked") return Promise.resolve();
  const jitter = Math.random() * Math.min(50, 2 * 2 ** Math.min(attempt, 5));
  const ms = attempt < 6 || refused.retryAfterMs === undefined ? jitter : Math.min(refused.retryAfterMs, 1000);
  return new Promise((r) => setTimeout(r, ms));
}
