import { DEFAULT_FORK } from "../evm/fork.ts";
import { TxRun, txPrefetch, type RunLimits } from "../evm/run.ts";
import type { Inspector } from "../evm/inspector.ts";
import type { BlockEnv, Tx, TxResult } from "../evm/types.ts";
import type { DoStateSource } from "../state/do-source.ts";

/**
 * Runs one transaction over a lazily loaded source: load what it surely touches, then step the
 * EVM, loading whatever it asks for, until it ends. Commits nothing. `validate: false` (calls,
 * simulations) drops the nonce and fee rules; the balance still has to cover the value.
 */
export async function execute(source: DoStateSource, tx: Tx, block: BlockEnv, validate: boolean, limits: RunLimits, inspector?: Inspector): Promise<TxResult> {
  await source.load(txPrefetch(tx, block));
  const run = new TxRun({ source, tx, block, fork: DEFAULT_FORK, validate, limits, inspector });
  for (;;) {
    const r = run.step();
    if (r.done) return r.result;
    await source.load(r.needs);
  }
}
