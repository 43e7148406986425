import { app } from "./api/app.ts";
import { countingEnv, hopsHeader } from "./api/hop-count.ts";
import { sweepRetention } from "./db/retention.ts";
import { writeRunLog } from "./db/run-log-writer.ts";
import type { OutboxMessage } from "./durable/outbox.ts";
import type { Env } from "./env.ts";
import { logEvent } from "./primitives/log.ts";
import { projectClock } from "./state/blocks.ts";
import { installEvmWasm } from "./evm/wasm/install.ts";
import evmWasm from "./evm/wasm/evm.wasm";
import { installTraceWasm } from "./trace/struct-log-wasm.ts";
import traceWasm from "./trace/wasm/trace.wasm";

// workerd compiles WebAssembly only from modules bundled with the Worker.
installEvmWasm(evmWasm);
installTraceWasm(traceWasm);

export { Account } from "./durable/account.ts";
export { Ledger } from "./durable/ledger/ledger.ts";
export { RpcState } from "./durable/rpc-state.ts";

export default {
  async fetch(request, env, ctx) {
    if (env.HOP_COUNTS !== "on") return app.fetch(request, env, ctx);
    const counting = countingEnv(env);
    const res = await app.fetch(request, counting.env, ctx);
    const out = new Response(res.body, res);
    out.headers.set("x-edge-evm-hops", hopsHeader(counting.hops));
    return out;
  },
  /** The run log's queue: records from the objects' outboxes into D1. */
  queue(batch, env) {
    return writeRunLog(env, batch);
  },
  /** The cron of wrangler.toml: deletes runs, transactions and logs past their project's retention. */
  scheduled(_controller, env, ctx) {
    const clock = projectClock(env);
    ctx.waitUntil(sweepRetention(env.DB, env.BLOBS, clock).then((rows) => void (rows > 0 && logEvent("info", "retention_swept", { rows }))));
  },
} satisfies ExportedHandler<Env, OutboxMessage>;
