import { Hono, type Context } from "hono";
import type { Chain } from "../../exec/chain.ts";
import { ServiceError } from "../../exec/errors.ts";
import type { Env } from "../../env.ts";
import { configOf } from "../../exec/config.ts";
import { admit, bearer } from "../admission.ts";
import { keyed } from "../middleware/keyed.ts";
import { createFork, findFork, forkChain, listForks, type ForkRecord } from "../../fork/registry.ts";
import { upstreamHold, upstreamPrice } from "../../fork/config.ts";
import { chargeSurcharges } from "../../exec/runs.ts";
import type { RunKind } from "../../records/run.ts";
import { upstreamHeaders } from "../network/session.ts";
import { projectOfKey } from "../../records/api-key.ts";
import type { AppEnv } from "../app-env.ts";
import { jsonBody, requestText } from "../json-body.ts";
import { NetworkSession } from "../network/session.ts";
import { parse } from "../schema/parse.ts";
import { forkBody } from "../schema/queries.ts";
import { accountRoutes } from "./accounts.ts";
import { callRoutes } from "./call.ts";
import { sendRoutes } from "./send.ts";
import { blockParam } from "./networks.ts";

/**
 * Persistent forks: `POST /v1/forks {network, block?}` makes a chain of the project that starts
 * from the network's state at that block (resolved once, checked). It has its own chain id and
 * its own account objects: `/v1/forks/{id}/send`, `/contracts`, `/call`, `/simulate` and
 * `/accounts/...` work on it as on the project's chain, and so does JSON-RPC at
 * `/rpc/{key}/forks/{id}`. A key never written on the fork reads the network's value at the
 * block (verified, cached); nothing is ever sent to the network.
 */
export const forkRoutes = new Hono<AppEnv>();

function present(f: ForkRecord) {
  return { id: f.id, network: f.network, blockNumber: f.blockNumber, blockHash: f.blockHash, chainId: f.chainId, rpcPath: `/rpc/{key}/forks/${f.id}`, createdAt: new Date(f.createdAt).toISOString() };
}

forkRoutes.post("/", async (c) => {
  // Its header lookup and the faucet's read of the key's account are charged as a query (chargeSurcharges).
  await admit(c, { secret: bearer(c), scope: "send", runs: [{ kind: "query", gas: 0n, gasDefaulted: false }], upstream: upstreamHold(c.env) });
  const f = parse(forkBody, await jsonBody(c));
  const session = new NetworkSession(c.env, f.network, (p) => c.executionCtx.waitUntil(p));
  c.var.run.budget.chargeUpstream(upstreamPrice(c.env), session.usage);
  const view = await session.view(blockParam(f.block === undefined ? undefined : String(f.block)));
  const rec = await createFork(c.env.DB, c.var.key.projectId, session.network.name, view.header);
  // The key's own account gets the development faucet's grant on the fork too.
  const chain = forkChain(c.env, rec, session.usage);
  if (c.var.run.config.faucetWei > 0n) await chain.grant(c.var.key.address, `faucet:${c.var.key.id}`, c.var.run.config.faucetWei);
  await chargeSurcharges(c.var.run);
  for (const [k, v] of Object.entries(upstreamHeaders(c.env, session.usage))) c.header(k, v);
  return c.json(present(rec), 201);
});

forkRoutes.get("/", keyed("read"), async (c) => c.json({ forks: (await listForks(c.env.DB, c.var.key.projectId)).map(present) }));

forkRoutes.get("/:id", keyed("read"), async (c) => c.json(present(await ownFork(c))));

/**
 * Everything under /v1/forks/{id}/ runs on the fork's chain instead of the project's: admitted
 * here (the inner route finds it admitted), with credit held for the run its path makes.
 */
forkRoutes.use("/:id/*", async function forkChainMiddleware(c, next) {
  const path = c.req.path;
  const kind = c.req.method !== "POST" ? undefined : path.endsWith("/send") ? "send" : path.endsWith("/contracts") ? "deploy" : path.endsWith("/simulate") ? "simulate" : path.endsWith("/call") ? "call" : undefined;
  const scope = kind === "send" || kind === "deploy" ? "send" : kind === "simulate" ? "simulate" : "read";
  const gas = kind === undefined ? 0n : askedGas(await requestText(c.req.raw.clone()), configOf(c.env).maxGas);
  // The fork is found before admission (by the project the key names; nothing is answered
  // before the key is checked), so that the senders its reservation fences are the fork's.
  const secret = bearer(c);
  const chain = await forkChainOfKey(c.env, secret, c.req.param("id") ?? "");
  // A read runs nothing, but what it reads of the network is charged as a query (chargeSurcharges).
  const run: { kind: RunKind; gas: bigint; gasDefaulted: boolean } = kind === undefined ? { kind: "query", gas: 0n, gasDefaulted: false } : { kind, gas: gas ?? configOf(c.env).maxGas, gasDefaulted: gas === undefined };
  await admit(c, { secret, scope, runs: [run], senders: scope === "send" ? ["key"] : [], chain, upstream: upstreamHold(c.env) });
  if (chain?.base === undefined) throw new ServiceError(404, "fork_not_found", "this project has no fork with that id");
  // What its accounts read of the network's state at the fork's block is paid for by the request.
  const usage = chain.base.upstream;
  c.var.run.budget.chargeUpstream(upstreamPrice(c.env), usage);
  try {
    await next();
  } finally {
    await chargeSurcharges(c.var.run);
    for (const [k, v] of Object.entries(upstreamHeaders(c.env, usage))) c.header(k, v);
  }
});

/** A body's `gas`, read without validating it (the route validates). */
function askedGas(text: string, cap: bigint): bigint | undefined {
  try {
    const g = (JSON.parse(text) as { gas?: unknown }).gas;
    const n = typeof g === "number" || typeof g === "string" ? BigInt(g) : undefined;
    return n === undefined || n < 0n || n > cap ? undefined : n;
  } catch {
    return undefined;
  }
}
forkRoutes.route("/:id", sendRoutes);
forkRoutes.route("/:id", callRoutes);
forkRoutes.route("/:id/accounts", accountRoutes);

/**
 * The chain of fork `id` of the project a key names, found before admission so that its
 * senders are the ones fenced (the key is checked by admission after; nothing is told before).
 */
export async function forkChainOfKey(env: Env, secret: string, id: string): Promise<Chain | undefined> {
  const found = await findFork(env.DB, projectOfKey(secret) ?? "", id);
  return found === undefined ? undefined : forkChain(env, found);
}

export async function ownFork(c: Context<AppEnv>, id = c.req.param("id") ?? ""): Promise<ForkRecord> {
  const f = await findFork(c.env.DB, c.var.key.projectId, id);
  if (f === undefined) throw new ServiceError(404, "fork_not_found", "this project has no fork with that id");
  return f;
}
