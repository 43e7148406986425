import type { KeyView as ApiKey } from "../../durable/ledger/protocol.ts";
import type { RunContext } from "../../exec/context.ts";
import { ServiceError } from "../../exec/errors.ts";
import { InjectedFault } from "../../exec/faults.ts";
import { fromServiceError, INTERNAL_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, RpcError } from "./errors.ts";
import type { Method } from "./execution.ts";
import { METHODS } from "./methods.ts";
import { jsonLength } from "../json-stream.ts";

/** The most requests one batch may hold. */
export const MAX_BATCH = 100;
/**
 * The most JSON one answer may hold (a batch's items summed): an isolate holds the whole answer
 * in memory. Past it, an item answers geth's "response too large" (-32003) and the items after
 * it are not run.
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
const RESPONSE_TOO_LARGE = -32003;

type Id = string | number | null;

export interface RpcResponse {
  jsonrpc: "2.0";
  id: Id;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export function errorResponse(id: Id, e: RpcError): RpcResponse {
  return { jsonrpc: "2.0", id, error: { code: e.code, message: e.message, ...(e.data !== undefined ? { data: e.data } : {}) } };
}

function validId(id: unknown): id is Id {
  return id === null || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
}

/** One request object: its response, or undefined for a notification (no id). */
async function one(ctx: RunContext, key: ApiKey, req: unknown, methods: Record<string, Method>): Promise<RpcResponse | undefined> {
  if (typeof req !== "object" || req === null || Array.isArray(req)) return errorResponse(null, new RpcError(INVALID_REQUEST, "a request must be an object"));
  const r = req as Record<string, unknown>;
  const notification = !("id" in r);
  const id = validId(r.id) ? r.id : null;
  if (r.jsonrpc !== "2.0" || typeof r.method !== "string" || (!notification && !validId(r.id))) return errorResponse(id, new RpcError(INVALID_REQUEST, 'a request needs jsonrpc "2.0", a method and a string, number or null id'));
  const method = Object.hasOwn(methods, r.method) ? methods[r.method] : undefined;
  let response: RpcResponse;
  if (method === undefined) response = errorResponse(id, new RpcError(METHOD_NOT_FOUND, `the method ${r.method.slice(0, 64)} does not exist/is not available`));
  else {
    try {
      response = { jsonrpc: "2.0", id, result: await method(ctx, key, r.params) };
    } catch (e) {
      response = errorResponse(id, asRpcError(e));
    }
  }
  return notification ? undefined : response;
}

function asRpcError(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  if (e instanceof ServiceError) return fromServiceError(e);
  if (e instanceof InjectedFault) throw e;
  console.error("JSON-RPC method failed:", e);
  return new RpcError(INTERNAL_ERROR, "internal error: the request committed whole or not at all; retry it");
}

/**
 * A request body (one request or a batch): the response body, or undefined when nothing is
 * answered. `methods`: those of our chains, or a network's (src/api/network/rpc-methods.ts).
 */
export async function handle(ctx: RunContext, key: ApiKey, body: unknown, methods: Record<string, Method> = METHODS): Promise<RpcResponse | RpcResponse[] | undefined> {
  if (!Array.isArray(body)) return one(ctx, key, body, methods);
  if (body.length === 0) return errorResponse(null, new RpcError(INVALID_REQUEST, "an empty batch"));
  if (body.length > MAX_BATCH) return errorResponse(null, new RpcError(INVALID_REQUEST, `a batch holds at most ${MAX_BATCH} requests`, { code: "batch_too_large" }));
  const out: RpcResponse[] = [];
  let bytes = 0;
  // In order, one at a time: a batch of sends from one account keeps its nonce order.
  for (const req of body) {
    if (bytes > MAX_ANSWER_BYTES) {
      out.push(tooLarge(req));
      continue;
    }
    const r = await one(ctx, key, req, methods);
    if (r === undefined) continue;
    bytes += jsonLength(r);
    out.push(bytes > MAX_ANSWER_BYTES ? tooLarge(req) : r);
  }
  return out.length === 0 ? undefined : out;
}

function tooLarge(req: unknown): RpcResponse {
  const id = typeof req === "object" && req !== null && validId((req as { id?: unknown }).id) ? (req as { id: Id }).id : null;
  return errorResponse(id, new RpcError(RESPONSE_TOO_LARGE, `response too large: a batch's answer holds at most ${MAX_ANSWER_BYTES} bytes of JSON; split the batch`, { code: "answer_too_large" }));
}
