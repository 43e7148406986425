import { CAPS } from "../../exec/caps.ts";
import { findTransaction, replayOf } from "../../db/transactions.ts";
import { runSimulateBlocks, runTraceCall, runTraceCommitted } from "../../exec/runs.ts";
import { needScope } from "../../exec/scopes.ts";
import { SimulateError, type BlockStateCall } from "../../exec/simulate-blocks.ts";
import type { TraceRequest } from "../../exec/trace.ts";
import { bigIntToHex, bytesToHex, wordToHex, type Hex } from "../../primitives/hex.ts";
import { blockHash } from "../../exec/block.ts";
import { parse } from "../schema/parse.ts";
import { traceSchema } from "../schema/overrides.ts";
import { invalidParams, RpcError, SERVER_ERROR } from "./errors.ts";
import { executionError, type Method } from "./execution.ts";
import { callRequest, hash, object, overrides, params } from "./params.ts";

/** geth's tracer options (debug_trace*): `tracer` and `tracerConfig`, or the struct logger's flags. */
export function tracerOptions(raw: unknown): { trace: TraceRequest; stateOverrides?: unknown; blockOverrides?: unknown } {
  const o = raw === undefined || raw === null ? {} : object(raw, "the tracer options");
  const known = ["tracer", "tracerConfig", "enableMemory", "disableStack", "disableStorage", "enableReturnData", "limit", "timeout", "reexec", "stateOverrides", "blockOverrides"];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw invalidParams(`unknown tracer option "${k}"`, "unknown_field");
  const config = o.tracerConfig === undefined ? {} : object(o.tracerConfig, "tracerConfig");
  let trace: TraceRequest;
  if (o.tracer === undefined || o.tracer === "" || o.tracer === "structLogger") {
    const limit = o.limit === undefined ? undefined : typeof o.limit === "number" && Number.isSafeInteger(o.limit) && o.limit >= 0 ? o.limit : -1;
    if (limit === -1) throw invalidParams("limit must be a non-negative integer", "invalid_trace");
    trace = parse(traceSchema, { type: "opcodes", enableMemory: o.enableMemory, disableStack: o.disableStack, disableStorage: o.disableStorage, enableReturnData: o.enableReturnData, ...(limit ? { limit } : {}) }, "trace");
  } else if (o.tracer === "callTracer" || o.tracer === "prestateTracer") trace = parse(traceSchema, { type: o.tracer, ...config }, "trace");
  else throw new RpcError(SERVER_ERROR, `tracer ${String(o.tracer).slice(0, 40)} is not available: use callTracer, prestateTracer or the default struct logger`, { code: "unknown_tracer" });
  return { trace, stateOverrides: o.stateOverrides, blockOverrides: o.blockOverrides };
}

export const debugTraceCall: Method = async (ctx, key, raw) => {
  needScope(key, "simulate");
  const [txArg, , opts] = params(raw, 1, 3);
  const { trace, stateOverrides, blockOverrides } = tracerOptions(opts);
  const t = await runTraceCall(ctx, callRequest(txArg, key.address, ctx.config.maxGas, CAPS.callDataBytes), trace, overrides(stateOverrides ?? null, blockOverrides));
  if (!t.result.valid) throw executionError(t.result)!;
  return t.trace;
};

export const debugTraceTransaction: Method = async (ctx, key, raw) => {
  needScope(key, "simulate");
  const [h, opts] = params(raw, 1, 2);
  const { trace, stateOverrides, blockOverrides } = tracerOptions(opts);
  if (stateOverrides !== undefined || blockOverrides !== undefined) throw invalidParams("debug_traceTransaction takes no overrides", "unknown_field");
  const row = await findTransaction(ctx.env.DB, ctx.chain.id, hash(h, "transaction hash"));
  if (row === null) throw new RpcError(SERVER_ERROR, "transaction not found", { code: "transaction_not_found" });
  const replay = await replayOf(ctx.env.DB, ctx.env.BLOBS, row);
  if (replay === undefined) throw new RpcError(SERVER_ERROR, "the transaction's replay record is no longer kept (retention)", { code: "replay_unavailable" });
  const t = await runTraceCommitted(ctx, replay, BigInt(row.block_number), row.to_address, BigInt(JSON.parse(row.tx_json).gas), trace);
  return t.trace;
};

const MAX_BLOCKS = 16;

export const simulateV1: Method = async (ctx, key, raw) => {
  needScope(key, "simulate");
  const [payloadRaw] = params(raw, 1, 2);
  const payload = object(payloadRaw, "the simulation");
  for (const k of Object.keys(payload)) if (!["blockStateCalls", "traceTransfers", "validation", "returnFullTransactions"].includes(k)) throw invalidParams(`unknown field "${k}"`, "unknown_field");
  const bsc = payload.blockStateCalls;
  if (!Array.isArray(bsc) || bsc.length === 0 || bsc.length > MAX_BLOCKS) throw invalidParams(`blockStateCalls must hold 1 to ${MAX_BLOCKS} blocks`, "invalid_block_state_calls");
  let total = 0;
  const blocks: BlockStateCall[] = bsc.map((b, i) => {
    const o = object(b, `blockStateCalls[${i}]`);
    const calls = o.calls ?? [];
    if (!Array.isArray(calls)) throw invalidParams(`blockStateCalls[${i}].calls must be an array`);
    total += calls.length;
    if (total > CAPS.transactionsPerSimulation) throw invalidParams(`a simulation runs at most ${CAPS.transactionsPerSimulation} calls`, "too_many_transactions");
    const ov = overrides(o.stateOverrides ?? null, o.blockOverrides);
    return { ...ov, calls: calls.map((c) => callRequest(c, key.address, ctx.config.maxGas, CAPS.callDataBytes)) };
  });
  const flag = (k: string) => {
    if (payload[k] !== undefined && typeof payload[k] !== "boolean") throw invalidParams(`${k} must be true or false`);
    return payload[k] === true;
  };
  let simulated;
  try {
    simulated = await runSimulateBlocks(ctx, blocks, { validation: flag("validation"), traceTransfers: flag("traceTransfers") });
  } catch (e) {
    if (e instanceof SimulateError) throw invalidParams(e.message, e.code);
    throw e;
  }
  const full = flag("returnFullTransactions");
  return simulated.map((b) => {
    const hash = wordToHex(blockHash(ctx.chain.id, b.env.number));
    let logIndex = 0;
    const calls = b.calls.map((c, txIndex) => {
      if (!c.result.valid) throw new RpcError(-38014, c.result.message, { code: c.result.error });
      const r = c.result;
      const logs = c.logs.map((l) => ({ address: l.address, topics: l.topics, data: bytesToHex(l.data), blockNumber: bigIntToHex(b.env.number), blockHash: hash, transactionHash: c.hash, transactionIndex: bigIntToHex(BigInt(txIndex)), logIndex: bigIntToHex(BigInt(logIndex++)), removed: false }));
      const out: Record<string, unknown> = { status: r.status === "success" ? "0x1" : "0x0", returnData: bytesToHex(r.output), gasUsed: bigIntToHex(r.gasUsed), logs };
      const err = executionError(r);
      if (err !== undefined) out.error = { code: err.code === 3 ? 3 : -32015, message: err.message, ...(err.code === 3 ? { data: err.data } : {}) };
      return out;
    });
    const hashes: Hex[] = b.calls.map((c) => c.hash);
    return {
      number: bigIntToHex(b.env.number),
      hash,
      timestamp: bigIntToHex(b.env.timestamp),
      gasLimit: bigIntToHex(b.env.gasLimit),
      gasUsed: bigIntToHex(b.calls.reduce((n, c) => n + (c.result.valid ? c.result.gasUsed : 0n), 0n)),
      baseFeePerGas: bigIntToHex(b.env.baseFee),
      miner: b.env.coinbase,
      transactions: full ? b.calls.map((c, i) => ({ hash: c.hash, transactionIndex: bigIntToHex(BigInt(i)), blockNumber: bigIntToHex(b.env.number), blockHash: hash })) : hashes,
      calls,
    };
  });
};

