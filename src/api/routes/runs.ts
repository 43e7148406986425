import { Hono } from "hono";
import { getRun, listRuns, type RunFilter, type RunKind, type RunStatus } from "../../db/runs.ts";
import { badRequest, ServiceError } from "../../exec/errors.ts";
import type { AppEnv } from "../app-env.ts";
import { address } from "../validate.ts";

/** GET /v1/runs (newest first, filtered, paginated) and GET /v1/runs/{id}: the caller's project's run log. */
export const runRoutes = new Hono<AppEnv>();

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const PARAMETERS = ["limit", "cursor", "kind", "status", "contract"];
// Records, so that a kind or status added to the run log must be added here too.
const KINDS: Record<RunKind, true> = { call: true, simulate: true, send: true, deploy: true };
const STATUSES: Record<RunStatus, true> = { success: true, reverted: true, halted: true, invalid: true, error: true };

/** Cursors are opaque to clients: `c` + the sequence number of the last run of the page. */
function parseCursor(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^c([1-9][0-9]{0,15})$/.exec(raw);
  if (m === null) throw badRequest("invalid_cursor", "cursor must be the nextCursor of a previous page");
  return Number(m[1]);
}

function oneOf<T extends string>(raw: string | undefined, allowed: Record<T, true>, code: string, field: string): T | undefined {
  if (raw === undefined) return undefined;
  if (!Object.hasOwn(allowed, raw)) throw badRequest(code, `${field} must be one of ${Object.keys(allowed).join(", ")}`);
  return raw as T;
}

function parseFilter(q: Record<string, string>): RunFilter {
  return {
    kind: oneOf(q.kind, KINDS, "invalid_kind", "kind"),
    status: oneOf(q.status, STATUSES, "invalid_status", "status"),
    contract: q.contract === undefined ? undefined : address(q.contract, "contract"),
  };
}

runRoutes.get("/", async (c) => {
  const q = c.req.query();
  for (const k of Object.keys(q)) if (!PARAMETERS.includes(k)) throw badRequest("unknown_parameter", `unknown query parameter "${k}" (allowed: ${PARAMETERS.join(", ")})`);
  const limit = q.limit === undefined ? DEFAULT_LIMIT : /^[1-9][0-9]{0,2}$/.test(q.limit) ? Number(q.limit) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) throw badRequest("invalid_limit", `limit must be an integer from 1 to ${MAX_LIMIT}`);
  const { runs, last } = await listRuns(c.env.DB, c.var.key.projectId, limit, parseCursor(q.cursor), parseFilter(q));
  return c.json({ runs, nextCursor: runs.length === limit && last !== undefined ? `c${last}` : null });
});

runRoutes.get("/:id", async (c) => {
  const run = await getRun(c.env.DB, c.var.key.projectId, c.req.param("id"));
  if (run === undefined) throw new ServiceError(404, "run_not_found", "no run with this id in your project");
  return c.json(run);
});
