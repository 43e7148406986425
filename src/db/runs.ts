import type { Address, Hex } from "../primitives/hex.ts";
import type { RunKind, RunRow, RunStatus, RunView } from "../records/run.ts";

export type { RunView };


interface RunDbRow {
  seq: number;
  id: string;
  kind: RunKind;
  to_address: Address | null;
  selector: Hex | null;
  gas_limit: number;
  gas_used: number;
  status: RunStatus;
  error_code: string | null;
  duration_ms: number;
  block_number: number;
  tx_hash: Hex | null;
  contract_address: Address | null;
  charge: number;
  created_at: number;
}

function view(r: RunDbRow): RunView {
  return {
    id: r.id, kind: r.kind, to: r.to_address, selector: r.selector, gasLimit: r.gas_limit, gasUsed: r.gas_used, status: r.status, errorCode: r.error_code,
    durationMs: r.duration_ms, blockNumber: r.block_number, txHash: r.tx_hash, contractAddress: r.contract_address, charge: r.charge, createdAt: new Date(r.created_at).toISOString(),
  };
}

/** A run record (not yet in D1) as the API shows it. */
export function viewOf(r: RunRow): RunView {
  return {
    id: r.id, kind: r.kind, to: r.to, selector: r.selector, gasLimit: Number(r.gasLimit), gasUsed: Number(r.gasUsed), status: r.status, errorCode: r.errorCode,
    durationMs: r.durationMs, blockNumber: Number(r.blockNumber), txHash: r.txHash, contractAddress: r.contractAddress, charge: Number(r.charge), createdAt: new Date(r.createdAt).toISOString(),
  };
}

/** Narrows a run list: each field set must match (`contract`: the run's `to` or the contract it deployed). */
export interface RunFilter {
  kind?: RunKind;
  status?: RunStatus;
  contract?: Address;
}

/** Where a page of runs ends: the start time and sequence number of its last run. */
export interface RunCursor {
  createdAt: number;
  seq: number;
}

/**
 * A project's runs, newest first (by the time each started; the run log receives them in any
 * order), after `before` (exclusive).
 */
export async function listRuns(db: D1Database, projectId: string, limit: number, before?: RunCursor, filter: RunFilter = {}): Promise<{ runs: RunView[]; last?: RunCursor }> {
  const b = before ?? { createdAt: Number.MAX_SAFE_INTEGER, seq: 0 };
  const where = ["project_id = ?", "(created_at < ? OR (created_at = ? AND seq < ?))"];
  const params: (string | number)[] = [projectId, b.createdAt, b.createdAt, b.seq];
  if (filter.kind !== undefined) where.push("kind = ?"), params.push(filter.kind);
  if (filter.status !== undefined) where.push("status = ?"), params.push(filter.status);
  if (filter.contract !== undefined) where.push("(to_address = ? OR contract_address = ?)"), params.push(filter.contract, filter.contract);
  const { results } = await db
    .prepare(`SELECT * FROM runs WHERE ${where.join(" AND ")} ORDER BY created_at DESC, seq DESC LIMIT ?`)
    .bind(...params, limit)
    .all<RunDbRow>();
  const last = results.at(-1);
  return { runs: results.map(view), last: last === undefined ? undefined : { createdAt: last.created_at, seq: last.seq } };
}

export async function getRun(db: D1Database, projectId: string, id: string): Promise<(RunView & { logs: { address: Address; topics: Hex[]; data: Hex }[] }) | undefined> {
  const row = await db.prepare(`SELECT * FROM runs WHERE project_id = ? AND id = ?`).bind(projectId, id).first<RunDbRow>();
  if (row === null) return undefined;
  const { results } = await db
    .prepare(`SELECT address, topic0, topic1, topic2, topic3, data FROM logs WHERE run_id = ? ORDER BY log_index`)
    .bind(id)
    .all<{ address: Address; topic0: Hex | null; topic1: Hex | null; topic2: Hex | null; topic3: Hex | null; data: Hex }>();
  const logs = results.map((l) => ({ address: l.address, topics: [l.topic0, l.topic1, l.topic2, l.topic3].filter((t): t is Hex => t !== null), data: l.data }));
  return { ...view(row), logs };
}
