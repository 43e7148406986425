import type { Env } from "../env.ts";
import type { BlockEnv } from "../evm/types.ts";
import type { DoStateSource } from "../state/do-source.ts";
import type { Chain } from "./chain.ts";

/**
 * State fixed at one block (a network's, read from its upstream): it cannot change under a run,
 * so read-only work runs on it once, without the re-check that our own chains need. `id` is the
 * chain id its transactions carry.
 */
export interface PinnedView {
  readonly id: bigint;
  readonly env: Env;
  run<T>(work: (source: DoStateSource, block: BlockEnv) => Promise<T>): Promise<T>;
}

/** Where read-only work runs: the latest state of one of our chains, or a pinned view. */
export type ReadChain = Chain | PinnedView;
