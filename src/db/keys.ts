import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, type Address } from "../primitives/hex.ts";
import { keccak256 } from "../primitives/keccak.ts";

export interface ApiKey {
  id: string;
  projectId: string;
  address: Address;
  funded: boolean;
}

export function hashKey(key: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(key)));
}

/** The EVM account of a key: derived from the key's id, so it never reveals the key. */
export function keyAddress(keyId: string): Address {
  return bytesToHex(keccak256(new TextEncoder().encode(`edge-evm key ${keyId}`)).subarray(12)) as Address;
}

export async function findKey(db: D1Database, key: string): Promise<ApiKey | undefined> {
  const row = await db
    .prepare(`SELECT id, project_id, address, funded FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL`)
    .bind(hashKey(key))
    .first<{ id: string; project_id: string; address: string; funded: number }>();
  return row === null ? undefined : { id: row.id, projectId: row.project_id, address: row.address as Address, funded: row.funded === 1 };
}

/** Claims the one-time funding of a key: true for exactly one caller, however many race. */
export async function claimFunding(db: D1Database, keyId: string): Promise<boolean> {
  const r = await db.prepare(`UPDATE api_keys SET funded = 1 WHERE id = ? AND funded = 0`).bind(keyId).run();
  return r.meta.changes === 1;
}

/** SQL that creates a project and a key (used by the dev set-up script and tests). */
export function createKeySql(projectId: string, projectName: string, keyId: string, key: string): string[] {
  const now = Date.now();
  return [
    `INSERT OR IGNORE INTO projects (id, name, created_at) VALUES ('${projectId}', '${projectName}', ${now})`,
    `INSERT OR IGNORE INTO api_keys (id, project_id, key_hash, prefix, address, created_at) VALUES ('${keyId}', '${projectId}', '${hashKey(key)}', '${key.slice(0, 8)}', '${keyAddress(keyId)}', ${now})`,
  ];
}
