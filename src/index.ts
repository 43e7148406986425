import { app } from "./api/app.ts";
import { releaseAbandoned } from "./billing/credit.ts";
import type { Env } from "./env.ts";
import { installEvmWasm } from "./evm/wasm/install.ts";
import evmWasm from "./evm/wasm/evm.wasm";

// workerd compiles WebAssembly only from modules bundled with the Worker.
installEvmWasm(evmWasm);

export { Account } from "./durable/account.ts";
export { KeyGate } from "./durable/key-gate.ts";

export default {
  fetch: app.fetch,
  /** The cron of wrangler.toml: gives back credit held by reservations whose Worker died. */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(releaseAbandoned(env.DB).then((n) => void (n > 0 && console.log(`released ${n} abandoned credit reservations`))));
  },
} satisfies ExportedHandler<Env>;
