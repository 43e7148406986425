import type { KeyView } from "../durable/ledger/protocol.ts";
import type { Env } from "../env.ts";
import type { RunContext } from "../exec/context.ts";

/** The hono environment: bindings, and what admission resolves for the routes. */
export type AppEnv = { Bindings: Env; Variables: { key: KeyView; run: RunContext } };
