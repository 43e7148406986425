import type { Address, Hex } from "../primitives/hex.ts";

/**
 * Committed transactions and their logs in D1 (see migrations/0004). A block's transactions are
 * in the order of their commit stamps (the accounts' logical clocks: a transaction that read
 * another's writes is stamped after it), whatever order the queue delivered them in.
 */

export interface TxDbRow {
  hash: Hex;
  run_id: string;
  block_number: number;
  stamp: number;
  from_address: Address;
  to_address: Address | null;
  status: number;
  gas_used: number;
  effective_gas_price: string;
  contract_address: Address | null;
  tx_json: string;
  /** Older rows kept their replay inline; newer ones in R2 under `replay_key`. */
  replay_json: string | null;
  replay_key: string | null;
  log_count: number;
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

/** A log with its place in the chain: its transaction's index and its own index within the block. */
export interface PlacedLog extends LogRow {
  tx_index: number;
  block_log_index: number;
}

export async function findTransaction(db: D1Database, chainId: bigint, hash: Hex): Promise<TxDbRow | null> {
  return db.prepare(`SELECT * FROM transactions WHERE chain_id = ? AND hash = ?`).bind(Number(chainId), hash).first<TxDbRow>();
}

/** A block's transactions in commit order. */
export async function blockTransactions(db: D1Database, chainId: bigint, block: bigint): Promise<TxDbRow[]> {
  const { results } = await db.prepare(`SELECT * FROM transactions WHERE chain_id = ? AND block_number = ? ORDER BY stamp, hash LIMIT 10000`).bind(Number(chainId), Number(block)).all<TxDbRow>();
  return results;
}

/** Where a transaction stands in its block: index, gas used by it and those before, logs before it. */
export async function placeInBlock(db: D1Database, chainId: bigint, row: TxDbRow): Promise<{ index: number; cumulativeGas: number; logsBefore: number }> {
  const r = await db
    .prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(gas_used), 0) AS gas, COALESCE(SUM(log_count), 0) AS logs FROM transactions
       WHERE chain_id = ?1 AND block_number = ?2 AND (stamp < ?3 OR (stamp = ?3 AND hash < ?4))`,
    )
    .bind(Number(chainId), row.block_number, row.stamp, row.hash)
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
  /** Only the logs written to the run log after row `after` and up to row `upTo`, of commits stamped from `since` (a filter's cursor: src/db/filter-cursors.ts). */
  rows?: { after: number; upTo: number; since: number };
}

/**
 * Logs of committed transactions matching an eth_getLogs filter, in chain order (at most
 * `limit`). The matching logs are found first through the indexes (by block and stamp, by address,
 * by topic), then placed: indexes are computed only for the blocks they fall in.
 */
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
  if (q.rows !== undefined) {
    where.push("l.rowid > ? AND l.rowid <= ? AND l.stamp >= ?");
    params.push(q.rows.after, q.rows.upTo, q.rows.since);
  }
  // Rows as arrays (raw), made into objects here: for 10,000 logs the D1 client's generic
  // row-to-object conversion cost several times the query itself.
  const rows = await db
    .prepare(
      `WITH m AS (SELECT l.run_id, l.log_index, l.block_number, l.stamp, l.tx_hash, l.address, l.topic0, l.topic1, l.topic2, l.topic3, l.data FROM logs l
                  WHERE ${where.join(" AND ")} ORDER BY l.block_number, l.stamp, l.tx_hash, l.log_index LIMIT ?),
       t AS (SELECT hash, block_number,
               ROW_NUMBER() OVER w - 1 AS tx_index,
               COALESCE(SUM(log_count) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS logs_before
             FROM transactions WHERE chain_id = ? AND block_number IN (SELECT DISTINCT block_number FROM m)
             WINDOW w AS (PARTITION BY block_number ORDER BY stamp, hash))
       SELECT m.run_id, m.log_index, m.block_number, m.tx_hash, m.address, m.topic0, m.topic1, m.topic2, m.topic3, m.data, t.tx_index, t.logs_before + m.log_index
       FROM m JOIN t ON t.hash = m.tx_hash AND t.block_number = m.block_number
       ORDER BY m.block_number, m.stamp, m.tx_hash, m.log_index`,
    )
    .bind(...params, q.limit, Number(q.chainId))
    .raw<[string, number, number, Hex, Address, Hex | null, Hex | null, Hex | null, Hex | null, Hex, number, number]>();
  return rows.map((r) => ({
    run_id: r[0], log_index: r[1], block_number: r[2], tx_hash: r[3], address: r[4], topic0: r[5], topic1: r[6], topic2: r[7], topic3: r[8], data: r[9], tx_index: r[10], block_log_index: r[11],
  }));
}

/** The logs of one committed transaction (a receipt's), placed in its block. */
export async function logsOfTransaction(db: D1Database, chainId: bigint, row: TxDbRow, logsBefore: number, index: number): Promise<PlacedLog[]> {
  const { results } = await db.prepare(`SELECT * FROM logs WHERE run_id = ? ORDER BY log_index`).bind(row.run_id).all<LogRow>();
  void chainId;
  return results.map((l) => ({ ...l, tx_index: index, block_log_index: logsBefore + l.log_index }));
}

/** The addresses and topics of a block's logs (for its bloom). */
export async function blockLogs(db: D1Database, chainId: bigint, block: bigint): Promise<LogRow[]> {
  const { results } = await db.prepare(`SELECT * FROM logs WHERE chain_id = ? AND block_number = ? LIMIT 100000`).bind(Number(chainId), Number(block)).all<LogRow>();
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

/** The replay record of a committed transaction: from R2, or inline for rows written before R2 held them. */
export async function replayOf(db: D1Database, blobs: R2Bucket, row: TxDbRow): Promise<string | undefined> {
  if (row.replay_json !== null) return row.replay_json;
  if (row.replay_key === null) return undefined;
  const obj = await blobs.get(row.replay_key);
  void db;
  return obj === null ? undefined : obj.text();
}
