import type { Address, Hex } from "../primitives/hex.ts";
import type { RunRecord } from "./runs.ts";

/** A committed transaction, as the transactions table keeps it (see migrations/0002). */
export interface TxRecord {
  hash: Hex;
  from: Address;
  to: Address | null;
  status: 0 | 1;
  gasUsed: bigint;
  effectiveGasPrice: bigint;
  contractAddress: Address | null;
  /** eth_getTransactionByHash's object, without blockHash, blockNumber and transactionIndex. */
  json: Record<string, unknown>;
  /** The transaction and what it read, to replay it (src/exec/replay.ts). */
  replay: unknown;
}
/** The transaction row of a committed run (goes in the run's batch, after the run row). */
export function insertTransaction(db: D1Database, r: RunRecord, tx: TxRecord): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO transactions (chain_id, hash, run_id, run_seq, block_number, from_address, to_address, status, gas_used, effective_gas_price, contract_address, tx_json, replay_json)
       VALUES (?, ?, ?, (SELECT seq FROM runs WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(Number(r.chainId), tx.hash, r.id, r.id, Number(r.blockNumber), tx.from, tx.to, tx.status, Number(tx.gasUsed), tx.effectiveGasPrice.toString(), tx.contractAddress, JSON.stringify(tx.json), JSON.stringify(tx.replay));
}

export interface TxRow {
  hash: Hex;
  run_id: string;
  run_seq: number;
  block_number: number;
  from_address: Address;
  to_address: Address | null;
  status: number;
  gas_used: number;
  effective_gas_price: string;
  contract_address: Address | null;
  tx_json: string;
  replay_json: string;
}

export interface LogRow {
  run_id: string;
  log_index: number;
  block_number: number;
  tx_hash: Hex;
  address: Address;
  topic0: Hex | null;
  topic1: Hex | null;
  topic2: Hex | null;
  topic3: Hex | null;
  data: Hex;
}

export async function findTransaction(db: D1Database, chainId: bigint, hash: Hex): Promise<TxRow | null> {
  return db.prepare(`SELECT * FROM transactions WHERE chain_id = ? AND hash = ?`).bind(Number(chainId), hash).first<TxRow>();
}

/** A block's transactions in order. */
export async function blockTransactions(db: D1Database, chainId: bigint, block: bigint): Promise<TxRow[]> {
  const { results } = await db.prepare(`SELECT * FROM transactions WHERE chain_id = ? AND block_number = ? ORDER BY run_seq`).bind(Number(chainId), Number(block)).all<TxRow>();
  return results;
}


/** A log with its place in the chain: block, transaction index and index within the block. */
export interface PlacedLog extends LogRow {
  tx_index: number;
  block_log_index: number;
}

const PLACED_LOG_SELECT = `SELECT l.*,
  (SELECT COUNT(*) FROM transactions t3 WHERE t3.chain_id = t.chain_id AND t3.block_number = t.block_number AND t3.run_seq < t.run_seq) AS tx_index,
  l.log_index + (SELECT COUNT(*) FROM logs l2 JOIN transactions t2 ON t2.run_id = l2.run_id
                 WHERE t2.chain_id = t.chain_id AND t2.block_number = t.block_number AND t2.run_seq < t.run_seq) AS block_log_index
  FROM logs l JOIN transactions t ON t.run_id = l.run_id`;

/** Where a transaction stands in its block: index, gas used by it and those before, logs before it. */
export async function placeInBlock(db: D1Database, chainId: bigint, row: TxRow): Promise<{ index: number; cumulativeGas: number; logsBefore: number }> {
  const r = await db
    .prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(gas_used), 0) AS gas,
         (SELECT COUNT(*) FROM logs l JOIN transactions t2 ON t2.run_id = l.run_id WHERE t2.chain_id = ?1 AND t2.block_number = ?2 AND t2.run_seq < ?3) AS logs
       FROM transactions WHERE chain_id = ?1 AND block_number = ?2 AND run_seq < ?3`,
    )
    .bind(Number(chainId), row.block_number, row.run_seq)
    .first<{ n: number; gas: number; logs: number }>();
  return { index: r?.n ?? 0, cumulativeGas: (r?.gas ?? 0) + row.gas_used, logsBefore: r?.logs ?? 0 };
}

export interface LogQuery {
  chainId: bigint;
  fromBlock: bigint;
  toBlock: bigint;
  addresses?: Address[];
  /** Per position: the topics any of which may match; undefined = any. */
  topics: (Hex[] | undefined)[];
  limit: number;
}

/** Logs of committed transactions matching an eth_getLogs filter, in chain order (at most `limit`). */
export async function queryLogs(db: D1Database, q: LogQuery): Promise<PlacedLog[]> {
  const where = ["l.chain_id = ?", "l.block_number BETWEEN ? AND ?"];
  const params: (string | number)[] = [Number(q.chainId), Number(q.fromBlock), Number(q.toBlock)];
  if (q.addresses !== undefined) {
    where.push(`l.address IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(q.addresses));
  }
  q.topics.forEach((alternatives, i) => {
    if (alternatives === undefined) return;
    where.push(`l.topic${i} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(alternatives));
  });
  const { results } = await db
    .prepare(`${PLACED_LOG_SELECT} WHERE ${where.join(" AND ")} ORDER BY l.block_number, t.run_seq, l.log_index LIMIT ?`)
    .bind(...params, q.limit)
    .all<PlacedLog>();
  return results;
}

/** The logs of one run (a receipt's), placed. */
export async function logsOfRun(db: D1Database, runId: string): Promise<PlacedLog[]> {
  const { results } = await db.prepare(`${PLACED_LOG_SELECT} WHERE l.run_id = ? ORDER BY l.log_index`).bind(runId).all<PlacedLog>();
  return results;
}

/** The numbers of the blocks that hold transactions (newest first, at most `limit`). */
export async function blocksWithTransactions(db: D1Database, chainId: bigint, limit: number): Promise<bigint[]> {
  const { results } = await db
    .prepare(`SELECT DISTINCT block_number FROM transactions WHERE chain_id = ? ORDER BY block_number DESC LIMIT ?`)
    .bind(Number(chainId), limit)
    .all<{ block_number: number }>();
  return results.map((r) => BigInt(r.block_number));
}

/** The newest block holding a transaction of the chain (undefined for a chain without any). */
export async function lastTransactionBlock(db: D1Database, chainId: bigint): Promise<bigint | undefined> {
  const r = await db.prepare(`SELECT MAX(block_number) AS n FROM transactions WHERE chain_id = ?`).bind(Number(chainId)).first<{ n: number | null }>();
  return r?.n === null || r?.n === undefined ? undefined : BigInt(r.n);
}
