import type { MiddlewareHandler } from "hono";
import type { Scope } from "../../durable/ledger/protocol.ts";
import { InjectedFault } from "../../exec/faults.ts";
import { admit, bearer, costHeaders } from "../admission.ts";
import type { AppEnv } from "../app-env.ts";

/** A route that runs nothing: admitted by its key, scope and rate (no credit held). */
export function keyed(scope: Scope): MiddlewareHandler<AppEnv> {
  return async function keyedMiddleware(c, next) {
    await admit(c, { secret: bearer(c), scope });
    await next();
  };
}

/**
 * After the answer is made: the request's runs are settled with its project's ledger, past the
 * answer (waitUntil), and the answer carries what the request cost in its headers. Errors too:
 * a request that ran and failed is charged for what it ran.
 */
export function settleAfter(): MiddlewareHandler<AppEnv> {
  return async function settleAfterMiddleware(c, next) {
    await next();
    const run = c.get("run");
    // A Worker that "died" (test fault injection) settles nothing: the ledger sweeps it.
    if (run === undefined || c.error instanceof InjectedFault) return;
    for (const [k, v] of Object.entries(costHeaders(run))) c.res.headers.set(k, v);
    run.defer(run.budget.settle());
  };
}
