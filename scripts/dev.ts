/**
 * `npm run dev`: applies the D1 migrations to the local database, makes sure the development
 * API key exists, prints it, then starts `wrangler dev` (local D1 and Durable Objects, all
 * state under .wrangler/). Nothing here reaches the network.
 */
import { spawn, spawnSync } from "node:child_process";
import { createKeySql } from "../src/db/keys.ts";

export const DEV_KEY = "sk_dev_local_only_0000000000000000";

function wrangler(args: string[]): void {
  const r = spawnSync("npx", ["wrangler", ...args], { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed`);
}

wrangler(["d1", "migrations", "apply", "DB", "--local"]);
for (const sql of createKeySql("proj_dev", "development", "key_dev", DEV_KEY)) wrangler(["d1", "execute", "DB", "--local", "--command", sql]);

console.log(`\n  Development API key: ${DEV_KEY}\n  Try: curl -s http://localhost:8787/v1/runs -H "Authorization: Bearer ${DEV_KEY}"\n`);
const dev = spawn("npx", ["wrangler", "dev", "--port", process.env.PORT ?? "8787", ...process.argv.slice(2)], { stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
dev.on("exit", (code) => process.exit(code ?? 0));
