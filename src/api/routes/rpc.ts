import { Hono, type Context } from "hono";
import { configOf } from "../../exec/config.ts";
import { upstreamHold } from "../../fork/config.ts";
import type { Chain } from "../../exec/chain.ts";
import { ServiceError } from "../../exec/errors.ts";
import { admit, bearer } from "../admission.ts";
import type { AppEnv } from "../app-env.ts";
import { bodyText } from "../json-body.ts";
import { settleAfter, type Refuse } from "../middleware/keyed.ts";
import { jsonAnswer, SlicedArray, STREAM_ITEMS } from "../json-stream.ts";
import { rpcAsk } from "../rpc/admission-plan.ts";
import { errorResponse, handle, type RpcResponse } from "../rpc/handler.ts";
import { fromServiceError, PARSE_ERROR, RpcError } from "../rpc/errors.ts";

/**
 * Ethereum JSON-RPC: `POST /rpc` with `Authorization: Bearer <key>`, or `POST /rpc/<key>` with
 * the key in the path, as hosted node providers do (so that any client works unchanged).
 */
export const rpcRoutes = new Hono<AppEnv>();

/** A JSON-RPC body refused after it was answered (its deliverable part unpaid: settleAfter). */
export const rpcRefused: Refuse = (c, e) => answered(c, errorResponse(null, fromServiceError(e)), e.status);

rpcRoutes.use("*", settleAfter(rpcRefused));

/**
 * A JSON-RPC answer with the request's id in each error's `data` (beside the stable `code`; not
 * where `data` is the revert bytes of code 3, which clients decode), and the first error's code
 * kept for the request's log line.
 */
function answered(c: Context<AppEnv>, out: RpcResponse | RpcResponse[], status?: number, headers?: Record<string, string>): Response {
  const requestId = c.get("requestId");
  for (const r of Array.isArray(out) ? out : [out]) {
    if (r.error === undefined) continue;
    const data = r.error.data;
    if (data === undefined || (typeof data === "object" && data !== null && !Array.isArray(data))) r.error.data = { ...(data as object | undefined), requestId };
    const code = (data as { code?: unknown } | undefined)?.code;
    if (c.get("errorCode") === undefined) c.set("errorCode", typeof code === "string" ? code : `rpc_${r.error.code}`);
  }
  const long = !Array.isArray(out) && Array.isArray(out.result) && out.result.length > STREAM_ITEMS;
  return c.body(jsonAnswer(long ? { ...out, result: new SlicedArray(out.result as unknown[]) } : out), (status ?? 200) as 200, { ...headers, "content-type": "application/json" });
}

/** Admits, reads and answers one JSON-RPC body with `answer` (our chain's methods by default). */
export async function serve(
  c: Context<AppEnv>,
  secret: () => string,
  answer: (body: unknown) => ReturnType<typeof handle> = (body) => handle(c.var.run, c.var.key, body),
  /** The chain the body runs on when not the project's (found before admission: its senders are fenced). */
  chainOf?: (secret: string) => Promise<Chain | undefined>,
  /** The body may use a network's upstream: admission holds the price of its usual requests (upstreamHold), and a query's even for a body that runs nothing (chargeSurcharges). */
  upstream = false,
): Promise<Response> {
  let text: string;
  try {
    text = await bodyText(c);
  } catch (e) {
    if (e instanceof ServiceError) return answered(c, errorResponse(null, new RpcError(-32600, e.message, { code: e.code })), 413);
    throw e;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return answered(c, errorResponse(null, new RpcError(PARSE_ERROR, "parse error: the body is not valid JSON")));
  }
  try {
    const ask = rpcAsk(body, configOf(c.env).maxGas);
    if (upstream && ask.runs.length === 0) ask.runs.push({ kind: "query", gas: 0n, gasDefaulted: false });
    const key = secret();
    const chain = chainOf === undefined ? undefined : await chainOf(key);
    await admit(c, { secret: key, items: ask.items, runs: ask.runs, senders: ask.senders, chain, upstream: upstream ? upstreamHold(c.env) : undefined });
    // Told only to an admitted key: nothing about a project's forks before.
    if (chainOf !== undefined && chain === undefined) throw new ServiceError(404, "fork_not_found", "this project has no fork with that id");
  } catch (e) {
    if (e instanceof ServiceError) return answered(c, errorResponse(null, fromServiceError(e)), e.status === 429 || e.status === 402 || e.status === 404 ? e.status : 401, e.headers);
    throw e;
  }
  const out = await answer(body);
  return out === undefined ? c.body(null, 204) : answered(c, out);
}

rpcRoutes.post("/", (c) => serve(c, () => bearer(c)));
rpcRoutes.post("/:key", (c) => serve(c, () => c.req.param("key")));
