/**
 * `npm run dev`: applies the D1 migrations to the local database, makes sure the development
 * project and API key exist, prints the key, then starts `wrangler dev` with local D1 and
 * Durable Objects (all state under .wrangler/). Needs no Cloudflare account and sends nothing.
 * Extra arguments go to `wrangler dev` (e.g. `npm run dev -- --port 8788`).
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyAddress } from "../src/db/keys.ts";
import { DEV_CREDIT, DEV_KEY, DEV_KEY_ID, DEV_RATE, DEV_SCOPES, devProjectSql, offline } from "./dev-project.ts";

const quiet = { ...offline, CI: "true" };

function wrangler(args: string[]): void {
  const r = spawnSync("npx", ["wrangler", ...args], { stdio: ["ignore", "inherit", "inherit"], env: quiet });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed (exit ${r.status})`);
}

/** The operator's secret (grants credit through /operator): made once, kept in .dev.vars, which wrangler dev reads. */
function ensureOperatorSecret(): void {
  const vars = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : "";
  if (/^OPERATOR_SECRET\s*=/m.test(vars)) return;
  const secret = [...crypto.getRandomValues(new Uint8Array(24))].map((b) => b.toString(16).padStart(2, "0")).join("");
  appendFileSync(".dev.vars", `${vars === "" || vars.endsWith("\n") ? "" : "\n"}OPERATOR_SECRET="${secret}"\n`);
}

ensureOperatorSecret();
const chainId = Number(/^CHAIN_ID\s*=\s*"(\d+)"/m.exec(readFileSync("wrangler.toml", "utf8"))?.[1] ?? "31337");
wrangler(["d1", "migrations", "apply", "DB", "--local"]);
const dir = mkdtempSync(join(tmpdir(), "edge-evm-"));
const seed = join(dir, "dev-key.sql");
writeFileSync(seed, devProjectSql(chainId));
try {
  wrangler(["d1", "execute", "DB", "--local", "--file", seed]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const port = process.env.PORT ?? "8787";
console.log(`
  Development API key: ${DEV_KEY}
  Its account (the sender of your sends): ${keyAddress(DEV_KEY_ID)}
  Chain id: ${chainId}   Credit: ${DEV_CREDIT / 1e6}   Rate: ${DEV_RATE} requests a minute (scopes: ${DEV_SCOPES})
  Operator secret (grants credit: npm run project:credit): in .dev.vars, never a project key
  Try: curl -s http://localhost:${port}/v1/runs -H "Authorization: Bearer ${DEV_KEY}"
  Console: http://localhost:${port}/console/ (sign in with the key above)
`);
// Its own process group, so that a signal reaches wrangler and workerd, not only `npx`.
const dev = spawn("npx", ["wrangler", "dev", "--port", port, ...process.argv.slice(2)], { stdio: "inherit", env: offline, detached: true });
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
