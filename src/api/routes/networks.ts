import { Hono } from "hono";
import { badRequest } from "../../exec/errors.ts";
import { needScope } from "../../exec/scopes.ts";
import { networkNames, networkOf } from "../../fork/network.ts";
import type { BlockRef, Expected } from "../../fork/view.ts";
import { hexToBytes, isAddress, type Address, type Hex } from "../../primitives/hex.ts";
import type { AppEnv } from "../app-env.ts";
import { requestText } from "../json-body.ts";
import { NetworkSession } from "../network/session.ts";
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
  if (c.req.path.endsWith("/simulate")) needScope(c.var.key, "simulate");
  const session = new NetworkSession(c.env, c.req.param("network"), (p) => c.executionCtx.waitUntil(p));
  const view = await session.view(blockParam(c.req.query("block")));
  const text = await requestText(c.req.raw.clone());
  const answerKey = session.answerKey(view.header, [c.req.path.slice(c.req.path.lastIndexOf("/")), text, c.var.key.address]);
  const hit = await session.cachedAnswer(answerKey);
  if (hit !== undefined) return c.json({ ...(hit as object), cached: true, fork: session.summary() });
  view.expect(expected(text, c.var.key.address, c.var.run.config.maxGas));
  c.var.run.view = view;
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
