import type { AccountName } from "../durable/protocol.ts";
import type { TxResult } from "../evm/types.ts";
import { bytesToHex, type Address, type Hex } from "../primitives/hex.ts";
import type { RunKind, RunRow, RunStatus } from "../records/run.ts";
import type { RunMeter } from "./budget.ts";
import { currentBlock } from "./block.ts";
import type { RunContext } from "./context.ts";
import { ServiceError } from "./errors.ts";
import { InjectedFault } from "./faults.ts";

export interface RunStart {
  kind: RunKind;
  to: Address | null;
  data: Uint8Array;
  gasLimit: bigint;
}

/** How a run ended, for its row in the run log (its gas and charge come from its meter). */
export interface RunEnd {
  status: RunStatus;
  errorCode: string | null;
  blockNumber: bigint;
  txHash?: Hex;
  contractAddress?: Address;
}

/** The run-log fields of an execution result. */
export function endOf(r: TxResult, blockNumber: bigint): RunEnd {
  if (!r.valid) return { status: "invalid", errorCode: r.error, blockNumber };
  const errorCode = r.status === "success" ? null : r.status === "reverted" ? "reverted" : (r.haltReason ?? "halted");
  return { status: r.status, errorCode, blockNumber };
}

/**
 * What a run's work produced: its answer and its row; or the error to answer with once logged;
 * or, for a committed send, the sender whose outbox holds its record (written with the commit);
 * or `nothing` when nothing ran (an idempotent replay: not a run, not charged).
 */
export type Worked<T> = { value: T; end: RunEnd } | { error: ServiceError; end: RunEnd } | { value: T; committedBy: AccountName } | { value: T; nothing: true };

/** The row of a run that executed but hit a cap: an error, charged for the gas it did use. */
export function capped(error: ServiceError, blockNumber: bigint): { error: ServiceError; end: RunEnd } {
  return { error, end: { status: "error", errorCode: error.code, blockNumber } };
}

/** A run under way: its id, its meter, and its row as it would be logged now. */
export interface OpenRun {
  id: string;
  meter: RunMeter;
  row(end: RunEnd): RunRow;
}

/**
 * Runs `work` metered and logged, whether it ends with a result or with an error (a cap, a
 * conflict, a bug): its executions go through its meter (counted against the request's budget,
 * each covered by the credit reserved before it runs); at its end, its row (with its charge: its
 * kind's price plus the gas of all its executions) joins the request's settlement, which the
 * ledger applies after the answer, once per run id. A committed send's row was written by its
 * sender's object with the commit itself.
 */
export async function logged<T>(ctx: RunContext, start: RunStart, work: (run: OpenRun) => Promise<Worked<T>>): Promise<T> {
  const id = `run_${crypto.randomUUID().replaceAll("-", "")}`;
  const meter = ctx.budget.meter(start.kind);
  const began = Date.now();
  const row = (e: RunEnd): RunRow => ({
    id, projectId: ctx.caller.projectId, keyId: ctx.caller.id, chainId: String(ctx.chain.id), kind: start.kind, to: start.to,
    selector: start.kind === "deploy" || start.data.length < 4 ? null : bytesToHex(start.data.subarray(0, 4)), gasLimit: String(start.gasLimit),
    gasUsed: String(meter.gas), status: e.status, errorCode: e.errorCode, durationMs: Date.now() - began, blockNumber: String(e.blockNumber),
    txHash: e.txHash ?? null, contractAddress: e.contractAddress ?? null, charge: String(meter.charge()), createdAt: began,
  });
  let outcome: Worked<T>;
  try {
    outcome = await work({ id, meter, row });
  } catch (err) {
    // A Worker that "dies" settles nothing: its reservation is swept as abandoned.
    if (err instanceof InjectedFault) throw err;
    const errorCode = err instanceof ServiceError ? err.code : "internal_error";
    ctx.budget.close(meter, { runId: id, row: row({ status: "error", errorCode, blockNumber: currentBlock(ctx.chain.id, ctx.config).env.number }) });
    throw err;
  }
  if ("nothing" in outcome) ctx.budget.discard(meter);
  else if ("committedBy" in outcome) ctx.budget.close(meter, { runId: id, sender: outcome.committedBy });
  else ctx.budget.close(meter, { runId: id, row: row(outcome.end) });
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}
