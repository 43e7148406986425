import type { AccessListItem, BlockEnv, TxResult } from "../evm/types.ts";
import type { Address } from "../primitives/hex.ts";
import type { DoStateSource } from "../state/do-source.ts";
import { diffNeeds, stateDiff, type AccountDiff } from "../state/state-diff.ts";
import { assetChanges, assetTransfers, type AssetChange, type AssetTransfer } from "../trace/assets.ts";
import type { ReadChain } from "./view.ts";
import type { ExecMeter } from "./meter.ts";
import { execute } from "./execute.ts";
import { applyStateOverrides, overrideBlock, type BlockOverrides, type StateOverrides } from "./overrides.ts";
import { readOnly } from "./read-only.ts";
import type { TraceMeter } from "../trace/meter.ts";
import { traceMeter, traceRun, type TraceRequest, type TraceResult } from "./trace.ts";
import { buildTx, type TxRequest } from "./tx.ts";

export interface SimulateOptions {
  stateOverrides?: StateOverrides;
  blockOverrides?: BlockOverrides;
  /** Check nonce, balance and fees as for a real send (default false). */
  validation?: boolean;
  trace?: TraceRequest;
}

export interface Simulated {
  result: TxResult;
  /** Present for an executed transaction. */
  stateDiff?: AccountDiff[];
  createdAddress?: Address;
  transfers?: AssetTransfer[];
  assetChanges?: AssetChange[];
  accessList?: AccessListItem[];
  /** Gas used when sent with `accessList`. */
  gasUsedWithAccessList?: bigint;
  trace?: TraceResult;
}

/**
 * Runs transactions in sequence on a private overlay of the latest state (with the overrides laid
 * over it): each sees the changes of those before it; nothing is committed. The traces of all of
 * them count on one meter.
 */
export function simulate(chain: ReadChain, exec: ExecMeter, reqs: TxRequest[], opts: SimulateOptions = {}, meter = exec.trace ?? traceMeter()): Promise<{ results: Simulated[]; block: BlockEnv }> {
  return readOnly(chain, exec.config, async (source, latest) => {
    const block = overrideBlock(latest, opts.blockOverrides);
    await applyStateOverrides(source, opts.stateOverrides);
    const results: Simulated[] = [];
    for (const req of reqs) {
      const sim = await simulateOne(chain, source, block, req, opts, exec, meter);
      results.push(sim);
      if (sim.result.valid) source.overlay(sim.result.changes);
    }
    return { results, block };
  });
}

async function simulateOne(chain: ReadChain, source: DoStateSource, block: BlockEnv, req: TxRequest, opts: SimulateOptions, exec: ExecMeter, meter: TraceMeter): Promise<Simulated> {
  await source.load([{ kind: "account", address: req.from }]);
  const tx = buildTx(req, source.info(req.from)?.nonce ?? 0n, chain.id);
  const validate = opts.validation ?? false;
  const traced = await traceRun(source, tx, block, validate, exec, opts.trace, meter);
  const result = traced.result;
  if (!result.valid || meter.over) return { result };
  await source.load(diffNeeds(source, result.changes));
  const transfers = assetTransfers(traced.calls!, result.logs);
  // The same transaction with the access list it would use: its gas tells whether to send one.
  const withList = await execute(source, { ...tx, accessList: traced.accessList }, block, validate, exec);
  return {
    result,
    stateDiff: stateDiff(source, result.changes),
    createdAddress: result.createdAddress,
    transfers,
    assetChanges: assetChanges(transfers),
    accessList: traced.accessList,
    gasUsedWithAccessList: withList.valid ? withList.gasUsed : undefined,
    trace: traced.trace,
  };
}
