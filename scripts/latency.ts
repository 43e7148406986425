/**
 * Median latency of the REST API against a running `npm run dev` (localhost only):
 * `npx tsx scripts/latency.ts [count]`. Deploys a counter, then times sequential warm calls and
 * sends to the counter (a two-account commit: the sender's nonce and the counter's slot).
 */
const BASE = process.env.BASE_URL ?? "http://localhost:8787";
const KEY = process.env.API_KEY ?? "sk_dev_local_only_0000000000000000";
const COUNTER = "0x60168060095f395ff33661000d575f546001015f55005b5f545f5260205ff3";
const n = Number(process.argv[2] ?? 200);

async function post(path: string, body: unknown): Promise<any> {
  const r = await fetch(`${BASE}${path}`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return r.json();
}

async function median(label: string, f: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 10; i++) await f();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  console.log(`${label.padEnd(28)} median ${t[n >> 1].toFixed(2)} ms   p90 ${t[Math.floor(n * 0.9)].toFixed(2)} ms   (${n} requests)`);
}

const { address } = await post("/v1/contracts", { bytecode: COUNTER });
await median("warm call", () => post("/v1/call", { to: address, data: "0x01" }));
await median("send (sender + contract)", () => post("/v1/send", { to: address, data: "0x" }));
