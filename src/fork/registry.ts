import type { Env } from "../env.ts";
import { Chain } from "../exec/chain.ts";
import type { Hex } from "../primitives/hex.ts";
import { ForkBaseHashes } from "./base-hashes.ts";
import { forkClock } from "./clock.ts";
import type { Header } from "./header.ts";
import { networkOf } from "./network.ts";
import { forkOfBlock } from "./schedule.ts";

/** A persistent fork of a project (table `forks`). */
export interface ForkRecord {
  id: string;
  projectId: string;
  network: string;
  blockNumber: number;
  blockHash: Hex;
  blockTimestamp: number;
  chainId: number;
  createdAt: number;
}

interface Row {
  id: string;
  project_id: string;
  network: string;
  block_number: number;
  block_hash: string;
  block_timestamp: number;
  chain_id: number;
  created_at: number;
}

const toRecord = (r: Row): ForkRecord => ({ id: r.id, projectId: r.project_id, network: r.network, blockNumber: r.block_number, blockHash: r.block_hash as Hex, blockTimestamp: r.block_timestamp, chainId: r.chain_id, createdAt: r.created_at });

/** Fork chain ids: above 2^32, far from the small ids of project chains; unique by the table's constraint. */
const CHAIN_ID_BASE = 2 ** 32;

export async function createFork(db: D1Database, projectId: string, network: string, header: Header): Promise<ForkRecord> {
  for (let attempt = 0; ; attempt++) {
    const rec: ForkRecord = {
      id: `fork_${crypto.randomUUID().replaceAll("-", "")}`, projectId, network, blockNumber: Number(header.number), blockHash: header.hash, blockTimestamp: Number(header.timestamp),
      chainId: CHAIN_ID_BASE + Math.floor(Math.random() * 2 ** 31), createdAt: Date.now(),
    };
    try {
      await db
        .prepare(`INSERT INTO forks (id, project_id, network, block_number, block_hash, block_timestamp, chain_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .bind(rec.id, rec.projectId, rec.network, rec.blockNumber, rec.blockHash, rec.blockTimestamp, rec.chainId, rec.createdAt)
        .run();
      return rec;
    } catch (e) {
      if (attempt >= 3 || !String(e).includes("UNIQUE")) throw e;
    }
  }
}

/** The project's fork with this id (another project's is not found). */
export async function findFork(db: D1Database, projectId: string, id: string): Promise<ForkRecord | undefined> {
  if (!/^fork_[0-9a-f]{32}$/.test(id)) return undefined;
  const row = await db.prepare(`SELECT * FROM forks WHERE id = ? AND project_id = ?`).bind(id, projectId).first<Row>();
  return row === null ? undefined : toRecord(row);
}

export async function listForks(db: D1Database, projectId: string): Promise<ForkRecord[]> {
  const { results } = await db.prepare(`SELECT * FROM forks WHERE project_id = ? ORDER BY created_at DESC LIMIT 100`).bind(projectId).all<Row>();
  return results.map(toRecord);
}

/** The fork's chain: its own id, its accounts' objects based on the network at its block. */
export function forkChain(env: Env, f: ForkRecord, upstream = { requests: 0, roundTrips: 0, bytes: 0 }): Chain {
  const fork = forkOfBlock(networkOf(env, f.network), BigInt(f.blockNumber), BigInt(f.blockTimestamp));
  // `upstream`: one request's use of the upstream, by every load and lookup of the fork's base.
  const hashes = new ForkBaseHashes(env, f.network, f.blockHash, BigInt(f.blockNumber), upstream);
  return new Chain(env, BigInt(f.chainId), { network: f.network, blockHash: f.blockHash, fork, clock: forkClock(Number(env.BLOCK_TIME), f), hashes, upstream });
}
