/**
 * `npm run dev`: applies the D1 migrations to the local database, starts `wrangler dev` with local
 * D1, Durable Objects, queue and R2 (all state under .wrangler/), then makes sure the development
 * project and API key exist (through the operator's route, in the project's Ledger object) and
 * prints the key. Needs no Cloudflare account and sends nothing. `PORT=8788 npm run dev` or
 * `npm run dev -- --port 8788` picks the port (scripts/dev-args.ts); other arguments go to `wrangler dev`.
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { keyAddress } from "../src/records/api-key.ts";
import { portOf } from "./dev-args.ts";
import { createDevProject, DEV_CREDIT, DEV_KEY, DEV_KEY_ID, DEV_RATE, DEV_SCOPES, offline } from "./dev-project.ts";
import { operatorSecret } from "./operator.ts";
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
await createDevProject(`http://localhost:${port}`, operatorSecret()!);
console.log(`
  Development API key: ${DEV_KEY}
  Its account (the sender of your sends): ${keyAddress(DEV_KEY_ID)}
  Project proj_dev, credit: ${DEV_CREDIT / 1e6} units, rate: ${DEV_RATE} requests a minute (scopes: ${DEV_SCOPES})
  Operator secret (grants credit: npm run project:credit): in .dev.vars, never a project key
  Console: http://localhost:${port}/console/ (sign in with the key above)
  Try: curl -s http://localhost:${port}/v1/project -H "Authorization: Bearer ${DEV_KEY}"
`);
