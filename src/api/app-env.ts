import type { KeyView } from "../durable/ledger/protocol.ts";
import type { Env } from "../env.ts";
import type { RunContext } from "../exec/context.ts";

/**
 * The hono environment: bindings, and what a request carries: its id (src/api/middleware/observe.ts),
 * what admission resolved (key, run context, the kind of run it admitted), and the code of the
 * error it was answered with, for its log line.
 */
export type AppEnv = { Bindings: Env; Variables: { requestId: string; key: KeyView; run: RunContext; kind?: string; errorCode?: string } };
