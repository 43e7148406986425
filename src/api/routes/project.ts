import { Hono, type Context } from "hono";
import { badRequest, ServiceError } from "../../exec/errors.ts";
import { hashKey, keyAddress, keyPrefix, newId, newKey } from "../../records/api-key.ts";
import type { AppEnv } from "../app-env.ts";
import { jsonBody } from "../json-body.ts";
import { keyed } from "../middleware/keyed.ts";
import { parse } from "../schema/parse.ts";
import { keysBody, usageQuery } from "../schema/queries.ts";

/** The caller's project: credit, limits, usage; and, with the admin scope, its keys. All from its ledger. */
export const projectRoutes = new Hono<AppEnv>();

const MAX_RANGE_MS = 366 * 24 * 3_600_000;

const ledgerOf = (c: Context<AppEnv>) => c.env.LEDGERS.get(c.env.LEDGERS.idFromName(c.var.key.projectId));

projectRoutes.get("/project", keyed("read"), async (c) => {
  const p = await ledgerOf(c).project();
  if (p === undefined) throw new ServiceError(404, "project_not_found", "the key's project no longer exists");
  return c.json(p);
});

projectRoutes.get("/usage", keyed("read"), async (c) => {
  const q = parse(usageQuery, c.req.query());
  const to = q.to ?? Date.now();
  const from = q.from ?? to - 24 * 3_600_000;
  if (from >= to || to - from > MAX_RANGE_MS) throw badRequest("invalid_time_range", "from must be before to, at most 366 days apart");
  const granularity = q.granularity ?? "hour";
  const rows = await ledgerOf(c).usage(from, to, granularity);
  const total = rows.reduce((t, r) => ({ runs: t.runs + r.runs, gas: t.gas + r.gas, charge: t.charge + r.charge }), { runs: 0, gas: 0, charge: 0 });
  return c.json({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), granularity, usage: rows, total });
});

projectRoutes.get("/keys", keyed("admin"), async (c) => c.json({ keys: await ledgerOf(c).keys() }));

projectRoutes.post("/keys", keyed("admin"), async (c) => {
  const raw = parse(keysBody, await jsonBody(c)).scopes ?? ["read", "simulate", "send"];
  const key = newKey(c.var.key.projectId);
  const id = newId("key");
  const listing = await ledgerOf(c).createKey({ id, hash: hashKey(key), prefix: keyPrefix(key), scopes: [...new Set(raw)] });
  return c.json({ ...listing, key, address: keyAddress(id) }, 201);
});

projectRoutes.delete("/keys/:id", keyed("admin"), async (c) => {
  const id = c.req.param("id");
  if (!/^key_[0-9a-z_]{1,64}$/.test(id) || !(await ledgerOf(c).revokeKey(id))) throw new ServiceError(404, "key_not_found", "this project has no live key with that id");
  return c.json({ id, revoked: true });
});
