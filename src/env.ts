import type { PriceVars } from "./billing/prices.ts";
import type { Account } from "./durable/account.ts";
import type { KeyGate } from "./durable/key-gate.ts";
import type { ForkVars } from "./fork/config.ts";

/** Bindings and vars of the Worker and the Account objects (wrangler.toml). */
export interface Env extends PriceVars, ForkVars {
  DB: D1Database;
  ACCOUNTS: DurableObjectNamespace<Account>;
  /** One KeyGate per API key: its request rate. */
  KEY_GATES: DurableObjectNamespace<KeyGate>;
  CHAIN_ID: string;
  GENESIS_TIME: string;
  BLOCK_TIME: string;
  MAX_GAS: string;
  FAUCET_WEI: string;
  MEMORY_CAP_BYTES: string;
  TIME_CAP_MS: string;
  PREPARE_TIMEOUT_MS: string;
  SENDER_LEASE_MS: string;
  /** The operator's secret (a wrangler secret; `.dev.vars` locally): opens `/operator/*`, which grants credit. */
  OPERATOR_SECRET?: string;
  /**
   * Test-only: "on" lets a request inject a fault with the `x-fault` header (see
   * src/exec/faults.ts). Set only by vitest.workers.config.ts, never in wrangler.toml.
   */
  FAULT_INJECTION?: string;
}
