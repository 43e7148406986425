import type { KeyView } from "../durable/ledger/protocol.ts";
import type { Env } from "../env.ts";
import type { RequestBudget } from "./budget.ts";
import type { Chain } from "./chain.ts";
import type { Config } from "./config.ts";
import type { Fault } from "./faults.ts";

/** Everything a run needs to know about who runs it and where, and the request's budget. */
export interface RunContext {
  env: Env;
  config: Config;
  caller: KeyView;
  /** The caller's project's chain. */
  chain: Chain;
  fault?: Fault;
  /** Every execution of the request is counted, bounded and charged here. */
  budget: RequestBudget;
  /** Work that may finish after the answer (the Worker's waitUntil). */
  defer(work: Promise<unknown>): void;
}
