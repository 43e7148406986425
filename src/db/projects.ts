import type { Address } from "../primitives/hex.ts";
import { hashKey, keyAddress, parseScopes, type Scope } from "./keys.ts";

export interface ProjectView {
  id: string;
  name: string;
  chainId: number;
  /** Micro-units available for new runs. */
  credit: number;
  /** Micro-units held by runs under way. */
  reserved: number;
  limits: { maxGasPerRun: number | null; requestsPerMinute: number };
}

export async function getProject(db: D1Database, projectId: string): Promise<ProjectView | undefined> {
  const row = await db
    .prepare(
      `SELECT p.id, p.name, p.chain_id, p.credit, p.max_gas_per_run, p.requests_per_minute,
         (SELECT COALESCE(SUM(amount), 0) FROM reservations r WHERE r.project_id = p.id) AS reserved
       FROM projects p WHERE p.id = ?`,
    )
    .bind(projectId)
    .first<{ id: string; name: string; chain_id: number; credit: number; max_gas_per_run: number | null; requests_per_minute: number; reserved: number }>();
  if (row === null) return undefined;
  return { id: row.id, name: row.name, chainId: row.chain_id, credit: row.credit, reserved: row.reserved, limits: { maxGasPerRun: row.max_gas_per_run, requestsPerMinute: row.requests_per_minute } };
}

/** Adds credit (the operator's grant; `keyId` null), recorded for the audit trail, in one batch. */
export async function addCredit(db: D1Database, projectId: string, keyId: string | null, amount: number): Promise<void> {
  await db.batch([
    db.prepare(`UPDATE projects SET credit = credit + ? WHERE id = ?`).bind(amount, projectId),
    db.prepare(`INSERT INTO credit_grants (id, project_id, key_id, amount, created_at) VALUES (?, ?, ?, ?, ?)`).bind(`grant_${crypto.randomUUID().replaceAll("-", "")}`, projectId, keyId, amount, Date.now()),
  ]);
}

export interface KeyView {
  id: string;
  prefix: string;
  scopes: Scope[];
  address: Address;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function listKeys(db: D1Database, projectId: string): Promise<KeyView[]> {
  const { results } = await db
    .prepare(`SELECT id, prefix, scopes, address, created_at, last_used_at, revoked_at FROM api_keys WHERE project_id = ? ORDER BY created_at, id`)
    .bind(projectId)
    .all<{ id: string; prefix: string; scopes: string; address: Address; created_at: number; last_used_at: number | null; revoked_at: number | null }>();
  return results.map((r) => ({ id: r.id, prefix: r.prefix, scopes: parseScopes(r.scopes), address: r.address, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at) }));
}

/** A new key of the project: the secret is returned once and stored only as its hash. */
export async function createKey(db: D1Database, projectId: string, scopes: Scope[]): Promise<KeyView & { key: string }> {
  const random = crypto.getRandomValues(new Uint8Array(24));
  const key = `sk_live_${[...random].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  const id = `key_${crypto.randomUUID().replaceAll("-", "")}`;
  const now = Date.now();
  await db
    .prepare(`INSERT INTO api_keys (id, project_id, key_hash, prefix, scopes, address, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .bind(id, projectId, hashKey(key), key.slice(0, 12), scopes.join(" "), keyAddress(id), now)
    .run();
  return { id, key, prefix: key.slice(0, 12), scopes, address: keyAddress(id), createdAt: iso(now)!, lastUsedAt: null, revokedAt: null };
}

/** Revokes a key of the project; false when the project has no such live key. */
export async function revokeKey(db: D1Database, projectId: string, keyId: string): Promise<boolean> {
  const r = await db.prepare(`UPDATE api_keys SET revoked_at = ? WHERE id = ? AND project_id = ? AND revoked_at IS NULL`).bind(Date.now(), keyId, projectId).run();
  return r.meta.changes === 1;
}
