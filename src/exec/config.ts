import type { Env } from "../env.ts";

/** The service's settings, read from wrangler.toml vars. */
export interface Config {
  genesisTime: bigint;
  blockTimeSeconds: bigint;
  maxGas: bigint;
  faucetWei: bigint;
  /** Sandbox caps of one execution: EVM memory over all live frames, and its time budget. */
  memoryCapBytes: number;
  timeCapMs: number;
  /** Gas all the executions of one request may use together (an estimate's search, re-executions). */
  requestGas: bigint;
}

export function configOf(env: Env): Config {
  return {
    genesisTime: BigInt(env.GENESIS_TIME),
    blockTimeSeconds: BigInt(env.BLOCK_TIME),
    maxGas: BigInt(env.MAX_GAS),
    faucetWei: BigInt(env.FAUCET_WEI),
    memoryCapBytes: Number(env.MEMORY_CAP_BYTES),
    timeCapMs: Number(env.TIME_CAP_MS),
    requestGas: BigInt(env.REQUEST_GAS),
  };
}
