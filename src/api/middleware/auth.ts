import type { Context, MiddlewareHandler } from "hono";
import { findKey, touchKey } from "../../db/keys.ts";
import { keyGate } from "../../durable/key-gate.ts";
import { runContext } from "../../exec/context.ts";
import { ServiceError } from "../../exec/errors.ts";
import { faultOf } from "../../exec/faults.ts";
import { fundOnce } from "../../exec/faucet.ts";
import type { AppEnv } from "../app-env.ts";

const BEARER = /^Bearer ([\x21-\x7e]{1,200})$/;
const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * `Authorization: Bearer <key>`: finds the key by its hash, and sets the run context (project,
 * chain, the key's account, funded once by the development faucet). The key itself is never
 * logged nor echoed.
 */
export function requireKey(): MiddlewareHandler<AppEnv> {
  return async function requireKeyMiddleware(c, next) {
    await authenticate(c, bearer(c));
    await next();
  };
}

/** The key of `Authorization: Bearer <key>`. */
export function bearer(c: Context<AppEnv>): string {
  const header = c.req.header("authorization");
  if (header === undefined) throw new ServiceError(401, "missing_api_key", "send your API key as `Authorization: Bearer <key>`");
  const m = BEARER.exec(header);
  if (m === null) throw new ServiceError(401, "invalid_api_key", "the Authorization header must be `Bearer <key>`");
  return m[1];
}

/** Resolves an API key (from a header or, for JSON-RPC, the URL path) into the request's run context. */
export async function authenticate(c: Context<AppEnv>, secret: string): Promise<void> {
  if (!KEY.test(secret)) throw new ServiceError(401, "invalid_api_key", "the API key is unknown or revoked");
  const key = await findKey(c.env.DB, secret);
  if (key === undefined) throw new ServiceError(401, "invalid_api_key", "the API key is unknown or revoked");
  const run = runContext(c.env, key, faultOf(c.env.FAULT_INJECTION, c.req.header("x-fault")));
  const limit = await keyGate(c.env, key.id).take(key.requestsPerMinute);
  if (!limit.ok) throw new ServiceError(429, "rate_limited", `this API key is over its ${key.requestsPerMinute} requests a minute; retry after ${limit.retryAfter} s`, { "retry-after": String(limit.retryAfter) });
  c.executionCtx.waitUntil(touchKey(c.env.DB, key).catch((e) => console.error("could not record a key's use", e)));
  await fundOnce(run, key);
  c.set("key", key);
  c.set("run", run);
}
