import type { Hex } from "../primitives/hex.ts";
import type { BlockEnv, TxExecuted, TxInvalid, TxResult } from "../evm/types.ts";
import { currentBlock } from "./block.ts";
import { call } from "./call.ts";
import { capHit } from "./caps.ts";
import type { RunContext } from "./context.ts";
import { capped, endOf, logged, type RunEnd } from "./run-log.ts";
import { send } from "./send.ts";
import { simulate, type Simulated, type SimulateOptions } from "./simulate.ts";
import type { TxRequest } from "./tx.ts";

/** The four kinds of run the API offers, each executed end to end and logged once. */

export type Sent = { runId: string; committed: true; result: TxExecuted; hash: Hex; block: BlockEnv } | { runId: string; committed: false; invalid: TxInvalid };

/** `send` (req.to set) or `deploy` (req.to null) from the caller's account, committed. */
export function runSend(ctx: RunContext, req: Omit<TxRequest, "from">): Promise<Sent> {
  const kind = req.to === null ? "deploy" : "send";
  return logged<Sent>(ctx, { kind, to: req.to, data: req.data, gasLimit: req.gas }, async (runId) => {
    const out = await send(ctx.chain, ctx.config, { ...req, from: ctx.caller.address }, ctx.fault);
    if ("cap" in out) return capped(out.cap, out.result.gasUsed, out.block.number);
    if (!out.committed) return { value: { runId, committed: false, invalid: out.invalid }, end: endOf(out.invalid, currentBlock(ctx.chain.id, ctx.config).env.number) };
    const end: RunEnd = { ...endOf(out.result, out.block.number), txHash: out.hash, contractAddress: out.result.status === "success" ? out.result.createdAddress : undefined };
    if (out.result.status === "success") end.logs = out.result.logs;
    return { value: { runId, ...out }, end };
  });
}

export interface Called {
  runId: string;
  result: TxResult;
}

export function runCall(ctx: RunContext, req: TxRequest): Promise<Called> {
  return logged(ctx, { kind: "call", to: req.to, data: req.data, gasLimit: req.gas }, async (runId) => {
    const { result, block } = await call(ctx.chain, ctx.config, req);
    const cap = result.valid ? capHit(result) : undefined;
    if (cap !== undefined) return capped(cap, result.valid ? result.gasUsed : 0n, block.number);
    return { value: { runId, result }, end: endOf(result, block.number) };
  });
}

export interface SimulatedBundle {
  runId: string;
  results: Simulated[];
}

/** A bundle logs one run: its first transaction's target, the gas of all. */
export function runSimulate(ctx: RunContext, reqs: TxRequest[], opts: SimulateOptions = {}): Promise<SimulatedBundle> {
  const gasLimit = reqs.reduce((n, r) => n + r.gas, 0n);
  const first = reqs[0];
  return logged(ctx, { kind: "simulate", to: first.to, data: first.data, gasLimit }, async (runId) => {
    const { results, block } = await simulate(ctx.chain, ctx.config, reqs, opts);
    const gasUsed = results.reduce((n, { result }) => n + (result.valid ? result.gasUsed : 0n), 0n);
    for (const { result } of results) {
      const cap = result.valid ? capHit(result) : undefined;
      if (cap !== undefined) return capped(cap, gasUsed, block.number);
    }
    const failed = results.find(({ result }) => !result.valid || result.status !== "success");
    const end: RunEnd = failed === undefined ? { status: "success", errorCode: null, gasUsed, blockNumber: block.number } : { ...endOf(failed.result, block.number), gasUsed };
    return { value: { runId, results }, end };
  });
}
