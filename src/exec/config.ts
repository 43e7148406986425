import type { Env } from "../env.ts";

/** The service's settings, read from wrangler.toml vars. */
export interface Config {
  genesisTime: bigint;
  blockTimeSeconds: bigint;
  maxGas: bigint;
  faucetWei: bigint;
}

export function configOf(env: Env): Config {
  return {
    genesisTime: BigInt(env.GENESIS_TIME),
    blockTimeSeconds: BigInt(env.BLOCK_TIME),
    maxGas: BigInt(env.MAX_GAS),
    faucetWei: BigInt(env.FAUCET_WEI),
  };
}
