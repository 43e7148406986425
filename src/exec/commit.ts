import type { Outcome, Vote } from "../durable/protocol.ts";
import type { Address } from "../primitives/hex.ts";
import type { Participant } from "../state/commit-plan.ts";
import type { Chain } from "./chain.ts";
import { InjectedFault, type Fault } from "./faults.ts";

export interface CommitPlan {
  /** Unique per attempt: the key of the decision record. */
  txId: string;
  /** The run's sender: its own commit is the decision, recorded in its object. */
  decider: Address;
  participants: Participant[];
  /** Epoch ms: the end of the block the run executed in. */
  deadline: number;
  /** The sender's turn, released by the decision when it commits. */
  turn?: string;
  fault?: Fault;
}

export type CommitResult = { committed: true; turnReleased: boolean } | { committed: false; reason: Exclude<Vote, { ok: true }>["reason"] };

/**
 * Commits a run if everything it read is still current.
 *
 * One account (the sender alone): one call that validates and applies atomically.
 * Several: every account but the sender prepares (validates and holds its keys durably), in
 * parallel; then the sender validates and applies its own part and records the decision in the
 * same SQLite transaction (the sender's object is the coordinator's durable log); then every
 * other account applies. If any account refuses, those prepared are told to abort and the caller
 * re-executes. If the coordinator dies after preparing, the prepared accounts ask the sender's
 * object, which records `abort` unless the decision was made: nothing is half applied.
 */
export async function commitRun(chain: Chain, plan: CommitPlan): Promise<CommitResult> {
  const { txId, decider } = plan;
  const home = plan.participants.find((p) => p.address === decider) ?? { address: decider, reads: { storage: [] }, writes: null };
  const others = plan.participants.filter((p) => p.address !== decider);

  if (others.length > 0) {
    const votes = await Promise.allSettled(
      others.map((p) => chain.account(p.address).prepare({ txId, decider: chain.name(decider), reads: p.reads, writes: p.writes })),
    );
    const refused = votes.find((v) => v.status === "rejected" || !v.value.ok);
    if (refused !== undefined) {
      await finishAll(chain, others, txId, "abort");
      return { committed: false, reason: refused.status === "fulfilled" && !refused.value.ok ? refused.value.reason : "aborted" };
    }
    if (plan.fault === "die-after-prepare") throw new InjectedFault(plan.fault);
  }

  const { vote, turnReleased } = await decide(chain, home, plan);
  if (vote.ok && plan.fault === "die-after-decide" && others.length > 0) throw new InjectedFault(plan.fault);
  if (others.length > 0) await finishAll(chain, others, txId, vote.ok ? "commit" : "abort");
  return vote.ok ? { committed: true, turnReleased } : { committed: false, reason: vote.reason };
}

/** The sender's commit; when its answer is lost, the decision record tells what happened. */
async function decide(chain: Chain, home: Participant, plan: CommitPlan): Promise<{ vote: Vote; turnReleased: boolean }> {
  const account = chain.account(home.address);
  try {
    const vote = await account.commit({ txId: plan.txId, reads: home.reads, writes: home.writes, deadline: plan.deadline, turn: plan.turn });
    return { vote, turnReleased: vote.ok && plan.turn !== undefined };
  } catch (err) {
    console.error(`commit ${plan.txId}: no answer from the sender's object, asking its decision record`, err);
    const outcome = await account.resolve(plan.txId);
    return { vote: outcome === "commit" ? { ok: true } : { ok: false, reason: "aborted" }, turnReleased: false };
  }
}

/** Tells each prepared account the outcome; one that does not hear it resolves it itself. */
async function finishAll(chain: Chain, parts: Participant[], txId: string, outcome: Outcome): Promise<void> {
  const done = await Promise.allSettled(parts.map((p) => chain.account(p.address).finish(txId, outcome)));
  for (const d of done) if (d.status === "rejected") console.error(`finish ${txId} (${outcome}) failed; the account resolves it from the decision record`, d.reason);
}
