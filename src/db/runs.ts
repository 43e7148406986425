import type { Log } from "../evm/types.ts";
import { bytesToHex } from "../primitives/hex.ts";

export interface RunRecord {
  id: string;
  projectId: string;
  keyId: string;
  kind: "call" | "simulate" | "send" | "deploy";
  to: string | null;
  selector: string | null;
  gasLimit: number;
  gasUsed: number;
  status: string;
  errorCode: string | null;
  durationMs: number;
  blockNumber: number;
  txHash: string | null;
}

/** Writes one run (and the logs of a committed one) in one D1 batch. */
export async function logRun(db: D1Database, r: RunRecord, logs: Log[] = []): Promise<void> {
  const stmts = [
    db
      .prepare(
        `INSERT INTO runs (id, project_id, key_id, kind, to_address, selector, gas_limit, gas_used, status, error_code, duration_ms, block_number, tx_hash, created_at, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM runs))`,
      )
      .bind(r.id, r.projectId, r.keyId, r.kind, r.to, r.selector, r.gasLimit, r.gasUsed, r.status, r.errorCode, r.durationMs, r.blockNumber, r.txHash, Date.now()),
    ...logs.map((l, i) =>
      db.prepare(`INSERT INTO logs (run_id, log_index, address, topics, data, block_number) VALUES (?, ?, ?, ?, ?, ?)`).bind(r.id, i, l.address, JSON.stringify(l.topics), bytesToHex(l.data), r.blockNumber),
    ),
  ];
  await db.batch(stmts);
}

const COLUMNS = `id, kind, to_address AS "to", selector, gas_limit AS gasLimit, gas_used AS gasUsed, status, error_code AS errorCode, duration_ms AS durationMs, block_number AS blockNumber, tx_hash AS txHash, created_at AS createdAt, seq`;

export async function listRuns(db: D1Database, projectId: string, limit: number, before?: number) {
  const rows = await db
    .prepare(`SELECT ${COLUMNS} FROM runs WHERE project_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`)
    .bind(projectId, before ?? Number.MAX_SAFE_INTEGER, limit)
    .all<Record<string, unknown> & { seq: number }>();
  return rows.results;
}

export async function getRun(db: D1Database, projectId: string, id: string) {
  return db.prepare(`SELECT ${COLUMNS} FROM runs WHERE project_id = ? AND id = ?`).bind(projectId, id).first<Record<string, unknown>>();
}
