import { Hono } from "hono";
import { getRun, listRuns, viewOf, type RunCursor } from "../../db/runs.ts";
import type { AccountName } from "../../durable/protocol.ts";
import { badRequest, ServiceError } from "../../exec/errors.ts";
import type { RunRow } from "../../records/run.ts";
import type { AppEnv } from "../app-env.ts";
import { keyed } from "../middleware/keyed.ts";

/**
 * GET /v1/runs (newest first, paginated) and GET /v1/runs/{id}: the caller's project's run log.
 * The log in D1 lags the answers by the queue's delivery (about a second); a run just answered
 * is found in its project's ledger, or in its sender's object for a committed send, until then.
 */
export const runRoutes = new Hono<AppEnv>();

runRoutes.use("*", keyed("read"));

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** Cursors are opaque to clients: `c<start ms>.<sequence number>` of the last run of the page. */
function parseCursor(raw: string | undefined): RunCursor | undefined {
  if (raw === undefined) return undefined;
  const m = /^c([0-9]{1,15})\.([1-9][0-9]{0,15})$/.exec(raw);
  if (m === null) throw badRequest("invalid_cursor", "cursor must be the nextCursor of a previous page");
  return { createdAt: Number(m[1]), seq: Number(m[2]) };
}

runRoutes.get("/", async (c) => {
  for (const k of Object.keys(c.req.query())) if (k !== "limit" && k !== "cursor") throw badRequest("unknown_parameter", `unknown query parameter "${k}" (allowed: limit, cursor)`);
  const rawLimit = c.req.query("limit");
  const limit = rawLimit === undefined ? DEFAULT_LIMIT : /^[1-9][0-9]{0,2}$/.test(rawLimit) ? Number(rawLimit) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) throw badRequest("invalid_limit", `limit must be an integer from 1 to ${MAX_LIMIT}`);
  const { runs, last } = await listRuns(c.env.DB, c.var.key.projectId, limit, parseCursor(c.req.query("cursor")));
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
