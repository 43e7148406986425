/**
 * Latency of the REST API against a running `npm run dev` (or BASE_URL), sequential requests:
 *   npx tsx scripts/latency.ts [requests per case, default 200]
 * Cases: a warm call (Counter.count()), a one-account send (a zero-value send to the key's own
 * account: its commit touches one account, one round trip), and a two-account send
 * (Counter.increment(): the sender's nonce and the counter's slot, prepare/decide/finish).
 */
import Counter from "../test/contracts/Counter.json" with { type: "json" };

const BASE = process.env.BASE_URL ?? "http://localhost:8787";
const KEY = process.env.API_KEY ?? "sk_dev_local_only_0000000000000000";
const n = Number(process.argv[2] ?? 200);
const WARM_UP = 20;

async function request(method: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json();
  if (r.status >= 300 || json.status === "reverted" || json.status === "halted") throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

async function measure(label: string, f: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < WARM_UP; i++) await f();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  const at = (q: number) => t[Math.min(n - 1, Math.floor(n * q))].toFixed(1);
  console.log(`${label.padEnd(40)} median ${at(0.5).padStart(6)} ms   p90 ${at(0.9).padStart(6)} ms   p99 ${at(0.99).padStart(6)} ms   (${n} requests)`);
}

const { address: counter, from: self } = await request("POST", "/v1/contracts", { bytecode: Counter.bytecode });
await measure("warm call (count())", () => request("POST", "/v1/call", { to: counter, data: "0x06661abd" }));
await measure("send, one account (to itself)", () => request("POST", "/v1/send", { to: self }));
await measure("send, two accounts (increment())", () => request("POST", "/v1/send", { to: counter, data: "0xd09de08a" }));
