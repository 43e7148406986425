import { CAPS } from "../../exec/caps.ts";
import { findTransaction, replayOf } from "../../db/transactions.ts";
import { runTraceCall, runTraceCommitted } from "../../exec/runs.ts";
import { needScope } from "../../exec/scopes.ts";
import type { TraceRequest } from "../../exec/trace.ts";
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
