/**
 * `npm run bench:fork`: a Uniswap V2 swap simulated through fork mode against a real upstream
 * (Anvil from npm, with OpenZeppelin tokens, the Uniswap V2 factory, pair and router), cold
 * (no cache, no recorded hint), cold with the hint an earlier run of the same (router, selector)
 * recorded, and warm; each with the upstream answering at once and with an injected delay per
 * request (`--delay MS`, default 50), so the deployed latency can be read off: about round trips
 * times the upstream's latency, plus the execution.
 */
import { createServer } from "node:http";
import { call } from "../src/exec/call.ts";
import { configOf } from "../src/exec/config.ts";
import { sandboxMeter } from "../src/exec/meter.ts";
import { clearMemoryCache, LayeredCache } from "../src/fork/cache.ts";
import { networkOf } from "../src/fork/network.ts";
import { ForkView } from "../src/fork/view.ts";
import { hexToBytes } from "../src/primitives/hex.ts";
import { forkEnv } from "../test/fork/env.ts";
import { buildWorld, DEPLOYER, swapData } from "../test/fork/scenario.ts";
import { startAnvil } from "./anvil.ts";

const delayArg = process.argv.indexOf("--delay");
const DELAY_MS = delayArg < 0 ? 50 : Number(process.argv[delayArg + 1]);
const REPEAT = 5;

/** A proxy that holds each request `ms` before passing it on: a distant upstream on loopback. */
async function delayed(upstream: string, ms: number): Promise<{ url: string; close(): void }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    await new Promise((r) => setTimeout(r, ms));
    const up = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
    res.setHeader("content-type", "application/json");
    res.end(Buffer.from(await up.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
}

const anvil = await startAnvil();
const proxy = await delayed(anvil.url, DELAY_MS);
try {
  const world = await buildWorld(anvil.url);
  const env = forkEnv({ direct: { url: anvil.url }, delayed: { url: proxy.url } });
  const req = { from: DEPLOYER, to: world.router, data: hexToBytes(swapData(world, DEPLOYER)), value: 0n, gas: 30_000_000n };
  const swap = async (network: string) => {
    const t0 = performance.now();
    const v = await ForkView.open(env, networkOf(env, network), { number: world.block }, new LayeredCache());
    v.expect([req]);
    const { result } = await call(v, sandboxMeter(configOf(env)), req);
    if (!result.valid || result.status !== "success") throw new Error("the swap failed");
    return { ms: performance.now() - t0, ...v.usage };
  };
  const hintKey = `hint/31337/${world.router}/${swapData(world, DEPLOYER).slice(0, 10)}`;
  const rows: string[] = [];
  for (const network of ["direct", "delayed"]) {
    const runs: Record<string, { ms: number; roundTrips: number; requests: number; bytes: number }[]> = { cold: [], "cold, hinted": [], warm: [] };
    for (let i = 0; i < REPEAT; i++) {
      clearMemoryCache();
      runs.cold.push(await swap(network));
      const hint = await new LayeredCache().getMany([hintKey]);
      clearMemoryCache();
      new LayeredCache().put([...hint]);
      runs["cold, hinted"].push(await swap(network));
      runs.warm.push(await swap(network));
    }
    for (const [kind, rs] of Object.entries(runs)) {
      const ms = rs.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(rs.length / 2)];
      const r = rs[0];
      rows.push(`| ${network === "direct" ? "0" : DELAY_MS} ms | ${kind} | ${r.roundTrips} | ${r.requests} | ${r.bytes} | ${ms.toFixed(1)} |`);
    }
  }
  console.log(`Uniswap V2 swap (swapExactTokensForTokens) through fork mode, median of ${REPEAT}:\n`);
  console.log("| upstream delay per request | cache | round trips | requests | bytes | latency ms |\n|---|---|---|---|---|---|");
  console.log(rows.join("\n"));
} finally {
  proxy.close();
  anvil.stop();
}
