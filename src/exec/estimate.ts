import type { AccessListItem, BlockEnv, TxExecuted, TxResult } from "../evm/types.ts";
import type { DoStateSource } from "../state/do-source.ts";
import { AccessListTracer } from "../trace/access-list.ts";
import type { CallOverrides } from "./call.ts";
import type { Chain } from "./chain.ts";
import { execute } from "./execute.ts";
import type { ExecMeter } from "./meter.ts";
import { applyStateOverrides, overrideBlock } from "./overrides.ts";
import { readOnly } from "./read-only.ts";
import { excludedFromAccessList } from "./trace.ts";
import { buildTx, type TxRequest } from "./tx.ts";

/** The least gas with which the transaction succeeds, or why it fails even with all it may have. */
export type Estimate = { gas: bigint } | { failed: TxResult };

const STIPEND = 2300n;

/**
 * eth_estimateGas: run once with the request's gas (the cap when absent); if that fails, so does
 * the estimate. Otherwise search the exact minimum that succeeds, between what it used and what
 * it had, first trying geth's optimistic guess (used + refund + stipend, times 64/63). All runs
 * share one view of the state, so only the first loads anything.
 */
export function estimateGas(chain: Chain, meter: ExecMeter, req: TxRequest, o: CallOverrides = {}): Promise<Estimate> {
  return readOnly(chain, meter.config, async (source, latest) => {
    const block = overrideBlock(latest, o.blockOverrides);
    await applyStateOverrides(source, o.stateOverrides);
    await source.load([{ kind: "account", address: req.from }]);
    const nonce = source.info(req.from)?.nonce ?? 0n;
    const est = await searchMinimumGas((gas) => execute(source, buildTx({ ...req, gas }, nonce, chain.id), block, false, meter), req.gas);
    o.readAt?.(source.lastWriteStamp);
    return est;
  });
}

/**
 * The least gas limit for which `attempt` succeeds, at most `cap`: the binary search of
 * eth_estimateGas, engine-neutral (the Worker runs it over account objects, tests over memory).
 */
export async function searchMinimumGas(attempt: (gas: bigint) => TxResult | Promise<TxResult>, cap: bigint): Promise<Estimate> {
  const first = await attempt(cap);
  if (!succeeded(first)) return { failed: first };
  let lo = first.gasUsed - 1n, hi = cap;
  const optimistic = ((first.gasUsed + first.gasRefunded + STIPEND) * 64n) / 63n;
  if (optimistic < hi) {
    if (succeeded(await attempt(optimistic))) hi = optimistic;
    else lo = optimistic;
  }
  while (lo + 1n < hi) {
    const mid = (lo + hi) / 2n;
    if (succeeded(await attempt(mid))) hi = mid;
    else lo = mid;
  }
  return { gas: hi };
}

function succeeded(r: TxResult): r is TxExecuted {
  return r.valid && r.status === "success";
}

export interface AccessListAnswer {
  accessList: AccessListItem[];
  result: TxResult;
}

/**
 * eth_createAccessList: run, collect what the transaction names, run again with that list, until
 * the list stops changing (geth's loop); the answer is the last list and the gas used with it.
 */
export function createAccessList(chain: Chain, meter: ExecMeter, req: TxRequest, o: CallOverrides = {}): Promise<AccessListAnswer> {
  return readOnly(chain, meter.config, async (source, latest) => {
    const block = overrideBlock(latest, o.blockOverrides);
    await applyStateOverrides(source, o.stateOverrides);
    await source.load([{ kind: "account", address: req.from }]);
    const answer = await accessListLoop(chain, source, block, req, meter);
    o.readAt?.(source.lastWriteStamp);
    return answer;
  });
}

async function accessListLoop(chain: Chain, source: DoStateSource, block: BlockEnv, req: TxRequest, meter: ExecMeter): Promise<AccessListAnswer> {
  const nonce = source.info(req.from)?.nonce ?? 0n;
  let list = req.accessList ?? [];
  for (let round = 0; ; round++) {
    const tx = buildTx({ ...req, accessList: list }, nonce, chain.id);
    const tracer = new AccessListTracer(excludedFromAccessList(source, tx));
    const result = await execute(source, tx, block, false, meter, tracer);
    const next = tracer.list();
    if (!result.valid || sameList(list, next) || round === 8) return { accessList: next, result };
    list = next;
  }
}

function sameList(a: AccessListItem[], b: AccessListItem[]): boolean {
  const key = (l: AccessListItem[]) => JSON.stringify(l.map((i) => [i.address, i.storageKeys.map(String).sort()]).sort());
  return key(a) === key(b);
}
