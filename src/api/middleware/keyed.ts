import type { Context, MiddlewareHandler } from "hono";
import { ServiceError } from "../../exec/errors.ts";
import { refused } from "../refusal.ts";
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

/** The answer refused with `e` (REST: an error object with the request's cost). */
export type Refuse = (c: Context<AppEnv>, e: ServiceError) => Response;

/**
 * After the answer is made: the request's runs are settled with its project's ledger, past the
 * answer (waitUntil), and the answer carries what the request cost in its headers. Errors too:
 * a request that ran and failed is charged for what it ran. An answer whose deliverable part
 * (a trace's bytes, a cached answer) the credit cannot pay is refused instead (402, `refuse`).
 */
export function settleAfter(refuse: Refuse = refused): MiddlewareHandler<AppEnv> {
  return async function settleAfterMiddleware(c, next) {
    await next();
    const run = c.get("run");
    // A Worker that "died" (test fault injection) settles nothing: the ledger sweeps it.
    if (run === undefined || c.error instanceof InjectedFault) return;
    if (!(await run.budget.confirm())) {
      const kept = [...c.res.headers].filter(([k]) => k.startsWith("x-upstream-"));
      await c.res.body?.cancel().catch(() => undefined);
      c.res = undefined;
      c.res = refuse(c, new ServiceError(402, "insufficient_credit", "the project's credit does not cover this answer (its trace's size, or an answer from the cache): ask the operator for credit, or ask for less"));
      for (const [k, v] of kept) c.res.headers.set(k, v);
    }
    for (const [k, v] of Object.entries(costHeaders(run))) c.res.headers.set(k, v);
    run.defer(run.budget.settle());
  };
}
