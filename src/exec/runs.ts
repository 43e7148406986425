import type { StoredAnswer } from "../durable/account-records.ts";
import type { IdempotencyClaim, RecordedCommit } from "../durable/protocol.ts";
import type { Hex } from "../primitives/hex.ts";
import { bytesToHex } from "../primitives/hex.ts";
import type { CommitRecord } from "../records/run.ts";
import type { BlockEnv, TxExecuted, TxInvalid, TxResult } from "../evm/types.ts";
import { currentBlock } from "./block.ts";
import { call, type CallOverrides } from "./call.ts";
import { createAccessList, estimateGas, type AccessListAnswer, type Estimate } from "./estimate.ts";
import { capHit } from "./caps.ts";
import type { RunContext } from "./context.ts";
import { capped, endOf, logged, type OpenRun, type RunEnd } from "./run-log.ts";
import type { SignedTx } from "../evm/tx/raw.ts";
import { sendTx, type Executed, type Sendable } from "./send.ts";
import { replayRecord } from "./replay.ts";
import { txRecord, type Signature } from "./tx-record.ts";
import { simulate, type Simulated, type SimulateOptions } from "./simulate.ts";
import { NETWORK_BLOCK_TIME, simulateBlocks, type BlockStateCall, type SimulateBlocksOptions, type SimulatedBlock } from "./simulate-blocks.ts";
import { traceCall, traceCapHit, traceCommitted, type TraceRequest, type Traced } from "./trace.ts";
import { buildTx, txHash, type TxRequest } from "./tx.ts";

/** The kinds of run the API offers, each executed end to end, metered and logged once. */

export type Committed = { result: TxExecuted; hash: Hex; block: BlockEnv; tx: Executed["tx"] };

export type Sent =
  | ({ runId: string; kind: "committed" } & Committed)
  | { runId: string; kind: "invalid"; invalid: TxInvalid }
  /** An idempotent retry: the first answer, replayed. */
  | { runId: string; kind: "replay"; answer: StoredAnswer };

/** How a REST send presents its committed outcome: stored with the commit for idempotent replays. */
export type Presenter = (runId: string, c: Committed) => StoredAnswer;

export interface SendAsks {
  idempotency?: IdempotencyClaim;
  present?: Presenter;
}

/** `send` (req.to set) or `deploy` (req.to null) from the caller's account, committed. */
export function runSend(ctx: RunContext, req: Omit<TxRequest, "from">, asks: SendAsks = {}): Promise<Sent> {
  const from = ctx.caller.address;
  return runSendable(ctx, { to: req.to, data: req.data, gas: req.gas }, { from, build: (nonce) => buildTx({ ...req, from }, nonce, ctx.chain.id), hash: txHash }, asks);
}

/** A signed transaction (eth_sendRawTransaction), committed exactly like a REST send. */
export function runSendSigned(ctx: RunContext, signed: SignedTx): Promise<Sent> {
  const { tx } = signed;
  return runSendable(ctx, { to: tx.to, data: tx.data, gas: tx.gasLimit }, { from: tx.from, build: () => tx, hash: () => signed.hash }, {}, signed);
}

function runSendable(ctx: RunContext, what: { to: TxRequest["to"]; data: Uint8Array; gas: bigint }, s: Sendable, asks: SendAsks, sig?: Signature): Promise<Sent> {
  const kind = what.to === null ? "deploy" : "send";
  return logged<Sent>(ctx, { kind, to: what.to, data: what.data, gasLimit: what.gas }, async (run) => {
    const record = (x: Executed) => recordOf(ctx, run, x, asks, sig);
    const out = await sendTx(ctx.chain, run.meter, s, { fault: ctx.fault, defer: (w) => ctx.defer(w), idempotency: asks.idempotency, record });
    const latest = () => currentBlock(ctx.chain.id, ctx.config).env.number;
    if (out.kind === "replay") {
      const value: Sent = { runId: String(out.answer.body.runId ?? run.id), kind: "replay", answer: out.answer };
      // Executed, then refused at the commit as a duplicate: that execution is charged.
      return out.executed ? { value, end: { status: "error", errorCode: "idempotent_replay", blockNumber: latest() } } : { value, nothing: true };
    }
    if (out.kind === "cap") return capped(out.cap, out.block.number);
    if (out.kind === "invalid") return { value: { runId: run.id, kind: "invalid", invalid: out.invalid }, end: endOf(out.invalid, latest()) };
    return { value: { runId: run.id, kind: "committed", result: out.result, hash: out.hash, block: out.block, tx: out.tx }, committedBy: ctx.chain.name(s.from) };
  });
}

/** What the commit of `x` writes with its decision: the run with its charge so far, the transaction, its logs and replay. */
function recordOf(ctx: RunContext, run: OpenRun, x: Executed, asks: SendAsks, sig?: Signature): RecordedCommit {
  const r = x.result;
  const end: RunEnd = { ...endOf(r, x.block.number), txHash: x.hash, contractAddress: r.status === "success" ? r.createdAddress : undefined };
  const record: CommitRecord = {
    run: run.row(end),
    tx: txRecord(x.tx, x.hash, r, x.block.baseFee, sig),
    logs: r.status === "success" ? r.logs.map((l) => ({ address: l.address, topics: l.topics, data: bytesToHex(l.data) })) : [],
    replay: JSON.stringify(replayRecord(x.tx, x.observed)),
    stamp: 0,
  };
  const present = asks.present;
  const idempotency = asks.idempotency === undefined || present === undefined ? undefined : { ...asks.idempotency, answer: present(run.id, { result: r, hash: x.hash, block: x.block, tx: x.tx }) };
  return { record, reservationId: ctx.budget.reservationId ?? "", idempotency };
}

export interface Called {
  runId: string;
  result: TxResult;
}

export function runCall(ctx: RunContext, req: TxRequest, overrides: CallOverrides = {}): Promise<Called> {
  return logged(ctx, { kind: "call", to: req.to, data: req.data, gasLimit: req.gas }, async (run) => {
    const { result, block } = await call(ctx.view ?? ctx.chain, run.meter, req, overrides);
    const cap = result.valid ? capHit(result) : undefined;
    if (cap !== undefined) return capped(cap, block.number);
    return { value: { runId: run.id, result }, end: endOf(result, block.number) };
  });
}

/** eth_estimateGas, logged as a simulation; every run of its search is charged. */
export function runEstimate(ctx: RunContext, req: TxRequest, overrides: CallOverrides = {}): Promise<Estimate & { runId: string }> {
  return logged<Estimate & { runId: string }>(ctx, { kind: "simulate", to: req.to, data: req.data, gasLimit: req.gas }, async (run) => {
    const est = await estimateGas(ctx.view ?? ctx.chain, run.meter, req, overrides);
    const blockNumber = currentBlock(ctx.chain.id, ctx.config).env.number;
    if ("gas" in est) return { value: { runId: run.id, ...est }, end: { status: "success", errorCode: null, blockNumber } };
    return { value: { runId: run.id, ...est }, end: endOf(est.failed, blockNumber) };
  });
}

/** eth_createAccessList, logged as a simulation. */
export function runAccessList(ctx: RunContext, req: TxRequest, overrides: CallOverrides = {}): Promise<AccessListAnswer & { runId: string }> {
  return logged(ctx, { kind: "simulate", to: req.to, data: req.data, gasLimit: req.gas }, async (run) => {
    const a = await createAccessList(ctx.view ?? ctx.chain, run.meter, req, overrides);
    return { value: { runId: run.id, ...a }, end: endOf(a.result, currentBlock(ctx.chain.id, ctx.config).env.number) };
  });
}

/** debug_traceCall, logged as a simulation. */
export function runTraceCall(ctx: RunContext, req: TxRequest, trace: TraceRequest, overrides: CallOverrides = {}): Promise<Traced> {
  return logged(ctx, { kind: "simulate", to: req.to, data: req.data, gasLimit: req.gas }, async (run) => {
    const t = await traceCall(ctx.view ?? ctx.chain, run.meter, req, trace, overrides);
    const blockNumber = currentBlock(ctx.chain.id, ctx.config).env.number;
    const cap = traceCapHit(t.result);
    if (cap !== undefined) return capped(cap, blockNumber);
    return { value: t, end: endOf(t.result, blockNumber) };
  });
}

/** debug_traceTransaction, logged as a simulation of the replayed transaction (its gas is charged again). */
export function runTraceCommitted(ctx: RunContext, replayJson: string, blockNumber: bigint, to: TxRequest["to"], gasLimit: bigint, trace: TraceRequest): Promise<Traced> {
  return logged(ctx, { kind: "simulate", to, data: new Uint8Array(0), gasLimit }, async (run) => {
    const t = await traceCommitted(ctx.chain, run.meter, replayJson, blockNumber, trace);
    const now = currentBlock(ctx.chain.id, ctx.config).env.number;
    const cap = traceCapHit(t.result);
    if (cap !== undefined) return capped(cap, now);
    return { value: t, end: endOf(t.result, now) };
  });
}

/** eth_simulateV1: one logged simulation for all its blocks; every call's gas is charged. */
export function runSimulateBlocks(ctx: RunContext, blocks: BlockStateCall[], opts: SimulateBlocksOptions): Promise<SimulatedBlock[]> {
  const first = blocks.find((b) => b.calls.length > 0)?.calls[0];
  const gasLimit = blocks.reduce((n, b) => n + b.calls.reduce((m, c) => m + (c.gas ?? 0n), 0n), 0n);
  return logged(ctx, { kind: "simulate", to: first?.to ?? null, data: first?.data ?? new Uint8Array(0), gasLimit }, async (run) => {
    // On a network, blocks step as geth steps them there; on ours, by our block time.
    const out = await simulateBlocks(ctx.view ?? ctx.chain, run.meter, blocks, ctx.view === undefined ? opts : { blockTime: NETWORK_BLOCK_TIME, ...opts });
    const results = out.flatMap((b) => b.calls.map((c) => c.result));
    const failed = results.find((r) => !r.valid || r.status !== "success");
    const blockNumber = currentBlock(ctx.chain.id, ctx.config).env.number;
    const cap = results.map(capHit).find((e) => e !== undefined);
    if (cap !== undefined) return capped(cap, blockNumber);
    return { value: out, end: failed === undefined ? { status: "success", errorCode: null, blockNumber } : endOf(failed, blockNumber) };
  });
}

export interface SimulatedBundle {
  runId: string;
  results: Simulated[];
}

/** A bundle logs one run: its first transaction's target; every execution (with the access-list re-runs) is charged. */
export function runSimulate(ctx: RunContext, reqs: TxRequest[], opts: SimulateOptions = {}): Promise<SimulatedBundle> {
  const gasLimit = reqs.reduce((n, r) => n + r.gas, 0n);
  const first = reqs[0];
  return logged(ctx, { kind: "simulate", to: first.to, data: first.data, gasLimit }, async (run) => {
    const { results, block } = await simulate(ctx.view ?? ctx.chain, run.meter, reqs, opts);
    for (const { result } of results) {
      const cap = result.valid ? capHit(result) : undefined;
      if (cap !== undefined) return capped(cap, block.number);
    }
    const failed = results.find(({ result }) => !result.valid || result.status !== "success");
    const end: RunEnd = failed === undefined ? { status: "success", errorCode: null, blockNumber: block.number } : endOf(failed.result, block.number);
    return { value: { runId: run.id, results }, end };
  });
}

/**
 * A request that used a network's upstream (or its answer cache) with no logged run to carry that
 * charge (a read, a block lookup passed through, a send whose run settles with its commit): the
 * use is logged as a run of kind `query` whose only charge is the request's surcharges. Its
 * admission held a query's price for it (the network and fork routes ask for one).
 */
export async function chargeSurcharges(ctx: RunContext): Promise<void> {
  if (!ctx.budget.surcharged() || ctx.budget.runs.some((r) => r.row !== undefined)) return;
  await logged(ctx, { kind: "query", to: null, data: new Uint8Array(0), gasLimit: 0n }, async (run) => {
    run.meter.fixed = 0n;
    return { value: undefined, end: { status: "success", errorCode: "upstream", blockNumber: currentBlock(ctx.chain.id, ctx.config).env.number } };
  });
}

/** A request answered from the answer cache (a network's identical request at the same block): nothing ran, it costs `price`. */
export function runCached(ctx: RunContext, start: { kind: "call" | "simulate"; to: TxRequest["to"]; data: Uint8Array; gasLimit: bigint }, price: bigint): Promise<void> {
  return logged(ctx, start, async (run) => {
    run.meter.fixed = price;
    return { value: undefined, end: { status: "success", errorCode: "cached", blockNumber: currentBlock(ctx.chain.id, ctx.config).env.number } };
  });
}
