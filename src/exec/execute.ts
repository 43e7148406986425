import { DEFAULT_FORK, type Fork } from "../evm/fork.ts";
import { TxRun, txPrefetch } from "../evm/run.ts";
import type { Inspector } from "../evm/inspector.ts";
import type { Precompile } from "../evm/precompiles/types.ts";
import type { BlockEnv, Need, StateSource, Tx, TxResult } from "../evm/types.ts";
import type { Address } from "../primitives/hex.ts";
import { loadHints } from "./load-hints.ts";
import type { ExecMeter } from "./meter.ts";


/**
 * Runs one transaction over a lazily loaded source: load what it surely touches, then step the
 * EVM, loading whatever it asks for, until it ends. Commits nothing. `validate: false` (calls,
 * simulations) drops the nonce and fee rules; the balance still has to cover the value.
 */
/** A state source that can fetch what it misses (the account objects, or a replay record). */
export interface LoadingSource extends StateSource {
  /** `hinted`: guesses loaded along if cheap, not counted as read until read (DoStateSource). */
  load(needs: Need[], hinted?: Need[]): Promise<void>;
  /**
   * A replay record holds what the transaction read and nothing more: tracers that look wider
   * (the prestate tracer's code of accounts only BALANCE'd) show what it holds.
   */
  readonly partial?: boolean;
  /** The rules of the state's chain at its block (a fork of a network); the service's default otherwise. */
  readonly fork?: Fork;
  /** A simulated chain's precompiles (eth_simulateV1 moves them); the fork's when absent. */
  readonly precompiles?: ReadonlyMap<Address, Precompile>;
  /** Its transactions are eth_simulateV1's messages: geth's lighter checks (see RunOptions.simulation). */
  readonly simulation?: boolean;
}

/**
 * A round trip to load state, as work (src/evm/work.ts: estimated ns): what the time cap bounds
 * besides computation, counted rather than timed, so a run of many sequential loads stops at the
 * same point whatever the clock says.
 */
export const LOAD_ROUND_WORK = 1_000_000;

export async function execute(source: LoadingSource, tx: Tx, block: BlockEnv, validate: boolean, meter: ExecMeter, inspector?: Inspector, opts: { lazySender?: boolean } = {}): Promise<TxResult> {
  const limits = await meter.begin(tx.gasLimit);
  const lazySender = opts.lazySender ?? false;
  // Our chains never hold an empty coinbase: load it only to pay it a tip, not on every run.
  // What calls of this function loaded last time comes in the first round too (load-hints.ts).
  await source.load(txPrefetch(tx, block, true, lazySender), loadHints.for(tx));
  const run = new TxRun({ source, tx, block, fork: source.fork ?? DEFAULT_FORK, validate, limits, inspector, lazyCoinbase: true, lazySender, precompiles: source.precompiles, simulation: source.simulation });
  const missed: Need[] = [];
  try {
    for (;;) {
      const r = run.step();
      if (r.done) {
        loadHints.learn(tx, missed);
        meter.end(r.result);
        return r.result;
      }
      // Charged before the load; the run looks at its budget when it resumes (time_cap past it).
      if (limits.work !== undefined) limits.work.left -= LOAD_ROUND_WORK;
      missed.push(...r.needs);
      await source.load(r.needs);
    }
  } finally {
    // A run given up on (a load failed) still holds its frames' memory: back to the isolate.
    run.release();
  }
}
