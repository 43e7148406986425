import type { Address } from "../primitives/hex.ts";
import type { BlockEnv, TxResult } from "../evm/types.ts";
import { diffNeeds, stateDiff, type AccountDiff } from "../state/state-diff.ts";
import { runUncommitted } from "./call.ts";
import type { Chain } from "./chain.ts";
import type { Config } from "./config.ts";
import { readOnly } from "./read-only.ts";
import type { TxRequest } from "./tx.ts";

export interface Simulated {
  result: TxResult;
  /** Present for an executed transaction. */
  stateDiff?: AccountDiff[];
  createdAddress?: Address;
}

/**
 * Runs transactions in sequence on a private overlay of the latest state: each sees the changes
 * of those before it; nothing is committed.
 */
export function simulate(chain: Chain, config: Config, reqs: TxRequest[]): Promise<{ results: Simulated[]; block: BlockEnv }> {
  return readOnly(chain, config, async (source, block) => {
    const results: Simulated[] = [];
    for (const req of reqs) {
      const result = await runUncommitted(chain, source, block, req);
      if (!result.valid) {
        results.push({ result });
        continue;
      }
      await source.load(diffNeeds(source, result.changes));
      results.push({ result, stateDiff: stateDiff(source, result.changes), createdAddress: result.createdAddress });
      source.overlay(result.changes);
    }
    return { results, block };
  });
}
