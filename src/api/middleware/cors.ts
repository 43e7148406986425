import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

/**
 * Cross-origin access for browser dapps on `/rpc` and `/v1`. Any origin: every request carries
 * its key (a bearer token or the path), never a cookie, so a page learns nothing the key's holder
 * could not already ask; credentials are not allowed. Preflights are answered here (204), before
 * admission: an OPTIONS request runs nothing and costs nothing. The cost, rate-limit and fork
 * headers are exposed so that a page can read what its request cost.
 */
export function corsForApi(): MiddlewareHandler {
  const handler = allowAnyOrigin();
  // An OPTIONS that is not a browser's preflight is no CORS request: the routes answer it (404).
  return async function corsMiddleware(c, next) {
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method") === undefined) return next();
    return handler(c, next);
  };
}

const allowAnyOrigin = () =>
  cors({
    origin: "*",
    allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
    allowHeaders: ["authorization", "content-type", "idempotency-key"],
    exposeHeaders: [
      "x-edge-evm-gas-executed",
      "x-edge-evm-executions",
      "x-edge-evm-charge",
      "retry-after",
      "x-fork-network",
      "x-fork-block",
      "x-fork-block-hash",
      "x-fork-verified",
      "x-upstream-requests",
      "x-upstream-round-trips",
      "x-upstream-bytes",
      "x-upstream-cost",
      "x-cache-hits",
    ],
    maxAge: 86400,
  });
