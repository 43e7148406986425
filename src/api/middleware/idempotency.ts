import { sha256 } from "@noble/hashes/sha2.js";
import type { MiddlewareHandler } from "hono";
import { complete, release, reserve } from "../../db/idempotency.ts";
import { badRequest, ServiceError } from "../../exec/errors.ts";
import { bytesToHex } from "../../primitives/hex.ts";
import type { AppEnv } from "../app-env.ts";
import { requestText } from "../json-body.ts";

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

/**
 * An optional `Idempotency-Key` header on a state-changing route: the first request with it runs
 * and its committed answer is stored; a replay (same key, same method, path and body) gets that
 * answer back with `Idempotent-Replayed: true` and executes nothing. While the first is still
 * running, a replay gets 409 `idempotency_in_progress`; with another body, 400
 * `idempotency_key_reused`. A request that committed nothing frees its key.
 */
export function idempotent(): MiddlewareHandler<AppEnv> {
  return async function idempotentMiddleware(c, next) {
    const idemKey = c.req.header("idempotency-key");
    if (idemKey === undefined) return next();
    if (!KEY_RE.test(idemKey)) throw badRequest("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable ASCII characters");
    const keyId = c.var.key.id;
    const body = await requestText(c.req.raw.clone());
    const fingerprint = bytesToHex(sha256(new TextEncoder().encode(`${c.req.method} ${c.req.path}\n${body}`)));
    const r = await reserve(c.env.DB, keyId, idemKey, fingerprint);
    if (r.kind === "replay") return c.json(r.answer.body as object, r.answer.status as 200, { "idempotent-replayed": "true" });
    if (r.kind === "in_progress") throw new ServiceError(409, "idempotency_in_progress", "a request with this Idempotency-Key is still running; retry after it ends");
    if (r.kind === "mismatch") throw badRequest("idempotency_key_reused", "this Idempotency-Key was used with a different request; use a new key");
    let stored = false;
    try {
      await next();
      if (c.res.status < 300) {
        await complete(c.env.DB, keyId, idemKey, { status: c.res.status, body: await c.res.clone().json() });
        stored = true;
      }
    } finally {
      if (!stored) await release(c.env.DB, keyId, idemKey);
    }
  };
}
