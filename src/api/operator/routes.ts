import { Hono, type Context } from "hono";
import type { Ledger } from "../../durable/ledger/ledger.ts";
import { SCOPES, type ProjectView, type Refused, type Scope } from "../../durable/ledger/protocol.ts";
import { badRequest, ServiceError } from "../../exec/errors.ts";
import { hashKey, keyAddress, keyPrefix, newId, newKey, PROJECT_ID, projectOfKey } from "../../records/api-key.ts";
import type { AppEnv } from "../app-env.ts";
import { jsonBody } from "../json-body.ts";
import { requireOperator } from "../middleware/operator.ts";
import { parse } from "../schema/parse.ts";
import { creditBody, limitsBody, projectBody } from "../schema/operator.ts";

/**
 * What only the operator may do: create projects, grant credit, set plan limits. Never reachable
 * with a project's API key (see requireOperator). D1 is written here only to claim a project's
 * unique chain id; the project itself lives in its Ledger object.
 */
export const operatorRoutes = new Hono<AppEnv>();

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

/**
 * A new project with its own chain and a first key (all scopes); the key is shown once. `id` and
 * `key` may be given (the development project of `npm run dev`); the same request again changes
 * nothing and answers the same project.
 */
operatorRoutes.post("/projects", async (c) => {
  const f = parse(projectBody, await jsonBody(c));
  const id = f.id ?? newId("proj");
  if (!PROJECT_ID.test(id)) throw badRequest("invalid_project_id", "id must be proj_ and up to 40 lowercase letters or digits");
  const key = f.key ?? newKey(id);
  if (projectOfKey(key) !== id) throw badRequest("invalid_api_key", `key must be sk_${id.slice(5)}_ and 32 to 64 hex digits`);
  const chainId = f.chainId ?? 100_000 + Math.floor(Math.random() * 2 ** 40);
  const credit = f.credit ?? 0;
  const limits = { requestsPerMinute: f.requestsPerMinute, maxGasPerRun: f.maxGasPerRun, retentionDays: f.retentionDays };
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
  const { amount } = parse(creditBody, await jsonBody(c));
  return answer(c, (await ledger.grant(Number(amount))) as ProjectView | Refused);
});

operatorRoutes.post("/projects/:id/limits", async (c) => {
  const ledger = await existing(c, c.req.param("id"));
  const { maxGasPerRun, requestsPerMinute, retentionDays } = parse(limitsBody, await jsonBody(c));
  return c.json(await ledger.setLimits({ maxGasPerRun, requestsPerMinute, retentionDays }));
});
