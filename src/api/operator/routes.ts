import { Hono, type Context } from "hono";
import type { Ledger } from "../../durable/ledger/ledger.ts";
import { SCOPES, type ProjectView, type Refused, type Scope } from "../../durable/ledger/protocol.ts";
import { badRequest, ServiceError } from "../../exec/errors.ts";
import { hashKey, keyAddress, keyPrefix, newId, newKey, PROJECT_ID, projectOfKey } from "../../records/api-key.ts";
import type { AppEnv } from "../app-env.ts";
import { jsonBody } from "../json-body.ts";
import { requireOperator } from "../middleware/operator.ts";
import { object, uint, type Fields } from "../validate.ts";

/**
 * What only the operator may do: create projects, grant credit, set plan limits. Never reachable
 * with a project's API key (see requireOperator). D1 is written here only to claim a project's
 * unique chain id; the project itself lives in its Ledger object.
 */
export const operatorRoutes = new Hono<AppEnv>();

const MAX_GRANT = 1_000_000_000_000_000n;

operatorRoutes.use("*", requireOperator());

function ledgerOf(c: Context<AppEnv>, id: string): DurableObjectStub<Ledger> {
  if (!PROJECT_ID.test(id)) throw new ServiceError(404, "project_not_found", "no project with this id");
  return c.env.LEDGERS.get(c.env.LEDGERS.idFromName(id));
}

async function existing(c: Context<AppEnv>, id: string): Promise<DurableObjectStub<Ledger>> {
  const ledger = ledgerOf(c, id);
  if ((await ledger.project()) === undefined) throw new ServiceError(404, "project_not_found", "no project with this id");
  return ledger;
}

function answer(c: Context<AppEnv>, r: ProjectView | Refused) {
  if ("ok" in r && r.ok === false) throw new ServiceError(r.status, r.code, r.message);
  return c.json(r);
}

const small = (f: Fields, field: string, max: number): number | undefined => {
  if (f[field] === undefined) return undefined;
  const n = uint(f[field], field);
  if (n > BigInt(max)) throw badRequest("invalid_quantity", `${field} must be at most ${max}`);
  return Number(n);
};

/**
 * A new project with its own chain and a first key (all scopes); the key is shown once. `id` and
 * `key` may be given (the development project of `npm run dev`); the same request again changes
 * nothing and answers the same project.
 */
operatorRoutes.post("/projects", async (c) => {
  const f = object(await jsonBody(c), ["id", "name", "credit", "chainId", "key", "requestsPerMinute", "maxGasPerRun", "retentionDays"]);
  if (typeof f.name !== "string" || !/^[\w .-]{1,64}$/.test(f.name)) throw badRequest("invalid_name", "name must be 1 to 64 letters, digits, spaces, dots or dashes");
  const id = f.id === undefined ? newId("proj") : String(f.id);
  if (!PROJECT_ID.test(id)) throw badRequest("invalid_project_id", "id must be proj_ and up to 40 lowercase letters or digits");
  const key = f.key === undefined ? newKey(id) : String(f.key);
  if (projectOfKey(key) !== id) throw badRequest("invalid_api_key", `key must be sk_${id.slice(5)}_ and 32 to 64 hex digits`);
  const chainId = small(f, "chainId", 2 ** 48) ?? 100_000 + Math.floor(Math.random() * 2 ** 40);
  const credit = small(f, "credit", Number(MAX_GRANT)) ?? 0;
  const limits = { requestsPerMinute: small(f, "requestsPerMinute", 1_000_000), maxGasPerRun: small(f, "maxGasPerRun", 2 ** 40), retentionDays: small(f, "retentionDays", 3650) };
  // The chain id is the project's own: claimed in D1, where it is unique.
  const claim = await c.env.DB.prepare(`INSERT INTO projects (id, name, chain_id, created_at, credit) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`).bind(id, f.name, chainId, Date.now(), credit).run().catch(() => undefined);
  if (claim === undefined) throw new ServiceError(409, "chain_id_taken", `chain id ${chainId} belongs to another project`);
  const row = await c.env.DB.prepare(`SELECT chain_id FROM projects WHERE id = ?`).bind(id).first<{ chain_id: number }>();
  const keyId = id === "proj_dev" ? "key_dev" : newId("key");
  const view = await ledgerOf(c, id).init({ id, name: f.name, chainId: row!.chain_id, credit, key: { id: keyId, hash: hashKey(key), prefix: keyPrefix(key), scopes: [...SCOPES] as Scope[] }, limits });
  return c.json({ project: view, key: claim.meta.changes === 1 || f.key !== undefined ? key : null, keyId, address: keyAddress(keyId) }, 201);
});

operatorRoutes.get("/projects/:id", async (c) => c.json(await (await existing(c, c.req.param("id"))).project()));

operatorRoutes.post("/projects/:id/credit", async (c) => {
  const ledger = await existing(c, c.req.param("id"));
  const f = object(await jsonBody(c), ["amount"]);
  const amount = uint(f.amount, "amount");
  if (amount === 0n || amount > MAX_GRANT) throw badRequest("invalid_amount", `amount must be from 1 to ${MAX_GRANT} micro-units`);
  return answer(c, (await ledger.grant(Number(amount))) as ProjectView | Refused);
});

operatorRoutes.post("/projects/:id/limits", async (c) => {
  const ledger = await existing(c, c.req.param("id"));
  const f = object(await jsonBody(c), ["maxGasPerRun", "requestsPerMinute", "retentionDays"]);
  const maxGasPerRun = f.maxGasPerRun === null ? null : small(f, "maxGasPerRun", 2 ** 40);
  const requestsPerMinute = small(f, "requestsPerMinute", 1_000_000);
  const retentionDays = small(f, "retentionDays", 3650);
  if (requestsPerMinute === 0 || retentionDays === 0) throw badRequest("invalid_quantity", "requestsPerMinute and retentionDays must be at least 1");
  return c.json(await ledger.setLimits({ maxGasPerRun, requestsPerMinute, retentionDays }));
});
