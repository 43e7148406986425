import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { forkMethods } from "../network/fork-methods.ts";
import { networkMethods } from "../network/rpc-methods.ts";
import { NetworkSession } from "../network/session.ts";
import { handle } from "../rpc/handler.ts";
import { forkChainOfKey } from "./forks.ts";
import { rpcRefused, serve } from "./rpc.ts";
import { settleAfter } from "../middleware/keyed.ts";
import { cacheHitPrice, upstreamPrice } from "../../fork/config.ts";
import { chargeSurcharges } from "../../exec/runs.ts";
import type { UpstreamUsage } from "../../fork/upstream.ts";

/**
 * JSON-RPC of an upstream network: `POST /rpc/{key}/{network}`, a URL any client (viem, ethers,
 * cast, `forge --fork-url`) uses unchanged. The upstream's use (requests, round trips, bytes,
 * cost) and the block answered at come back in `x-upstream-*` and `x-fork-*` headers.
 */
export const networkRpcRoutes = new Hono<AppEnv>();

networkRpcRoutes.use("*", settleAfter(rpcRefused));

/** A persistent fork's JSON-RPC: the methods of our chains on the fork's chain, the network's at its block and before. */
networkRpcRoutes.post("/:key/forks/:id", (c) =>
  serve(
    c,
    () => c.req.param("key"),
    (body) => withSession(c, c.var.run.chain.base!.network, (session) => handle(c.var.run, c.var.key, body, forkMethods(session, c.var.run.chain.base!)), c.var.run.chain.base!.upstream),
    (secret) => forkChainOfKey(c.env, secret, c.req.param("id")),
    true,
  ),
);

networkRpcRoutes.post("/:key/:network", (c) =>
  serve(c, () => c.req.param("key"), (body) => withSession(c, c.req.param("network"), (session) => handle(c.var.run, c.var.key, body, networkMethods(session))), undefined, true),
);

/**
 * Runs `answer` with a session on `network`: its upstream use and cache hits charged, and
 * reported in headers. On a persistent fork the use is the fork chain's, which its base reads add to.
 */
async function withSession<T>(c: Context<AppEnv>, network: string, answer: (session: NetworkSession) => Promise<T>, usage?: UpstreamUsage): Promise<T> {
  const session = new NetworkSession(c.env, network, (p) => c.executionCtx.waitUntil(p), usage);
  c.var.run.budget.chargeUpstream(upstreamPrice(c.env), session.usage);
  // An answer from the cache is paid when it goes (RequestBudget.confirm).
  c.var.run.budget.surcharge(() => cacheHitPrice(c.env) * BigInt(session.cacheHits), true);
  try {
    return await answer(session);
  } finally {
    await chargeSurcharges(c.var.run);
    for (const [k, v] of Object.entries(session.headers())) c.header(k, v);
  }
}
