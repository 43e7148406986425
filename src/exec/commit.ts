import type { AccountName, Outcome, RecordedCommit, Refusal } from "../durable/protocol.ts";
import type { Address } from "../primitives/hex.ts";
import type { Participant } from "../state/commit-plan.ts";
import type { Chain } from "./chain.ts";
import { InjectedFault, type Fault } from "./faults.ts";
import { errorFields, logEvent } from "../primitives/log.ts";

export interface CommitPlan {
  /** Unique per attempt: the key of the decision record. */
  txId: string;
  /** The run's sender: its own commit is the decision, recorded in its object. */
  decider: Address;
  participants: Participant[];
  /** The block the run executed in, and whether its result depends on that block. */
  block: number;
  readsBlock: boolean;
  /** The sender's turn, released by the decision when it commits. */
  turn?: string;
  /** The run's record, written by the sender's object with the decision (see Account.commit). */
  record?: RecordedCommit;
  fault?: Fault;
  /** Work that may finish after the answer (the Worker's waitUntil). */
  defer?: (work: Promise<unknown>) => void;
}

export type CommitResult =
  | { committed: true; turnReleased: boolean; stamp: number; block: number }
  | { committed: false; refusal: Refusal };

/**
 * Commits a run if everything it read is still current.
 *
 * One account (the sender alone): one call that validates and applies atomically.
 * Several: every account but the sender prepares (validates and holds its keys durably), in
 * parallel; then the sender validates and applies its own part and records the decision in the
 * same SQLite transaction (the sender's object is the coordinator's durable log), stamped after
 * every prepare; then every other account applies. If any account refuses, those prepared are
 * told to abort and the caller re-executes. If the coordinator dies after preparing, the prepared
 * accounts ask the sender's object, which records `abort` unless the decision was made: nothing
 * is half applied. The decision is kept until every participant has applied it.
 */
export async function commitRun(chain: Chain, plan: CommitPlan): Promise<CommitResult> {
  const { txId, decider } = plan;
  const home = plan.participants.find((p) => p.address === decider) ?? { address: decider, reads: { storage: [] }, writes: null };
  const others = plan.participants.filter((p) => p.address !== decider);

  let after = 0;
  if (others.length > 0) {
    const votes = await Promise.allSettled(
      others.map((p) => chain.account(p.address).prepare({ txId, decider: chain.name(decider), reads: p.reads, writes: p.writes })),
    );
    const refused = votes.find((v) => v.status === "rejected" || !v.value.ok);
    if (refused !== undefined) {
      await finishAll(chain, others, txId, "abort", 0);
      if (refused.status === "fulfilled" && !refused.value.ok) return { committed: false, refusal: refused.value };
      return { committed: false, refusal: { ok: false, reason: "aborted" } };
    }
    for (const v of votes) if (v.status === "fulfilled" && v.value.ok && v.value.stamp > after) after = v.value.stamp;
    if (plan.fault === "die-after-prepare") throw new InjectedFault(plan.fault);
  }

  const decided = await decide(chain, home, plan, after, others.map((p) => chain.name(p.address)));
  if (decided.committed && plan.fault === "die-after-decide" && others.length > 0) throw new InjectedFault(plan.fault);
  if (others.length > 0) {
    const told = await finishAll(chain, others, txId, decided.committed ? "commit" : "abort", decided.committed ? decided.stamp : 0);
    if (decided.committed) {
      const done = chain.account(decider).finished(txId, told).catch((e) => logEvent("error", "commit_finish_unreported", { txId, ...errorFields(e) }));
      if (plan.defer !== undefined) plan.defer(done);
      else await done;
    }
  }
  return decided;
}

/** The sender's commit; when its answer is lost, the decision record tells what happened. */
async function decide(chain: Chain, home: Participant, plan: CommitPlan, after: number, participants: AccountName[]): Promise<CommitResult> {
  const account = chain.account(home.address);
  try {
    const vote = await account.commit({ txId: plan.txId, reads: home.reads, writes: home.writes, block: plan.block, clock: chain.base?.clock, readsBlock: plan.readsBlock, after, participants, turn: plan.turn, record: plan.record });
    if (!vote.ok) return { committed: false, refusal: vote };
    return { committed: true, turnReleased: plan.turn !== undefined, stamp: vote.stamp, block: vote.block };
  } catch (err) {
    logEvent("warn", "commit_unanswered", { txId: plan.txId, ...errorFields(err) });
    const d = await account.resolve(plan.txId);
    if (d.outcome !== "commit") return { committed: false, refusal: { ok: false, reason: "aborted" } };
    // Committed, its answer lost: ask the same commit again (idempotent) for its block.
    const vote = await account.commit({ txId: plan.txId, reads: home.reads, writes: home.writes, block: plan.block, clock: chain.base?.clock, readsBlock: plan.readsBlock, after, participants });
    return vote.ok ? { committed: true, turnReleased: false, stamp: vote.stamp, block: vote.block } : { committed: false, refusal: { ok: false, reason: "aborted" } };
  }
}

/** Tells each prepared account the outcome; one that does not hear it resolves it itself. Answers those told. */
async function finishAll(chain: Chain, parts: Participant[], txId: string, outcome: Outcome, stamp: number): Promise<AccountName[]> {
  const done = await Promise.allSettled(parts.map((p) => chain.account(p.address).finish(txId, outcome, stamp)));
  const told: AccountName[] = [];
  done.forEach((d, i) => {
    if (d.status === "fulfilled") told.push(chain.name(parts[i].address));
    else logEvent("error", "commit_finish_failed", { txId, outcome, ...errorFields(d.reason) });
  });
  return told;
}
