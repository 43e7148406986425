import type { Env } from "../env.ts";
import { DEFAULT_FORK } from "../evm/fork.ts";
import { TxRun, txPrefetch } from "../evm/run.ts";
import type { BlockEnv, Tx, TxResult } from "../evm/types.ts";
import { DoStateSource } from "../state/do-source.ts";

/**
 * Runs one transaction against the accounts' objects: load what it surely touches, then step
 * the EVM and load whatever it asks for until it ends. Nothing is committed here.
 */
export async function execute(env: Env, source: DoStateSource, tx: Tx, block: BlockEnv, validate: boolean): Promise<TxResult> {
  await source.load(txPrefetch(tx, block));
  const run = new TxRun({ source, tx, block, fork: DEFAULT_FORK, validate });
  for (;;) {
    const r = run.step();
    if (r.done) return r.result;
    await source.load(r.needs);
  }
}

export function newSource(env: Env): DoStateSource {
  return new DoStateSource(env, BigInt(env.CHAIN_ID));
}
