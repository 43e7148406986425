import { openMeter } from "../billing/meter.ts";
import { insertRun, type RunKind, type RunStatus } from "../db/runs.ts";
import type { TxRecord } from "../db/transactions.ts";
import { bytesToHex, type Address, type Hex } from "../primitives/hex.ts";
import type { Log, TxResult } from "../evm/types.ts";
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

/** How a run ended, for its row in the run log. */
export interface RunEnd {
  status: RunStatus;
  errorCode: string | null;
  gasUsed: bigint;
  blockNumber: bigint;
  txHash?: Hex;
  contractAddress?: Address;
  /** Logs to store: those of a committed run. */
  logs?: Log[];
  /** The transaction of a committed run. */
  tx?: TxRecord;
}

/** The run-log fields of an execution result. */
export function endOf(r: TxResult, blockNumber: bigint): RunEnd {
  if (!r.valid) return { status: "invalid", errorCode: r.error, gasUsed: 0n, blockNumber };
  const errorCode = r.status === "success" ? null : r.status === "reverted" ? "reverted" : (r.haltReason ?? "halted");
  return { status: r.status, errorCode, gasUsed: r.gasUsed, blockNumber };
}

/** What a run's work produced: its answer and log row, or the error to answer with once logged. */
export type Worked<T> = { value: T; end: RunEnd } | { error: ServiceError; end: RunEnd };

/** The row of a run that executed but hit a cap: an error, with the gas it did use. */
export function capped(error: ServiceError, gasUsed: bigint, blockNumber: bigint): { error: ServiceError; end: RunEnd } {
  return { error, end: { status: "error", errorCode: error.code, gasUsed, blockNumber } };
}

/**
 * Runs `work` metered and logged, whether it ends with a result or with an error (a cap, a
 * conflict, a bug): first the most the run can cost is reserved from the project's credit (402
 * `insufficient_credit` and nothing runs when it does not cover it); then the run's one row is
 * written together with its charge, the settlement of the reservation and the usage rollup, in
 * one D1 batch. So every charge is in the run log exactly once, and credit never goes negative.
 */
export async function logged<T>(ctx: RunContext, start: RunStart, work: (runId: string) => Promise<Worked<T>>): Promise<T> {
  const runId = `run_${crypto.randomUUID().replaceAll("-", "")}`;
  const meter = await openMeter(ctx.env.DB, ctx.env, ctx.caller.projectId, start.kind, start.gasLimit);
  if (meter === undefined) {
    throw new ServiceError(402, "insufficient_credit", "the project's credit does not cover this run's most possible cost (its gas limit at the gas price): add credit, or ask for less gas");
  }
  const began = Date.now();
  const base = {
    id: runId, projectId: ctx.caller.projectId, keyId: ctx.caller.id, chainId: ctx.chain.id, kind: start.kind, to: start.to,
    selector: start.kind === "deploy" || start.data.length < 4 ? null : bytesToHex(start.data.subarray(0, 4)), gasLimit: start.gasLimit,
  };
  const write = (e: RunEnd) => {
    // A refused transaction (invalid) used no gas: it pays its kind's price only.
    const { charge, statements: billing } = meter.close(runId, e.gasUsed);
    const record = { ...base, status: e.status, errorCode: e.errorCode, gasUsed: e.gasUsed, durationMs: Date.now() - began, blockNumber: e.blockNumber, txHash: e.txHash ?? null, contractAddress: e.contractAddress ?? null, charge };
    return insertRun(ctx.env.DB, record, e.logs, e.tx, billing);
  };
  let outcome: Worked<T>;
  try {
    outcome = await work(runId);
  } catch (err) {
    if (err instanceof InjectedFault) throw err;
    const errorCode = err instanceof ServiceError ? err.code : "internal_error";
    const blockNumber = currentBlock(ctx.chain.id, ctx.config).env.number;
    await write({ status: "error", errorCode, gasUsed: 0n, blockNumber }).catch((e) => console.error("could not log a failed run", e));
    throw err;
  }
  await write(outcome.end);
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}
