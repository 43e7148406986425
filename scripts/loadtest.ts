/**
 * `npm run loadtest [-- --requests N --connections C --url URL]`: starts a fresh `wrangler dev`
 * (local D1, objects, queue; with HOP_COUNTS on, so each answer says how many D1 queries and
 * Durable Object calls it made before it was answered) and Anvil (npm @foundry-rs/anvil-linux-amd64)
 * on free loopback ports, then loads each kind of request with C connections until N requests
 * have been answered, and prints req/s, p50 and p99 side by side in one run, with the hops per
 * request. Then project B's eth_call while project A runs the heaviest allowed log query in a
 * loop. Loopback only; every loop is bounded; the servers are stopped at the end.
 */
import { createWalletClient, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import Counter from "../test/contracts/Counter.json" with { type: "json" };
import { startAnvil } from "./anvil.ts";
import { DEV_KEY } from "./dev-project.ts";
import { startDevServer } from "./dev-server.ts";
import { arg } from "./operator.ts";

const REQUESTS = Number(arg("requests") ?? 2000);
const CONNECTIONS = Number(arg("connections") ?? 10);
/** Anvil's first development account (its well-known test key: loopback only). */
const ANVIL_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as Hex;
/** Emits 1,000 LOG0 (the emitter of test/integration/rpc-logs.test.ts, 1,000 in place of 1,024): ten sends make the heaviest allowed eth_getLogs (10,000 logs, the cap). */
const EMITTER = `0x6016806009${"5f39"}5ff3${"6103e8" + "5b" + "80" + "15" + "6014" + "57" + "5f5fa0" + "6001" + "90" + "03" + "6003" + "56" + "00" + "5b" + "00"}`;
const COUNT = "0x06661abd", INCREMENT = "0xd09de08a";

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  hops: string;
  errors: number;
  /** The first failed answer, shown under the table. */
  sample?: string;
}

const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const authed = (key: string, body: unknown) => ({ method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
const rpc = (method: string, params: unknown[] = []) => ({ jsonrpc: "2.0", id: 1, method, params });

/** Sends `total` requests over `connections` loops; each loop makes its next request when the last is answered. */
async function load(name: string, total: number, connections: number, send: (i: number, conn: number) => Promise<Response>): Promise<Result> {
  const times: number[] = [];
  const hops = new Map<string, number>();
  let next = 0, errors = 0;
  let sample: string | undefined;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, conn) => {
      for (let i = next++; i < total; i = next++) {
        const s = performance.now();
        const res = await send(i, conn);
        const body = await res.text();
        times.push(performance.now() - s);
        if (!res.ok || body.includes('"error"')) {
          errors++;
          sample ??= `${res.status} ${body.slice(0, 300)}`;
        }
        const h = res.headers.get("x-edge-evm-hops");
        if (h !== null) hops.set(h, (hops.get(h) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const common = [...hops].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "-";
  return { name, rps: total / seconds, p50: times[Math.floor(times.length / 2)], p99: times[Math.floor(times.length * 0.99)], hops: common, errors, sample };
}

/** `d1=0;objects=2;rounds=2;after=settle` → "D1 0, objects 2 in 2 rounds (+settle)". */
function hopsText(h: string): string {
  if (h === "-") return "-";
  const f = Object.fromEntries(h.split(";").map((kv) => kv.split("=")));
  return `D1 ${f.d1}, objects ${f.objects} in ${f.rounds} rounds${f.after ? ` (+${f.after})` : ""}`;
}

function print(rows: Result[], bare: number): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`\n${pad("request", 44)}${pad("req/s", 9)}${pad("vs bare", 9)}${pad("p50 ms", 9)}${pad("p99 ms", 9)}${pad("before the answer", 40)}errors`);
  for (const r of rows) {
    console.log(`${pad(r.name, 44)}${pad(r.rps.toFixed(0), 9)}${pad(bare > 0 && r.hops !== "-" ? `${((r.rps / bare) * 100).toFixed(0)}%` : "", 9)}${pad(r.p50.toFixed(1), 9)}${pad(r.p99.toFixed(1), 9)}${pad(hopsText(r.hops), 40)}${r.errors}`);
  }
  for (const r of rows) if (r.sample !== undefined) console.log(`  first failed answer of "${r.name}": ${r.sample}`);
}

async function main(): Promise<void> {
  // Info-level request lines off: under wrangler dev each travels to the terminal (see observe.ts).
  const server = await startDevServer(31337, { HOP_COUNTS: "on", REQUEST_LOG: "errors" });
  const anvil = await startAnvil();
  try {
    const url = arg("url") ?? server.url;
    const post = async (path: string, body: unknown, key = DEV_KEY): Promise<any> => (await fetch(`${url}${path}`, authed(key, body))).json();
    const counter = (await post("/v1/contracts", { bytecode: Counter.bytecode })).address;
    // One key per connection for sends: a key's sends take turns, so one key would measure one turn.
    const keys: { key: string; address: string }[] = [];
    for (let i = 0; i < CONNECTIONS; i++) keys.push(await post("/v1/keys", { scopes: ["read", "simulate", "send"] }));

    const rows: Result[] = [];
    rows.push(await load("bare route (GET /)", REQUESTS, CONNECTIONS, () => fetch(`${url}/`)));
    rows.push(await load("eth_blockNumber", REQUESTS, CONNECTIONS, () => fetch(`${url}/rpc/${DEV_KEY}`, json(rpc("eth_blockNumber")))));
    rows.push(await load("eth_call count() (warm)", REQUESTS, CONNECTIONS, () => fetch(`${url}/rpc/${DEV_KEY}`, json(rpc("eth_call", [{ to: counter, data: COUNT }, "latest"])))));
    rows.push(await load("REST /v1/call count()", REQUESTS, CONNECTIONS, () => fetch(`${url}/v1/call`, authed(DEV_KEY, { to: counter, data: COUNT }))));
    rows.push(await load("REST send, one account (to itself)", Math.min(REQUESTS, 500), CONNECTIONS, (_i, c) => fetch(`${url}/v1/send`, authed(keys[c].key, { to: keys[c].address, data: "0x" }))));
    rows.push(await load("REST send, two accounts (increment)", Math.min(REQUESTS, 500), CONNECTIONS, (_i, c) => fetch(`${url}/v1/send`, authed(keys[c].key, { to: counter, data: INCREMENT }))));
    rows.push(await load("REST simulate of 2 transactions", Math.min(REQUESTS, 1000), CONNECTIONS, () => fetch(`${url}/v1/simulate`, authed(DEV_KEY, { transactions: [{ to: counter, data: INCREMENT }, { to: counter, data: COUNT }] }))));

    // Anvil, the same calls and sends, in the same run.
    const wallet = createWalletClient({ account: privateKeyToAccount(ANVIL_KEY), transport: http(anvil.url) });
    const deployed = await wallet.deployContract({ abi: Counter.abi, bytecode: Counter.bytecode as Hex, chain: null });
    // Anvil may answer the hash before the receipt exists: poll for it (bounded).
    let receipt: any = { result: null };
    for (let i = 0; i < 100 && receipt.result === null; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 50));
      receipt = await (await fetch(anvil.url, json(rpc("eth_getTransactionReceipt", [deployed])))).json();
    }
    const anvilCounter = receipt.result.contractAddress;
    rows.push(await load("Anvil eth_call count()", REQUESTS, CONNECTIONS, () => fetch(anvil.url, json(rpc("eth_call", [{ to: anvilCounter, data: COUNT }, "latest"])))));
    const nonce = Number(((await (await fetch(anvil.url, json(rpc("eth_getTransactionCount", [wallet.account.address, "latest"])))).json()) as any).result);
    const n = Math.min(REQUESTS, 500);
    const raws = await Promise.all(Array.from({ length: n }, (_, i) => wallet.signTransaction({ to: anvilCounter, data: INCREMENT, nonce: nonce + i, gas: 100_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n, chain: null, chainId: 31337 } as never)));
    rows.push(await load("Anvil eth_sendRawTransaction (increment)", n, 1, (i) => fetch(anvil.url, json(rpc("eth_sendRawTransaction", [raws[i]])))));

    print(rows, rows[0].rps);
    await isolation(url, server.secret);
  } finally {
    anvil.stop();
    await server.stop();
  }
}

/** Project B's eth_call p99 alone, then while project A runs the heaviest allowed eth_getLogs in a loop. */
async function isolation(url: string, operatorSecret: string): Promise<void> {
  const emitter = ((await (await fetch(`${url}/v1/contracts`, authed(DEV_KEY, { bytecode: EMITTER }))).json()) as any).address;
  for (let i = 0; i < 10; i++) await fetch(`${url}/v1/send`, authed(DEV_KEY, { to: emitter }));
  await new Promise((r) => setTimeout(r, 3000));
  const other = await fetch(`${url}/operator/projects`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${operatorSecret}` }, body: JSON.stringify({ name: "other", credit: 1_000_000_000_000, requestsPerMinute: 1_000_000 }) });
  const b = ((await other.json()) as any).key as string;
  const bCounter = ((await (await fetch(`${url}/v1/contracts`, authed(b, { bytecode: Counter.bytecode }))).json()) as any).address;
  const call = () => fetch(`${url}/rpc/${b}`, json(rpc("eth_call", [{ to: bCounter, data: COUNT }, "latest"])));
  const alone = await load("B eth_call, alone", 500, 4, call);
  let running = true;
  let queries = 0, queryMs = 0, logs = 0;
  const heavy = (async () => {
    while (running) {
      const s = performance.now();
      const answer: any = await (await fetch(`${url}/rpc/${DEV_KEY}`, json(rpc("eth_getLogs", [{ address: emitter, fromBlock: "earliest" }])))).json();
      queryMs += performance.now() - s;
      queries++;
      logs = Array.isArray(answer.result) ? answer.result.length : -1;
    }
  })();
  const loaded = await load("B eth_call, while A runs eth_getLogs(10,000)", 500, 4, call);
  running = false;
  await heavy;
  print([alone, loaded], 0);
  console.log(`\nA's log query: ${queries} runs of ${logs} logs, ${(queryMs / Math.max(1, queries)).toFixed(0)} ms each; B's eth_call p99 grew by ${(loaded.p99 - alone.p99).toFixed(1)} ms`);
}

await main();
