import { apiKey } from "./session.ts";

/** An answer of the API that is not 2xx, or a JSON-RPC error: its stable code and message. */
export class ApiError extends Error {
  override name = "Console.ApiError";
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

function headers(body: boolean): Record<string, string> {
  const key = apiKey();
  if (key === null) throw new ApiError(401, "signed_out", "sign in with an API key first");
  return { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) };
}

/** One REST request to `/v1/*` with the signed-in key. */
export async function rest<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/v1${path}`, { method, headers: headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? "http_error", json?.error?.message ?? `HTTP ${res.status}`);
  return json as T;
}

interface RpcAnswer {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: { code?: string } };
}

/** A JSON-RPC batch to `/rpc` with the signed-in key: results in the order of `calls`, or the first error. */
export async function rpcBatch(calls: { method: string; params: unknown[] }[]): Promise<unknown[]> {
  const body = calls.map((c, id) => ({ jsonrpc: "2.0", id, method: c.method, params: c.params }));
  const res = await fetch("/rpc", { method: "POST", headers: headers(true), body: JSON.stringify(body) });
  const json = await res.json().catch(() => undefined);
  if (!Array.isArray(json)) throw new ApiError(res.status, json?.error?.data?.code ?? json?.error?.code ?? "rpc_error", json?.error?.message ?? `HTTP ${res.status}`);
  const byId = new Map((json as RpcAnswer[]).map((a) => [a.id, a]));
  return calls.map((c, id) => {
    const a = byId.get(id);
    if (a === undefined) throw new ApiError(500, "rpc_error", `no answer to ${c.method}`);
    if (a.error !== undefined) throw new ApiError(res.status, a.error.data?.code ?? String(a.error.code), a.error.message);
    return a.result;
  });
}
