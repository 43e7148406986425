import type { BlockClock } from "../state/blocks.ts";
import type { Env } from "../env.ts";

/** The service's settings, read from wrangler.toml vars. */
export interface Config {
  genesisTime: bigint;
  blockTimeSeconds: bigint;
  /** The chain's first block (0; a persistent fork's continues its network's numbers). */
  firstBlock: bigint;
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
    firstBlock: 0n,
    maxGas: BigInt(env.MAX_GAS),
    faucetWei: BigInt(env.FAUCET_WEI),
    memoryCapBytes: Number(env.MEMORY_CAP_BYTES),
    timeCapMs: Number(env.TIME_CAP_MS),
    requestGas: BigInt(env.REQUEST_GAS),
  };
}

/** The block clock of a chain's settings (what the account objects place commits by). */
export const clockOf = (c: Config): BlockClock => ({ genesisSeconds: Number(c.genesisTime), intervalSeconds: Number(c.blockTimeSeconds), first: Number(c.firstBlock) });

/** The settings of a chain whose blocks follow `clock` (a persistent fork's). */
export const onClock = (c: Config, clock: BlockClock): Config => ({ ...c, genesisTime: BigInt(clock.genesisSeconds), blockTimeSeconds: BigInt(clock.intervalSeconds), firstBlock: BigInt(clock.first ?? 0) });
