import { Hono, type Context } from "hono";
import { SCOPES, type Scope } from "../../durable/ledger/protocol.ts";
import { badRequest, ServiceError } from "../../exec/errors.ts";
import { hashKey, keyAddress, keyPrefix, newId, newKey } from "../../records/api-key.ts";
import type { AppEnv } from "../app-env.ts";
import { jsonBody } from "../json-body.ts";
import { keyed } from "../middleware/keyed.ts";
import { object } from "../validate.ts";

/** The caller's project: credit, limits, usage; and, with the admin scope, its keys. All from its ledger. */
export const projectRoutes = new Hono<AppEnv>();

const MAX_RANGE_MS = 366 * 24 * 3_600_000;

const ledgerOf = (c: Context<AppEnv>) => c.env.LEDGERS.get(c.env.LEDGERS.idFromName(c.var.key.projectId));

projectRoutes.get("/project", keyed("read"), async (c) => {
  const p = await ledgerOf(c).project();
  if (p === undefined) throw new ServiceError(404, "project_not_found", "the key's project no longer exists");
  return c.json(p);
});

function time(raw: string | undefined, field: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const ms = /^\d{1,13}$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) throw badRequest("invalid_time", `${field} must be an ISO 8601 date or epoch milliseconds`);
  return ms;
}

projectRoutes.get("/usage", keyed("read"), async (c) => {
  const q = c.req.query();
  for (const k of Object.keys(q)) if (!["from", "to", "granularity"].includes(k)) throw badRequest("unknown_parameter", `unknown parameter "${k}" (allowed: from, to, granularity)`);
  const to = time(q.to, "to", Date.now());
  const from = time(q.from, "from", to - 24 * 3_600_000);
  if (from >= to || to - from > MAX_RANGE_MS) throw badRequest("invalid_time_range", "from must be before to, at most 366 days apart");
  const granularity = q.granularity ?? "hour";
  if (granularity !== "hour" && granularity !== "day") throw badRequest("invalid_granularity", "granularity must be hour or day");
  const rows = await ledgerOf(c).usage(from, to, granularity);
  const total = rows.reduce((t, r) => ({ runs: t.runs + r.runs, gas: t.gas + r.gas, charge: t.charge + r.charge }), { runs: 0, gas: 0, charge: 0 });
  return c.json({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), granularity, usage: rows, total });
});

projectRoutes.get("/keys", keyed("admin"), async (c) => c.json({ keys: await ledgerOf(c).keys() }));

projectRoutes.post("/keys", keyed("admin"), async (c) => {
  const f = object(await jsonBody(c), ["scopes"]);
  const raw = f.scopes ?? ["read", "simulate", "send"];
  if (!Array.isArray(raw) || raw.length === 0 || raw.some((s) => !SCOPES.includes(s as Scope))) throw badRequest("invalid_scopes", `scopes must be a non-empty array of ${SCOPES.join(", ")}`);
  const key = newKey(c.var.key.projectId);
  const id = newId("key");
  const listing = await ledgerOf(c).createKey({ id, hash: hashKey(key), prefix: keyPrefix(key), scopes: [...new Set(raw as Scope[])] });
  return c.json({ ...listing, key, address: keyAddress(id) }, 201);
});

projectRoutes.delete("/keys/:id", keyed("admin"), async (c) => {
  const id = c.req.param("id");
  if (!/^key_[0-9a-z_]{1,64}$/.test(id) || !(await ledgerOf(c).revokeKey(id))) throw new ServiceError(404, "key_not_found", "this project has no live key with that id");
  return c.json({ id, revoked: true });
});
