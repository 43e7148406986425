import type { BlockEnv, Need, TxResult } from "../evm/types.ts";
import type { DoStateSource } from "../state/do-source.ts";
import type { ReadChain } from "./view.ts";
import { senderDeferrable } from "../evm/run.ts";
import { execute } from "./execute.ts";
import { loadHints } from "./load-hints.ts";
import type { ExecMeter } from "./meter.ts";
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
  /**
   * A run at an older block: told the stamp of the latest write to what it read, it refuses
   * when that write came after the block (state is kept at the latest block only).
   */
  readAt?: (lastWriteStamp: number) => void;
}

/** A read-only execution at the latest state (with the overrides laid over it); nothing is committed. */
export function call(chain: ReadChain, meter: ExecMeter, req: TxRequest, o: CallOverrides = {}): Promise<CallResult> {
  return readOnly(chain, meter.config, async (source, latest) => {
    const block = overrideBlock(latest, o.blockOverrides);
    await applyStateOverrides(source, o.stateOverrides);
    const result = await runUncommitted(chain, source, block, req, meter);
    o.readAt?.(source.lastWriteStamp);
    return { result, block };
  });
}

/**
 * Executes `req` over `source` with the call rules. A call that takes nothing from its sender
 * (no value, no fee) does not load it: the run loads it only if it looks at it (RunOptions.
 * lazySender), and the nonce, unchecked by calls, is the one asked for or zero. Otherwise the
 * sender's current nonce builds the transaction, loaded in one round trip with what the run will
 * surely read (the target, and what calls of its function loaded before).
 */
export async function runUncommitted(chain: ReadChain, source: DoStateSource, block: BlockEnv, req: TxRequest, meter: ExecMeter): Promise<TxResult> {
  const unloaded = buildTx(req, 0n, chain.id);
  const lazySender = senderDeferrable(unloaded);
  const target: Need[] = req.to === null ? [] : [{ kind: "account", address: req.to }, { kind: "code", address: req.to }];
  const sender: Need[] = lazySender ? [] : [{ kind: "account", address: req.from }, { kind: "code", address: req.from }];
  await source.load([...sender, ...target], loadHints.for(req));
  const tx = lazySender ? unloaded : buildTx(req, source.info(req.from)?.nonce ?? 0n, chain.id);
  return execute(source, tx, block, false, meter, undefined, { lazySender });
}
