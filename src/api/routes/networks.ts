import { Hono } from "hono";
import { badRequest } from "../../exec/errors.ts";
import { configOf } from "../../exec/config.ts";
import { runCached } from "../../exec/runs.ts";
import { cacheHitPrice, upstreamHold, upstreamPrice } from "../../fork/config.ts";
import { admit, bearer } from "../admission.ts";
import { networkNames, networkOf } from "../../fork/network.ts";
import type { BlockRef, Expected } from "../../fork/view.ts";
import { hexToBytes, isAddress, type Address, type Hex } from "../../primitives/hex.ts";
import type { AppEnv } from "../app-env.ts";
import { requestText } from "../json-body.ts";
import { NetworkSession } from "../network/session.ts";
import { parse } from "../schema/parse.ts";
import { blockQuery } from "../schema/queries.ts";
import { callRoutes } from "./call.ts";

/**
 * REST on an upstream network: `GET /v1/networks`, and `POST /v1/networks/{network}/call` and
 * `/simulate?block=<number | hash | latest>`, the same bodies and answers as `/v1/call` and
 * `/v1/simulate`, run on the network's state at that block, plus a `fork` field (block, whether
 * verified, upstream use and cost) and `cached` (the answer was kept from an identical request
 * at the same block, and nothing executed).
 */
export const networkRoutes = new Hono<AppEnv>();

networkRoutes.get("/", (c) =>
  c.json({ networks: networkNames(c.env).map((name) => ({ name, chainId: Number(networkOf(c.env, name).chainId), verified: networkOf(c.env, name).proofs })) }),
);

networkRoutes.use("/:network/*", async function networkViewMiddleware(c, next) {
  const kind: "call" | "simulate" = c.req.path.endsWith("/simulate") ? "simulate" : "call";
  const text = await requestText(c.req.raw.clone());
  const asked = askedRun(text, configOf(c.env).maxGas);
  // One admission for the request (the inner route finds it admitted), holding credit for its run.
  const run = await admit(c, { secret: bearer(c), scope: kind === "simulate" ? "simulate" : "read", runs: [{ kind, gas: asked.gas ?? configOf(c.env).maxGas, gasDefaulted: asked.gas === undefined }], upstream: upstreamHold(c.env) });
  const session = new NetworkSession(c.env, c.req.param("network"), (p) => c.executionCtx.waitUntil(p));
  run.budget.chargeUpstream(upstreamPrice(c.env), session.usage);
  const view = await session.view(blockParam(parse(blockQuery, c.req.query()).block));
  const answerKey = session.answerKey(view.header, [c.req.path.slice(c.req.path.lastIndexOf("/")), text, run.caller.address]);
  const hit = await session.cachedAnswer(answerKey);
  if (hit !== undefined) {
    await runCached(run, { kind, to: asked.to, data: new Uint8Array(0), gasLimit: 0n }, cacheHitPrice(c.env));
    return c.json({ ...(hit as object), cached: true, fork: session.summary(), cost: run.budget.cost() });
  }
  view.expect(expected(text, run.caller.address, run.config.maxGas));
  run.view = view;
  await next();
  if (c.res.status !== 200) return;
  const body = (await c.res.clone().json()) as object;
  session.keepAnswer(answerKey, body);
  c.res = new Response(JSON.stringify({ ...body, cached: false, fork: session.summary() }), { status: 200, headers: c.res.headers });
});

networkRoutes.route("/:network", callRoutes);

/** `?block=`: latest (the default), a number (decimal or 0x) or a 32-byte hash. */
export function blockParam(raw: string | undefined): BlockRef {
  if (raw === undefined || raw === "latest") return { tag: "latest" };
  if (/^0x[0-9a-fA-F]{64}$/.test(raw)) return { hash: raw.toLowerCase() as Hex };
  if (/^(0x[0-9a-fA-F]{1,16}|[0-9]{1,19})$/.test(raw)) return { number: BigInt(raw) };
  throw badRequest("invalid_block", "block must be latest, a block number or a 32-byte block hash");
}

/** The gas and target a body asks for (its first transaction's), read without validating it. */
function askedRun(text: string, cap: bigint): { gas?: bigint; to: Address | null } {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const t = (Array.isArray(body.transactions) ? body.transactions[0] : body) as Record<string, unknown>;
    const g = typeof t.gas === "number" || typeof t.gas === "string" ? BigInt(t.gas) : undefined;
    return { gas: g === undefined || g > cap || g < 0n ? undefined : g, to: isAddress(t.to) ? (t.to.toLowerCase() as Address) : null };
  } catch {
    return { to: null };
  }
}

/** What the body's first transaction names, to prefetch; a body the route will refuse names nothing. */
function expected(text: string, from: Address, gas: bigint): Expected[] {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const t = (Array.isArray(body.transactions) ? body.transactions[0] : body) as Record<string, unknown>;
    const addr = (v: unknown) => (isAddress(v) ? (v.toLowerCase() as Address) : undefined);
    const data = typeof t.data === "string" && /^0x([0-9a-fA-F]{2})*$/.test(t.data) ? hexToBytes(t.data) : new Uint8Array(0);
    return [{ from: addr(t.from) ?? from, to: addr(t.to) ?? null, data, value: t.value === undefined ? 0n : BigInt(t.value as string), gas }];
  } catch {
    return [];
  }
}
