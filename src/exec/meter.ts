import type { RunLimits } from "../evm/run.ts";
import type { TxResult } from "../evm/types.ts";
import type { Config } from "./config.ts";

/**
 * Every execution a request triggers goes through its meter: an estimate's search, the
 * access-list re-run of a simulation, the re-executions of a send that met a conflict, a replay
 * for a trace. The meter counts each against the request's one budget (gas, time) and makes sure
 * the request can pay for it before it runs; what it used is charged, whatever the outcome.
 */
export interface ExecMeter {
  readonly config: Config;
  /** Before an execution with `gasLimit`: the EVM limits to run it with (refuses when over budget). */
  begin(gasLimit: bigint): Promise<RunLimits>;
  /** After it: what it used. */
  end(result: TxResult): void;
}

/** A meter that only applies the sandbox caps (tests, tools): nothing is counted or charged. */
export function uncountedMeter(config: Config): ExecMeter {
  return {
    config,
    begin: async () => ({ memoryBytes: config.memoryCapBytes, deadline: Date.now() + config.timeCapMs }),
    end: () => {},
  };
}
