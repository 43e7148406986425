/**
 * `npm run project:create -- --name NAME [--credit MICRO_UNITS] [--chain-id N] [--remote]`:
 * creates a project with its first API key (scopes read, simulate, send and admin) in the D1
 * database (local by default, as `npm run dev` uses; `--remote` for the deployed one) and prints
 * the key. The key is shown once: only its hash is stored.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKeyStatements, keyAddress } from "../src/db/keys.ts";
import { inlineSql } from "./inline-sql.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const name = arg("name");
if (name === undefined || !/^[\w .-]{1,64}$/.test(name)) {
  console.error("usage: npm run project:create -- --name NAME [--credit MICRO_UNITS] [--chain-id N] [--remote]");
  process.exit(2);
}
const credit = Number(arg("credit") ?? "0");
const chainId = Number(arg("chain-id") ?? String(100_000 + Math.floor(Math.random() * 900_000_000)));
if (!Number.isSafeInteger(credit) || credit < 0 || !Number.isSafeInteger(chainId) || chainId <= 0) {
  console.error("--credit and --chain-id must be non-negative whole numbers");
  process.exit(2);
}
const hex = (n: number) => [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, "0")).join("");
const id = hex(16);
const key = `sk_live_${hex(24)}`;
const keyId = `key_${id}`;
const statements = createKeyStatements({ projectId: `proj_${id}`, projectName: name, chainId, keyId, key, credit, scopes: "read simulate send admin" });
const sql = statements.map((s) => `${inlineSql(s.sql, s.params)};`);
const dir = mkdtempSync(join(tmpdir(), "edge-evm-"));
try {
  writeFileSync(join(dir, "project.sql"), sql.join("\n"));
  const where = process.argv.includes("--remote") ? "--remote" : "--local";
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };
  for (const args of [["d1", "migrations", "apply", "DB", where], ["d1", "execute", "DB", where, "--file", join(dir, "project.sql")]]) {
    const r = spawnSync("npx", ["wrangler", ...args], { stdio: ["ignore", "inherit", "inherit"], env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`
  Project: ${name} (proj_${id}), chain id ${chainId}, credit ${credit} micro-units
  Admin API key (shown once): ${key}
  Its account: ${keyAddress(keyId)}
`);
