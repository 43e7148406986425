import { Hono } from "hono";
import { getRun, listRuns } from "../../db/runs.ts";
import { badRequest, ServiceError } from "../../exec/errors.ts";
import type { AppEnv } from "../app-env.ts";

/** GET /v1/runs (newest first, paginated) and GET /v1/runs/{id}: the caller's project's run log. */
export const runRoutes = new Hono<AppEnv>();

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** Cursors are opaque to clients: `c` + the sequence number of the last run of the page. */
function parseCursor(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^c([1-9][0-9]{0,15})$/.exec(raw);
  if (m === null) throw badRequest("invalid_cursor", "cursor must be the nextCursor of a previous page");
  return Number(m[1]);
}

runRoutes.get("/", async (c) => {
  for (const k of Object.keys(c.req.query())) if (k !== "limit" && k !== "cursor") throw badRequest("unknown_parameter", `unknown query parameter "${k}" (allowed: limit, cursor)`);
  const rawLimit = c.req.query("limit");
  const limit = rawLimit === undefined ? DEFAULT_LIMIT : /^[1-9][0-9]{0,2}$/.test(rawLimit) ? Number(rawLimit) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) throw badRequest("invalid_limit", `limit must be an integer from 1 to ${MAX_LIMIT}`);
  const { runs, last } = await listRuns(c.env.DB, c.var.key.projectId, limit, parseCursor(c.req.query("cursor")));
  return c.json({ runs, nextCursor: runs.length === limit && last !== undefined ? `c${last}` : null });
});

runRoutes.get("/:id", async (c) => {
  const run = await getRun(c.env.DB, c.var.key.projectId, c.req.param("id"));
  if (run === undefined) throw new ServiceError(404, "run_not_found", "no run with this id in your project");
  return c.json(run);
});
