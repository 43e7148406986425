import type { ApiKey } from "../db/keys.ts";
import type { Env } from "../env.ts";
import type { RunContext } from "../exec/context.ts";

/** The hono environment: bindings, and what the auth middleware resolves for the routes. */
export type AppEnv = { Bindings: Env; Variables: { key: ApiKey; run: RunContext } };
