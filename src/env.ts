import type { PriceVars } from "./billing/prices.ts";
import type { Account } from "./durable/account.ts";
import type { RpcState } from "./durable/rpc-state.ts";
import type { Ledger } from "./durable/ledger/ledger.ts";
import type { OutboxMessage } from "./durable/outbox.ts";
import type { ForkVars } from "./fork/config.ts";

/** Bindings and vars of the Worker and the Account objects (wrangler.toml). */
export interface Env extends PriceVars, ForkVars {
  DB: D1Database;
  ACCOUNTS: DurableObjectNamespace<Account>;
  /** One Ledger per project: admission (keys, rates, credit) and settlement. */
  LEDGERS: DurableObjectNamespace<Ledger>;
  /** One RpcState object per project: its JSON-RPC filters and impersonated accounts. */
  RPC_STATE: DurableObjectNamespace<RpcState>;
  /** Run records from the objects' outboxes to D1 (this Worker consumes it). */
  RUN_LOG: Queue<OutboxMessage>;
  /** Blobs that do not belong in a D1 row: replay records of committed transactions. */
  BLOBS: R2Bucket;
  /** The web console's static files (src/console/public). */
  ASSETS: Fetcher;
  CHAIN_ID: string;
  GENESIS_TIME: string;
  BLOCK_TIME: string;
  MAX_GAS: string;
  FAUCET_WEI: string;
  MEMORY_CAP_BYTES: string;
  TIME_CAP_MS: string;
  REQUEST_GAS: string;
  /** A request's credit reservation not settled after this long was abandoned (ms; default 10 minutes). */
  RESERVATION_TTL_MS?: string;
  PREPARE_TIMEOUT_MS: string;
  SENDER_LEASE_MS: string;
  /** The operator's secret (a wrangler secret; `.dev.vars` locally): opens `/operator/*`, which grants credit. */
  OPERATOR_SECRET?: string;
  /**
   * Test-only: "on" lets a request inject a fault with the `x-fault` header (see
   * src/exec/faults.ts). Set only by vitest.workers.config.ts, never in wrangler.toml.
   */
  FAULT_INJECTION?: string;
  /** Load test only: "on" counts each request's D1 queries and object calls into `x-edge-evm-hops` (src/api/hop-count.ts). */
  HOP_COUNTS?: string;
  /** "errors": log only failed requests (src/api/middleware/observe.ts). */
  REQUEST_LOG?: string;
}
