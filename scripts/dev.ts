/**
 * `npm run dev`: applies the D1 migrations to the local database, starts `wrangler dev` with local
 * D1, Durable Objects, queue and R2 (all state under .wrangler/), then makes sure the development
 * project and API key exist (through the operator's route, in the project's Ledger object) and
 * prints the key. Needs no Cloudflare account and sends nothing. `PORT=8788 npm run dev` or
 * `npm run dev -- --port 8788` picks the port; other arguments go to `wrangler dev`.
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { keyAddress } from "../src/records/api-key.ts";
import { operatorSecret } from "./operator.ts";

/** Valid only in your local database: nothing else ever stores it. */
export const DEV_KEY = `sk_dev_${"0".repeat(48)}`;
const DEV_SCOPES = "read simulate send admin";
/** One million currency units, in micro-units. */
const DEV_CREDIT = 1_000_000_000_000;
/** High enough that local benchmarks (npm run loadtest) are never throttled. */
const DEV_RATE = 1_000_000;

/** No telemetry, and no fetch of the `Request.cf` placeholder from workers.cloudflare.com. */
const offline = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
const quiet = { ...offline, CI: "true" };

function wrangler(args: string[]): void {
  const r = spawnSync("npx", ["wrangler", ...args], { stdio: ["ignore", "inherit", "inherit"], env: quiet });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed (exit ${r.status})`);
}

/** The operator's secret (grants credit: npm run project:credit): made once, kept in .dev.vars, which wrangler dev reads. */
function ensureOperatorSecret(): void {
  const vars = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : "";
  if (/^OPERATOR_SECRET\s*=/m.test(vars)) return;
  const secret = [...crypto.getRandomValues(new Uint8Array(24))].map((b) => b.toString(16).padStart(2, "0")).join("");
  appendFileSync(".dev.vars", `${vars === "" || vars.endsWith("\n") ? "" : "\n"}OPERATOR_SECRET="${secret}"\n`);
}

/** `--port N` among the arguments (taken out: dev passes the port itself), else PORT, else 8787. */
function portOf(args: string[]): { port: string; rest: string[] } {
  const i = args.indexOf("--port");
  if (i < 0) return { port: process.env.PORT ?? "8787", rest: args };
  return { port: args[i + 1] ?? "8787", rest: [...args.slice(0, i), ...args.slice(i + 2)] };
}

/** Creates the development project (idempotent: the same id and key again change nothing). */
async function devProject(url: string): Promise<void> {
  const chainId = Number(/^CHAIN_ID\s*=\s*"(\d+)"/m.exec(readFileSync("wrangler.toml", "utf8"))?.[1] ?? "31337");
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${url}/operator/projects`, {
        method: "POST",
        headers: { authorization: `Bearer ${operatorSecret()}`, "content-type": "application/json" },
        body: JSON.stringify({ id: "proj_dev", name: "development", key: DEV_KEY, chainId, credit: DEV_CREDIT, requestsPerMinute: DEV_RATE }),
      });
      if (res.ok) return;
      throw new Error(`${res.status} ${await res.text()}`);
    } catch (e) {
      if (attempt > 120) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

ensureOperatorSecret();
wrangler(["d1", "migrations", "apply", "DB", "--local"]);
const { port, rest } = portOf(process.argv.slice(2));
// Its own process group, so that a signal reaches wrangler and workerd, not only `npx`.
const dev = spawn("npx", ["wrangler", "dev", "--port", port, ...rest], { stdio: "inherit", env: offline, detached: true });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    try {
      process.kill(-dev.pid!, signal);
    } catch {
      dev.kill(signal);
    }
  });
}
dev.on("exit", (code) => process.exit(code ?? 0));
await devProject(`http://localhost:${port}`);
console.log(`
  Development API key: ${DEV_KEY}
  Its account (the sender of your sends): ${keyAddress("key_dev")}
  Project proj_dev, credit: ${DEV_CREDIT / 1e6} units, rate: ${DEV_RATE} requests a minute (scopes: ${DEV_SCOPES})
  Operator secret (grants credit: npm run project:credit): in .dev.vars, never a project key
  Try: curl -s http://localhost:${port}/v1/project -H "Authorization: Bearer ${DEV_KEY}"
`);
