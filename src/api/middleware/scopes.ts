import type { MiddlewareHandler } from "hono";
import type { Scope } from "../../db/keys.ts";
import { needScope } from "../../exec/scopes.ts";
import type { AppEnv } from "../app-env.ts";

/** The scope a REST request needs: sending commits, simulating explores, everything else reads. */
function scopeOf(method: string, path: string): Scope {
  if (method === "POST" && (path === "/v1/send" || path === "/v1/contracts")) return "send";
  if (method === "POST" && path === "/v1/simulate") return "simulate";
  if (path === "/v1/keys" || path.startsWith("/v1/keys/")) return "admin";
  return "read";
}

/** Refuses (403 insufficient_scope) a request its key's scopes do not allow. */
export function requireScope(): MiddlewareHandler<AppEnv> {
  return async function requireScopeMiddleware(c, next) {
    needScope(c.var.key, scopeOf(c.req.method, c.req.path));
    await next();
  };
}
