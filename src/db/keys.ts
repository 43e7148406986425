import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, type Address } from "../primitives/hex.ts";
import { keccak256 } from "../primitives/keccak.ts";

/**
 * What an API key may do. `read`: GET endpoints, `call`, and JSON-RPC reads (eth_call,
 * eth_getBalance, ...); `simulate`: simulations, gas estimates, access lists and traces;
 * `send`: transactions that commit (send, deploy, eth_sendRawTransaction); `admin`: keys and
 * credit of the key's own project.
 */
export type Scope = "read" | "simulate" | "send" | "admin";

export const SCOPES: readonly Scope[] = ["read", "simulate", "send", "admin"];

/** An API key as the service knows it once authenticated (never the key itself). */
export interface ApiKey {
  id: string;
  projectId: string;
  chainId: bigint;
  /** The key's EVM account. */
  address: Address;
  funded: boolean;
  scopes: Scope[];
  /** The project's plan limits. */
  maxGasPerRun: bigint | null;
  requestsPerMinute: number;
  lastUsedAt: number | null;
}

export function hashKey(key: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(key))).slice(2);
}

/** The EVM account of a key: derived from the key's id (never from the key), so it is stable and public. */
export function keyAddress(keyId: string): Address {
  return bytesToHex(keccak256(new TextEncoder().encode(`edge-evm key ${keyId}`)).subarray(12)) as Address;
}

export async function findKey(db: D1Database, key: string): Promise<ApiKey | undefined> {
  const row = await db
    .prepare(
      `SELECT k.id, k.project_id, p.chain_id, k.address, k.funded_at, k.scopes, k.last_used_at, p.max_gas_per_run, p.requests_per_minute FROM api_keys k JOIN projects p ON p.id = k.project_id
       WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
    )
    .bind(hashKey(key))
    .first<{ id: string; project_id: string; chain_id: number; address: string; funded_at: number | null; scopes: string; last_used_at: number | null; max_gas_per_run: number | null; requests_per_minute: number }>();
  if (row === null) return undefined;
  return { id: row.id, projectId: row.project_id, chainId: BigInt(row.chain_id), address: row.address as Address, funded: row.funded_at !== null, scopes: parseScopes(row.scopes),
    maxGasPerRun: row.max_gas_per_run === null ? null : BigInt(row.max_gas_per_run), requestsPerMinute: row.requests_per_minute, lastUsedAt: row.last_used_at };
}

/** Records that a key was used, at most once a minute (one D1 write a minute per busy key). */
export async function touchKey(db: D1Database, key: ApiKey, now = Date.now()): Promise<void> {
  if (key.lastUsedAt !== null && now - key.lastUsedAt < 60_000) return;
  await db.prepare(`UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`).bind(now, key.id, now - 60_000).run();
}

export async function markFunded(db: D1Database, keyId: string): Promise<void> {
  await db.prepare(`UPDATE api_keys SET funded_at = ? WHERE id = ? AND funded_at IS NULL`).bind(Date.now(), keyId).run();
}

export interface NewKey {
  projectId: string;
  projectName: string;
  chainId: number;
  keyId: string;
  /** The secret: only its hash and first characters are stored. */
  key: string;
  /** The project's starting credit, in micro-units (a new project only). */
  credit?: number;
  /** Space-separated scopes (default: read simulate send). */
  scopes?: string;
}

/** Statements that create a project (if absent) with one key (if absent): dev set-up and tests. */
export function createKeyStatements(k: NewKey): { sql: string; params: (string | number)[] }[] {
  const now = Date.now();
  return [
    { sql: `INSERT OR IGNORE INTO projects (id, name, chain_id, created_at, credit) VALUES (?, ?, ?, ?, ?)`, params: [k.projectId, k.projectName, k.chainId, now, k.credit ?? 1_000_000_000_000] },
    {
      sql: `INSERT OR IGNORE INTO api_keys (id, project_id, key_hash, prefix, address, created_at, scopes) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      params: [k.keyId, k.projectId, hashKey(k.key), k.key.slice(0, 12), keyAddress(k.keyId), now, k.scopes ?? "read simulate send"],
    },
  ];
}

/** The known scopes of a stored space-separated list (unknown words are ignored). */
export function parseScopes(stored: string): Scope[] {
  const words = stored.split(" ");
  return SCOPES.filter((s) => words.includes(s));
}
