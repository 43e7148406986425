import { exports } from "cloudflare:workers";
import type { TestKey } from "./helpers.ts";

const worker = exports as unknown as { default: { fetch(r: Request): Promise<Response> } };

/** A fetch that reaches this Worker (clients take it as their transport's fetch). */
export const fetchWorker = (input: RequestInfo | URL, init?: RequestInit) => worker.default.fetch(new Request(input, init));

/** One JSON-RPC request to `/rpc/{key}`: the whole response body (`result` or `error`). */
export async function rpc(k: TestKey, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetchWorker(`http://edge-evm.test/rpc/${k.key}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return res.json();
}
