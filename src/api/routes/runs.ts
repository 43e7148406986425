import { Hono } from "hono";
import { getRun, listRuns } from "../../db/runs.ts";
import type { AppEnv } from "../auth.ts";
import { ApiError, badRequest } from "../errors.ts";

export const runRoutes = new Hono<AppEnv>();

/** Newest first; `cursor` is the `nextCursor` of the previous page. */
runRoutes.get("/", async (c) => {
  const limit = Number(c.req.query("limit") ?? "50");
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw badRequest("invalid_limit", "limit must be an integer from 1 to 200");
  const cursorRaw = c.req.query("cursor");
  const cursor = cursorRaw === undefined ? undefined : Number(cursorRaw);
  if (cursor !== undefined && !Number.isInteger(cursor)) throw badRequest("invalid_cursor", "cursor must be the nextCursor of a previous page");
  const rows = await listRuns(c.env.DB, c.var.key.projectId, limit, cursor);
  const nextCursor = rows.length === limit ? rows[rows.length - 1].seq : null;
  return c.json({ runs: rows.map(({ seq: _seq, ...r }) => r), nextCursor });
});

runRoutes.get("/:id", async (c) => {
  const run = await getRun(c.env.DB, c.var.key.projectId, c.req.param("id"));
  if (run === null) throw new ApiError(404, "run_not_found", "no run with this id in your project");
  const { seq: _seq, ...rest } = run as Record<string, unknown>;
  return c.json(rest);
});
