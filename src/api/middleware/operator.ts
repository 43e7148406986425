import { sha256 } from "@noble/hashes/sha2.js";
import type { MiddlewareHandler } from "hono";
import { ServiceError } from "../../exec/errors.ts";
import type { AppEnv } from "../app-env.ts";

const enc = new TextEncoder();

/** Equal strings, in a time that does not depend on where they differ (both hashed first). */
function sameSecret(a: string, b: string): boolean {
  const x = sha256(enc.encode(a)), y = sha256(enc.encode(b));
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

/**
 * The operator's routes (`/operator/*`): `Authorization: Bearer <OPERATOR_SECRET>`, a wrangler
 * secret (`.dev.vars` locally) that no project key can be. Without the secret configured the
 * routes are closed to everyone.
 */
export function requireOperator(): MiddlewareHandler<AppEnv> {
  return async function requireOperatorMiddleware(c, next) {
    const secret = c.env.OPERATOR_SECRET;
    if (secret === undefined || secret.length < 16) throw new ServiceError(403, "operator_disabled", "operator routes are closed: set the OPERATOR_SECRET secret (16 characters or more) to open them");
    const m = /^Bearer (.{1,512})$/.exec(c.req.header("authorization") ?? "");
    if (m === null || !sameSecret(m[1], secret)) throw new ServiceError(401, "invalid_operator_secret", "operator routes need `Authorization: Bearer <OPERATOR_SECRET>`");
    await next();
  };
}
