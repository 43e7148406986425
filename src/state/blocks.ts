/**
 * Blocks follow the clock: block n covers [genesis + n * interval, genesis + (n + 1) * interval)
 * seconds. Shared by the Worker (the block a run executes in) and the account objects (the block
 * a commit's stamp falls in).
 */
export interface BlockClock {
  genesisSeconds: number;
  intervalSeconds: number;
  /**
   * No block before this one (a persistent fork's chain starts after its network's block, whose
   * time may be ahead of ours): earlier times fall in it.
   */
  first?: number;
}

/** The project chains' clock (wrangler.toml GENESIS_TIME and BLOCK_TIME). */
export const projectClock = (vars: { GENESIS_TIME: string; BLOCK_TIME: string }): BlockClock => ({ genesisSeconds: Number(vars.GENESIS_TIME), intervalSeconds: Number(vars.BLOCK_TIME) });

export function blockAtMs(c: BlockClock, ms: number): number {
  const s = Math.floor(ms / 1000);
  const counted = s > c.genesisSeconds ? Math.floor((s - c.genesisSeconds) / c.intervalSeconds) : 0;
  return Math.max(counted, c.first ?? 0);
}

export function blockStartMs(c: BlockClock, n: number): number {
  return (c.genesisSeconds + n * c.intervalSeconds) * 1000;
}

/** Commit and read stamps are microseconds (a millisecond clock and a logical counter). */
export const stampMs = (stamp: number) => Math.floor(stamp / 1000);
