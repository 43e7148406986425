import type { BlockClock } from "../state/blocks.ts";

/**
 * A persistent fork's blocks continue its network's, as `anvil --fork-url` does: the first is the
 * fork block's number + 1, the block of the fork's creation, at least a second after the fork
 * block's time (a network's clock, or Anvil's after `anvil_mine`, may be ahead of ours); then one
 * every `intervalSeconds` by the clock. Contracts that count blocks or seconds since their last
 * update (Uniswap's price accumulators, interest accrual) never see time run backwards, and a
 * run's block is the same on the Worker and in the account objects (both derive it from here).
 */
export function forkClock(intervalSeconds: number, f: { blockNumber: number; blockTimestamp: number; createdAt: number }): BlockClock {
  const start = Math.max(Math.floor(f.createdAt / 1000), f.blockTimestamp + 1);
  return { genesisSeconds: start - (f.blockNumber + 1) * intervalSeconds, intervalSeconds, first: f.blockNumber + 1 };
}
