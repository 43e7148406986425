import { Hono } from "hono";
import { getRun, listRuns, viewOf, type RunCursor, type RunFilter } from "../../db/runs.ts";
import type { AccountName } from "../../durable/protocol.ts";
import type { RunKind, RunStatus } from "../../records/run.ts";
import { badRequest, ServiceError } from "../../exec/errors.ts";
import type { RunRow } from "../../records/run.ts";
import type { AppEnv } from "../app-env.ts";
import { keyed } from "../middleware/keyed.ts";
import { address } from "../validate.ts";

/**
 * GET /v1/runs (newest first, filtered, paginated) and GET /v1/runs/{id}: the caller's project's
 * run log. The log in D1 lags the answers by the queue's delivery (about a second); a run just
 * answered is found in its project's ledger, or in its sender's object for a committed send, until then.
 */
export const runRoutes = new Hono<AppEnv>();

runRoutes.use("*", keyed("read"));

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const PARAMETERS = ["limit", "cursor", "kind", "status", "contract"];
// Records, so that a kind or status added to the run log must be added here too.
const KINDS: Record<RunKind, true> = { call: true, simulate: true, send: true, deploy: true, query: true };
const STATUSES: Record<RunStatus, true> = { success: true, reverted: true, halted: true, invalid: true, error: true };

/** Cursors are opaque to clients: `c<start ms>.<sequence number>` of the last run of the page. */
function parseCursor(raw: string | undefined): RunCursor | undefined {
  if (raw === undefined) return undefined;
  const m = /^c([0-9]{1,15})\.([1-9][0-9]{0,15})$/.exec(raw);
  if (m === null) throw badRequest("invalid_cursor", "cursor must be the nextCursor of a previous page");
  return { createdAt: Number(m[1]), seq: Number(m[2]) };
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
