import type { BlockEnv } from "../evm/types.ts";
import type { DoStateSource } from "../state/do-source.ts";
import { currentBlock } from "./block.ts";
import type { Chain } from "./chain.ts";
import type { Config } from "./config.ts";
import { ServiceError } from "./errors.ts";

const MAX_ATTEMPTS = 8;

/**
 * Runs read-only work (a call, a simulation) on one state of the chain. The work loads lazily
 * from several objects at different moments; the loads' stamps usually prove that they saw one
 * state (no account read had a write stamped after the earliest read: DoStateSource.consistent).
 * Otherwise every account read confirms that its version is still the one read and that no
 * prepared commit is overwriting it; if one does not, the work runs again. Nothing is committed.
 */
export async function readOnly<T>(chain: Chain, config: Config, work: (source: DoStateSource, block: BlockEnv) => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const source = chain.source();
    const block = currentBlock(chain.id, config);
    const out = await work(source, block.env);
    if (source.loadCalls <= 1 || source.consistent() || (await verified(chain, source))) return out;
  }
  throw new ServiceError(409, "conflict", "the state this run reads kept changing under it; retry it");
}

/** Every account read still has the version read, and no prepared commit is overwriting it. */
export async function verified(chain: Chain, source: DoStateSource): Promise<boolean> {
  const votes = await Promise.all([...source.readSets()].map(([address, r]) => chain.account(address).verify(r)));
  return votes.every((v) => v.ok);
}
