import type { ApiKey } from "../db/keys.ts";
import type { Env } from "../env.ts";
import { Chain } from "./chain.ts";
import { configOf, type Config } from "./config.ts";
import type { Fault } from "./faults.ts";
import type { PinnedView } from "./view.ts";

/** Everything a run needs to know about who runs it and where. */
export interface RunContext {
  env: Env;
  config: Config;
  caller: ApiKey;
  /** The caller's project's chain. */
  chain: Chain;
  /** Set for read-only runs on a network at a block (fork mode): they run there, not on `chain`. */
  view?: PinnedView;
  fault?: Fault;
}

export function runContext(env: Env, caller: ApiKey, fault?: Fault): RunContext {
  const config = configOf(env);
  // The plan may lower the gas cap, never raise it.
  if (caller.maxGasPerRun !== null && caller.maxGasPerRun < config.maxGas) config.maxGas = caller.maxGasPerRun;
  return { env, config, caller, chain: new Chain(env, caller.chainId), fault };
}
