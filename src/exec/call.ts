import type { BlockEnv, TxResult } from "../evm/types.ts";
import type { DoStateSource } from "../state/do-source.ts";
import type { ReadChain } from "./view.ts";
import { configOf, runLimits, type Config } from "./config.ts";
import { execute } from "./execute.ts";
import { applyStateOverrides, overrideBlock, type BlockOverrides, type StateOverrides } from "./overrides.ts";
import { readOnly } from "./read-only.ts";
import { buildTx, type TxRequest } from "./tx.ts";

export interface CallResult {
  result: TxResult;
  block: BlockEnv;
}

/** What eth_call may pretend (geth's state override set and block overrides). */
export interface CallOverrides {
  stateOverrides?: StateOverrides;
  blockOverrides?: BlockOverrides;
}

/** A read-only execution at the latest state (with the overrides laid over it); nothing is committed. */
export function call(chain: ReadChain, config: Config, req: TxRequest, o: CallOverrides = {}): Promise<CallResult> {
  return readOnly(chain, config, async (source, latest) => {
    const block = overrideBlock(latest, o.blockOverrides);
    await applyStateOverrides(source, o.stateOverrides);
    return { result: await runUncommitted(chain, source, block, req), block };
  });
}

/** Executes `req` over `source` with the sender's current nonce and the call rules. */
export async function runUncommitted(chain: ReadChain, source: DoStateSource, block: BlockEnv, req: TxRequest): Promise<TxResult> {
  await source.load([{ kind: "account", address: req.from }]);
  const tx = buildTx(req, source.info(req.from)?.nonce ?? 0n, chain.id);
  return execute(source, tx, block, false, runLimits(configOf(chain.env)));
}
