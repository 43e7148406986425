import type { MiddlewareHandler } from "hono";
import { logEvent } from "../../primitives/log.ts";
import type { AppEnv } from "../app-env.ts";

/** A request's id: `req_` and 24 random hex digits. */
export function newRequestId(): string {
  const b = crypto.getRandomValues(new Uint8Array(12));
  let hex = "";
  for (const x of b) hex += x.toString(16).padStart(2, "0");
  return `req_${hex}`;
}

/**
 * Every request: an id, given back in `x-request-id` on every answer (and in error bodies), and
 * one log line when it is answered, with what an operator needs to find it and what it cost:
 * project (never the key), route pattern (never the path: `/rpc/<key>` holds a key), kind, status,
 * duration, gas, charge and error code. Durations are wall-clock as the Worker sees it: the
 * platform's clock moves on I/O, not during computation.
 */
export function observe(): MiddlewareHandler<AppEnv> {
  return async function observeMiddleware(c, next) {
    const requestId = newRequestId();
    const started = Date.now();
    c.set("requestId", requestId);
    await next();
    c.header("x-request-id", requestId);
    const run = c.get("run");
    const cost = run?.budget.cost();
    const status = c.res.status;
    // `REQUEST_LOG = "errors"`: only failed requests are logged (the load test: under wrangler
    // dev every line travels to the terminal through the inspector, which costs more than the
    // request; deployed, Workers Logs takes them off the request's path).
    if (status < 400 && c.env?.REQUEST_LOG === "errors") return;
    logEvent(status >= 500 ? "error" : "info", "request", {
      requestId,
      projectId: c.get("key")?.projectId,
      method: c.req.method,
      route: status === 404 && c.get("errorCode") === "not_found" ? null : c.req.routePath,
      kind: c.get("kind"),
      status,
      durationMs: Date.now() - started,
      gas: cost === undefined ? undefined : Number(cost.gasExecuted),
      executions: cost?.executions,
      charge: cost === undefined ? undefined : Number(cost.charge),
      errorCode: c.get("errorCode"),
    });
  };
}
