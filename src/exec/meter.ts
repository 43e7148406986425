import type { RunLimits } from "../evm/run.ts";
import type { TxResult } from "../evm/types.ts";
import type { TraceMeter } from "../trace/meter.ts";
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
  /** The request's trace meter (bounds and prices every trace it builds); absent: one per trace. */
  readonly trace?: TraceMeter;
}

/** A meter that only applies `limits` (tools and tests that run the EVM over memory): nothing is counted. */
export function limitsOnly(limits: RunLimits = {}): ExecMeter {
  const config: Config = { genesisTime: 0n, blockTimeSeconds: 2n, firstBlock: 0n, maxGas: 1n << 24n, faucetWei: 0n, memoryCapBytes: limits.memoryBytes ?? 1 << 25, timeCapMs: 5000, requestGas: 1n << 26n };
  return { config, begin: async () => limits, end: () => {} };
}

/** A meter that applies the sandbox caps of `config` to each execution: nothing is counted or charged. */
export function sandboxMeter(config: Config): ExecMeter {
  return { config, begin: async () => ({ memoryBytes: config.memoryCapBytes, deadline: Date.now() + config.timeCapMs }), end: () => {} };
}
