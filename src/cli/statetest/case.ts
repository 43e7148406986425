import { runTxSync } from "../../evm/run.ts";
import { forkFromName } from "../../evm/fork.ts";
import type { Tx } from "../../evm/types.ts";
import { logsHash, stateRoot } from "../../state/state-root.ts";
import { diffState } from "./diff.ts";
import type { PostEntry, StateTest } from "./fixture.ts";
import { buildBlock, buildPreState, buildTx, chainIdOf, TxFieldError } from "./parse.ts";

export interface CaseVerdict {
  pass: boolean;
  /** Why it failed, in one line. */
  reason?: string;
}

/**
 * Runs one post entry of a state test: the indexed transaction against the pre-state, then the
 * state root and logs hash against the expected ones. Never throws: a crash is a failure.
 */
export function runCase(test: StateTest, forkName: string, entry: PostEntry): CaseVerdict {
  try {
    return check(test, forkName, entry);
  } catch (e) {
    const err = e as Error;
    const where = err.stack?.split("\n").find((l) => l.includes("/src/"))?.trim() ?? "";
    return { pass: false, reason: `threw ${err.name}: ${err.message}${where ? ` (${where})` : ""}` };
  }
}

function check(test: StateTest, forkName: string, entry: PostEntry): CaseVerdict {
  const fork = forkFromName(forkName);
  if (fork === undefined) return { pass: false, reason: `fork ${forkName} is not supported` };
  const state = buildPreState(test.pre);
  let tx: Tx;
  try {
    tx = buildTx(test.transaction, entry.indexes, chainIdOf(test));
  } catch (e) {
    if (!(e instanceof TxFieldError)) throw e;
    if (entry.expectException !== undefined) return { pass: true };
    return { pass: false, reason: `transaction cannot be encoded (${e.message}) but no exception is expected` };
  }
  const result = runTxSync({ source: state, tx, block: buildBlock(test, forkName), fork });

  if (entry.expectException !== undefined) {
    if (result.valid) return { pass: false, reason: `expected exception ${entry.expectException} not raised (tx ran: ${result.status})` };
    // The transaction was rejected, so the state must be the pre-state.
    const root = stateRoot(state);
    if (root !== entry.hash.toLowerCase()) return { pass: false, reason: `root mismatch after rejected tx: got ${root} want ${entry.hash}` };
    return { pass: true };
  }
  if (!result.valid) return { pass: false, reason: `unexpected invalid tx: ${result.error} (${result.message})` };

  state.apply(result.changes);
  const root = stateRoot(state);
  const logs = logsHash(result.logs);
  const problems: string[] = [];
  if (root !== entry.hash.toLowerCase()) problems.push(`root mismatch: got ${root} want ${entry.hash}`);
  if (logs !== entry.logs.toLowerCase()) problems.push(`logs mismatch: got ${logs} want ${entry.logs} (${result.logs.length} logs)`);
  if (problems.length === 0) return { pass: true };
  problems.push(`[${result.status}${result.haltReason ? ` ${result.haltReason}` : ""}, gas ${result.gasUsed}]`);
  if (entry.state !== undefined && root !== entry.hash.toLowerCase()) {
    const diff = diffState(state, entry.state);
    if (diff.length > 0) problems.push(`diff: ${diff.join("; ")}`);
  }
  return { pass: false, reason: problems.join("; ") };
}
