import { Hono, type Context } from "hono";
import { configOf } from "../../exec/config.ts";
import type { Chain } from "../../exec/chain.ts";
import { ServiceError } from "../../exec/errors.ts";
import { admit, bearer } from "../admission.ts";
import type { AppEnv } from "../app-env.ts";
import { bodyText } from "../json-body.ts";
import { settleAfter } from "../middleware/keyed.ts";
import { rpcAsk } from "../rpc/admission-plan.ts";
import { errorResponse, handle } from "../rpc/handler.ts";
import { fromServiceError, PARSE_ERROR, RpcError } from "../rpc/errors.ts";

/**
 * Ethereum JSON-RPC: `POST /rpc` with `Authorization: Bearer <key>`, or `POST /rpc/<key>` with
 * the key in the path, as hosted node providers do (so that any client works unchanged).
 */
export const rpcRoutes = new Hono<AppEnv>();

rpcRoutes.use("*", settleAfter());

/** Admits, reads and answers one JSON-RPC body with `answer` (our chain's methods by default). */
export async function serve(
  c: Context<AppEnv>,
  secret: () => string,
  answer: (body: unknown) => ReturnType<typeof handle> = (body) => handle(c.var.run, c.var.key, body),
  /** The chain the body runs on when not the project's (found before admission: its senders are fenced). */
  chainOf?: (secret: string) => Promise<Chain | undefined>,
): Promise<Response> {
  let text: string;
  try {
    text = await bodyText(c);
  } catch (e) {
    if (e instanceof ServiceError) return c.json(errorResponse(null, new RpcError(-32600, e.message, { code: e.code })), 413);
    throw e;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return c.json(errorResponse(null, new RpcError(PARSE_ERROR, "parse error: the body is not valid JSON")));
  }
  try {
    const ask = rpcAsk(body, configOf(c.env).maxGas);
    const key = secret();
    const chain = chainOf === undefined ? undefined : await chainOf(key);
    await admit(c, { secret: key, items: ask.items, runs: ask.runs, senders: ask.senders, chain });
    // Told only to an admitted key: nothing about a project's forks before.
    if (chainOf !== undefined && chain === undefined) throw new ServiceError(404, "fork_not_found", "this project has no fork with that id");
  } catch (e) {
    if (e instanceof ServiceError) return c.json(errorResponse(null, fromServiceError(e)), e.status === 429 || e.status === 402 || e.status === 404 ? e.status : 401, e.headers);
    throw e;
  }
  const out = await answer(body);
  return out === undefined ? c.body(null, 204) : c.json(out);
}

rpcRoutes.post("/", (c) => serve(c, () => bearer(c)));
rpcRoutes.post("/:key", (c) => serve(c, () => c.req.param("key")));
