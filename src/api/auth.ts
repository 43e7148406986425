import type { MiddlewareHandler } from "hono";
import type { Env } from "../env.ts";
import { claimFunding, findKey, type ApiKey } from "../db/keys.ts";
import { credit } from "../exec/transact.ts";
import { ApiError } from "./errors.ts";

export type AppEnv = { Bindings: Env; Variables: { key: ApiKey } };

/** `Authorization: Bearer <key>`: resolves the key's project and account (funding it once). */
export function requireKey(): MiddlewareHandler<AppEnv> {
  return async function requireKeyMiddleware(c, next) {
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (m === null) throw new ApiError(401, "missing_api_key", "send the API key as `Authorization: Bearer <key>`");
    const key = await findKey(c.env.DB, m[1]);
    if (key === undefined) throw new ApiError(401, "invalid_api_key", "the API key is unknown or revoked");
    if (!key.funded && (await claimFunding(c.env.DB, key.id))) {
      await credit(c.env, key.address, BigInt(c.env.FAUCET_WEI));
      key.funded = true;
    }
    c.set("key", key);
    await next();
  };
}
