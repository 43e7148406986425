import type { Hex } from "../primitives/hex.ts";
import type { BlockEnv, TxExecuted, TxInvalid, TxResult } from "../evm/types.ts";
import { currentBlock } from "./block.ts";
import { call, type CallOverrides } from "./call.ts";
import { createAccessList, estimateGas, type AccessListAnswer, type Estimate } from "./estimate.ts";
import { capHit } from "./caps.ts";
import type { RunContext } from "./context.ts";
import { capped, endOf, logged, type RunEnd } from "./run-log.ts";
import type { SignedTx } from "../evm/tx/raw.ts";
import { sendTx, type Sendable } from "./send.ts";
import { replayRecord } from "./replay.ts";
import { txRecord, type Signature } from "./tx-record.ts";
import { simulate, type Simulated, type SimulateOptions } from "./simulate.ts";
import { simulateBlocks, type BlockStateCall, type SimulatedBlock } from "./simulate-blocks.ts";
import { traceCall, traceCommitted, type TraceRequest, type Traced } from "./trace.ts";
import { buildTx, txHash, type TxRequest } from "./tx.ts";

/** The four kinds of run the API offers, each executed end to end and logged once. */

export type Sent = { runId: string; committed: true; result: TxExecuted; hash: Hex; block: BlockEnv } | { runId: string; committed: false; invalid: TxInvalid };

/** `send` (req.to set) or `deploy` (req.to null) from the caller's account, committed. */
export function runSend(ctx: RunContext, req: Omit<TxRequest, "from">): Promise<Sent> {
  const from = ctx.caller.address;
  return runSendable(ctx, { to: req.to, data: req.data, gas: req.gas }, { from, build: (nonce) => buildTx({ ...req, from }, nonce, ctx.chain.id), hash: txHash });
}

/** A signed transaction (eth_sendRawTransaction), committed exactly like a REST send. */
export function runSendSigned(ctx: RunContext, signed: SignedTx): Promise<Sent> {
  const { tx } = signed;
  return runSendable(ctx, { to: tx.to, data: tx.data, gas: tx.gasLimit }, { from: tx.from, build: () => tx, hash: () => signed.hash }, signed);
}

function runSendable(ctx: RunContext, what: { to: TxRequest["to"]; data: Uint8Array; gas: bigint }, s: Sendable, sig?: Signature): Promise<Sent> {
  const kind = what.to === null ? "deploy" : "send";
  return logged<Sent>(ctx, { kind, to: what.to, data: what.data, gasLimit: what.gas }, async (runId) => {
    const out = await sendTx(ctx.chain, ctx.config, s, ctx.fault);
    if ("cap" in out) return capped(out.cap, out.result.gasUsed, out.block.number);
    if (!out.committed) return { value: { runId, committed: false, invalid: out.invalid }, end: endOf(out.invalid, currentBlock(ctx.chain.id, ctx.config).env.number) };
    const r = out.result;
    const end: RunEnd = { ...endOf(r, out.block.number), txHash: out.hash, contractAddress: r.status === "success" ? r.createdAddress : undefined, tx: txRecord(out.tx, out.hash, r, out.block.baseFee, replayRecord(out.tx, out.observed), sig) };
    if (r.status === "success") end.logs = r.logs;
    return { value: { runId, ...out }, end };
  });
}

export interface Called {
  runId: string;
  result: TxResult;
}

export function runCall(ctx: RunContext, req: TxRequest, overrides: CallOverrides = {}): Promise<Called> {
  return logged(ctx, { kind: "call", to: req.to, data: req.data, gasLimit: req.gas }, async (runId) => {
    const { result, block } = await call(ctx.view ?? ctx.chain, ctx.config, req, overrides);
    const cap = result.valid ? capHit(result) : undefined;
    if (cap !== undefined) return capped(cap, result.valid ? result.gasUsed : 0n, block.number);
    return { value: { runId, result }, end: endOf(result, block.number) };
  });
}

/** eth_estimateGas, logged as a simulation with the gas of its first (full) run's limit. */
export function runEstimate(ctx: RunContext, req: TxRequest, overrides: CallOverrides = {}): Promise<Estimate & { runId: string }> {
  return logged<Estimate & { runId: string }>(ctx, { kind: "simulate", to: req.to, data: req.data, gasLimit: req.gas }, async (runId) => {
    const est = await estimateGas(ctx.view ?? ctx.chain, ctx.config, req, overrides);
    const blockNumber = currentBlock(ctx.chain.id, ctx.config).env.number;
    if ("gas" in est) return { value: { runId, ...est }, end: { status: "success", errorCode: null, gasUsed: est.gas, blockNumber } };
    return { value: { runId, ...est }, end: endOf(est.failed, blockNumber) };
  });
}

/** eth_createAccessList, logged as a simulation. */
export function runAccessList(ctx: RunContext, req: TxRequest, overrides: CallOverrides = {}): Promise<AccessListAnswer & { runId: string }> {
  return logged(ctx, { kind: "simulate", to: req.to, data: req.data, gasLimit: req.gas }, async (runId) => {
    const a = await createAccessList(ctx.view ?? ctx.chain, ctx.config, req, overrides);
    return { value: { runId, ...a }, end: endOf(a.result, currentBlock(ctx.chain.id, ctx.config).env.number) };
  });
}

/** debug_traceCall, logged as a simulation. */
export function runTraceCall(ctx: RunContext, req: TxRequest, trace: TraceRequest, overrides: CallOverrides = {}): Promise<Traced> {
  return logged(ctx, { kind: "simulate", to: req.to, data: req.data, gasLimit: req.gas }, async () => {
    const t = await traceCall(ctx.view ?? ctx.chain, ctx.config, req, trace, overrides);
    return { value: t, end: endOf(t.result, currentBlock(ctx.chain.id, ctx.config).env.number) };
  });
}

/** debug_traceTransaction, logged as a simulation of the replayed transaction. */
export function runTraceCommitted(ctx: RunContext, replayJson: string, blockNumber: bigint, to: TxRequest["to"], gasLimit: bigint, trace: TraceRequest): Promise<Traced> {
  return logged(ctx, { kind: "simulate", to, data: new Uint8Array(0), gasLimit }, async () => {
    const t = await traceCommitted(ctx.chain, ctx.config, replayJson, blockNumber, trace);
    return { value: t, end: endOf(t.result, currentBlock(ctx.chain.id, ctx.config).env.number) };
  });
}

/** eth_simulateV1: one logged simulation for all its blocks; gas used is the calls' total. */
export function runSimulateBlocks(ctx: RunContext, blocks: BlockStateCall[], opts: { validation: boolean; traceTransfers: boolean }): Promise<SimulatedBlock[]> {
  const first = blocks.find((b) => b.calls.length > 0)?.calls[0];
  const gasLimit = blocks.reduce((n, b) => n + b.calls.reduce((m, c) => m + c.gas, 0n), 0n);
  return logged(ctx, { kind: "simulate", to: first?.to ?? null, data: first?.data ?? new Uint8Array(0), gasLimit }, async () => {
    const out = await simulateBlocks(ctx.view ?? ctx.chain, ctx.config, blocks, opts);
    const results = out.flatMap((b) => b.calls.map((c) => c.result));
    const gasUsed = results.reduce((n, r) => n + (r.valid ? r.gasUsed : 0n), 0n);
    const failed = results.find((r) => !r.valid || r.status !== "success");
    const blockNumber = currentBlock(ctx.chain.id, ctx.config).env.number;
    return { value: out, end: failed === undefined ? { status: "success", errorCode: null, gasUsed, blockNumber } : { ...endOf(failed, blockNumber), gasUsed } };
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
    const { results, block } = await simulate(ctx.view ?? ctx.chain, ctx.config, reqs, opts);
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
