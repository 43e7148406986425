import type { Account } from "./durable/account.ts";

/** Bindings and vars of the Worker (wrangler.toml). */
export interface Env {
  DB: D1Database;
  ACCOUNTS: DurableObjectNamespace<Account>;
  CHAIN_ID: string;
  GENESIS_TIME: string;
  BLOCK_TIME: string;
  MAX_GAS: string;
  FAUCET_WEI: string;
  /** Test-only fault injection ("die-after-prepare"); never set in production config. */
  FAULT?: string;
}
