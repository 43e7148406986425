import { Hono } from "hono";
import { getRun, listRuns, viewOf } from "../../db/runs.ts";
import type { AccountName } from "../../durable/protocol.ts";
import { ServiceError } from "../../exec/errors.ts";
import type { RunRow } from "../../records/run.ts";
import type { AppEnv } from "../app-env.ts";
import { keyed } from "../middleware/keyed.ts";
import { parse } from "../schema/parse.ts";
import { runsQuery } from "../schema/queries.ts";

/**
 * GET /v1/runs (newest first, filtered, paginated) and GET /v1/runs/{id}: the caller's project's
 * run log. The log in D1 lags the answers by the queue's delivery (about a second); a run just
 * answered is found in its project's ledger, or in its sender's object for a committed send, until then.
 */
export const runRoutes = new Hono<AppEnv>();

runRoutes.use("*", keyed("read"));

const DEFAULT_LIMIT = 20;

runRoutes.get("/", async (c) => {
  const { limit = DEFAULT_LIMIT, cursor, ...filter } = parse(runsQuery, c.req.query());
  const { runs, last } = await listRuns(c.env.DB, c.var.key.projectId, limit, cursor, filter);
  return c.json({ runs, nextCursor: runs.length === limit && last !== undefined ? `c${last.createdAt}.${last.seq}` : null });
});

runRoutes.get("/:id", async (c) => {
  const id = c.req.param("id");
  if (!/^(run|abandoned_res)_[0-9a-f]{32}$/.test(id)) throw new ServiceError(404, "run_not_found", "no run with this id in your project");
  const logged = await getRun(c.env.DB, c.var.key.projectId, id);
  if (logged !== undefined) return c.json(logged);
  const recent = await recentRun(c.env, c.var.key.projectId, id);
  if (recent === undefined) throw new ServiceError(404, "run_not_found", "no run with this id in your project");
  return c.json({ ...recent, pending: true });
});

/** A run not yet in D1: its ledger has its row, or knows the sender whose object has it. */
async function recentRun(env: AppEnv["Bindings"], projectId: string, id: string) {
  const r = (await env.LEDGERS.get(env.LEDGERS.idFromName(projectId)).recentRun(id)) as RunRow | { sender: AccountName } | undefined;
  if (r === undefined) return undefined;
  const row = "sender" in r ? ((await env.ACCOUNTS.get(env.ACCOUNTS.idFromName(r.sender)).committedRun(id)) as RunRow | undefined) : r;
  return row === undefined || row.projectId !== projectId ? undefined : { ...viewOf(row), logs: [] };
}
