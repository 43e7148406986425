import type { Address, Hex } from "../primitives/hex.ts";
import { bytesToHex } from "../primitives/hex.ts";
import type { Log } from "../evm/types.ts";
import { insertTransaction, type TxRecord } from "./transactions.ts";

export type RunKind = "call" | "simulate" | "send" | "deploy";
export type RunStatus = "success" | "reverted" | "halted" | "invalid" | "error";

export interface RunRecord {
  id: string;
  projectId: string;
  keyId: string;
  chainId: bigint;
  kind: RunKind;
  to: Address | null;
  selector: Hex | null;
  gasLimit: bigint;
  gasUsed: bigint;
  status: RunStatus;
  errorCode: string | null;
  durationMs: number;
  blockNumber: bigint;
  txHash: Hex | null;
  contractAddress: Address | null;
  /** What the run was charged, in micro-units. */
  charge: bigint;
}

/** Writes one run, with the transaction and logs of a committed one, in one D1 batch. */
export async function insertRun(db: D1Database, r: RunRecord, logs: Log[] = [], tx?: TxRecord, billing: D1PreparedStatement[] = []): Promise<void> {
  const now = Date.now();
  const statements = [
    db
      .prepare(
        `INSERT INTO runs (id, project_id, key_id, chain_id, kind, to_address, selector, gas_limit, gas_used, status, error_code, duration_ms, block_number, tx_hash, contract_address, created_at, charge)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(r.id, r.projectId, r.keyId, Number(r.chainId), r.kind, r.to, r.selector, Number(r.gasLimit), Number(r.gasUsed), r.status, r.errorCode, r.durationMs, Number(r.blockNumber), r.txHash, r.contractAddress, now, Number(r.charge)),
    ...logs.map((l, i) =>
      db
        .prepare(`INSERT INTO logs (run_id, log_index, chain_id, block_number, tx_hash, address, topic0, topic1, topic2, topic3, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .bind(r.id, i, Number(r.chainId), Number(r.blockNumber), r.txHash, l.address, l.topics[0] ?? null, l.topics[1] ?? null, l.topics[2] ?? null, l.topics[3] ?? null, bytesToHex(l.data)),
    ),
    ...(tx === undefined ? [] : [insertTransaction(db, r, tx)]),
    ...billing,
  ];
  await db.batch(statements);
}

/** A run as the API shows it. */
export interface RunView {
  id: string;
  kind: RunKind;
  to: Address | null;
  selector: Hex | null;
  gasLimit: number;
  gasUsed: number;
  status: RunStatus;
  errorCode: string | null;
  durationMs: number;
  blockNumber: number;
  txHash: Hex | null;
  contractAddress: Address | null;
  charge: number;
  createdAt: string;
}

interface RunRow {
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

function view(r: RunRow): RunView {
  return {
    id: r.id, kind: r.kind, to: r.to_address, selector: r.selector, gasLimit: r.gas_limit, gasUsed: r.gas_used, status: r.status, errorCode: r.error_code,
    durationMs: r.duration_ms, blockNumber: r.block_number, txHash: r.tx_hash, contractAddress: r.contract_address, charge: r.charge, createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Narrows a run list: each field set must match (`contract`: the run's `to` or the contract it deployed). */
export interface RunFilter {
  kind?: RunKind;
  status?: RunStatus;
  contract?: Address;
}

/** A project's runs, newest first, after the run with sequence number `before` (exclusive). */
export async function listRuns(db: D1Database, projectId: string, limit: number, before?: number, filter: RunFilter = {}): Promise<{ runs: RunView[]; last?: number }> {
  const where = ["project_id = ?", "seq < ?"];
  const params: (string | number)[] = [projectId, before ?? Number.MAX_SAFE_INTEGER];
  if (filter.kind !== undefined) where.push("kind = ?"), params.push(filter.kind);
  if (filter.status !== undefined) where.push("status = ?"), params.push(filter.status);
  if (filter.contract !== undefined) where.push("(to_address = ? OR contract_address = ?)"), params.push(filter.contract, filter.contract);
  const { results } = await db
    .prepare(`SELECT * FROM runs WHERE ${where.join(" AND ")} ORDER BY seq DESC LIMIT ?`)
    .bind(...params, limit)
    .all<RunRow>();
  return { runs: results.map(view), last: results.at(-1)?.seq };
}

export async function getRun(db: D1Database, projectId: string, id: string): Promise<(RunView & { logs: { address: Address; topics: Hex[]; data: Hex }[] }) | undefined> {
  const row = await db.prepare(`SELECT * FROM runs WHERE project_id = ? AND id = ?`).bind(projectId, id).first<RunRow>();
  if (row === null) return undefined;
  const { results } = await db
    .prepare(`SELECT address, topic0, topic1, topic2, topic3, data FROM logs WHERE run_id = ? ORDER BY log_index`)
    .bind(id)
    .all<{ address: Address; topic0: Hex | null; topic1: Hex | null; topic2: Hex | null; topic3: Hex | null; data: Hex }>();
  const logs = results.map((l) => ({ address: l.address, topics: [l.topic0, l.topic1, l.topic2, l.topic3].filter((t): t is Hex => t !== null), data: l.data }));
  return { ...view(row), logs };
}
