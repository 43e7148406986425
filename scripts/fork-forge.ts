/**
 * `npm run forge:fork`: `forge test --fork-url` against edge-evm, end to end and offline. Starts
 * Anvil (the upstream network, with OpenZeppelin tokens and Uniswap V2), `wrangler dev` with a
 * throwaway local state and a project key, makes a persistent fork, then runs a forge test that
 * swaps on Uniswap (scripts/fork-forge/Fork.t.sol) twice: with --fork-url on the network URL
 * (/rpc/{key}/anvil, pinned to a block) and on the persistent fork's (/rpc/{key}/forks/{id}).
 * forge compiles with solc-js through /work/shared/tools/foundry/solc (no download).
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createKeyStatements } from "../src/db/keys.ts";
import { buildWorld, DEPLOYER } from "../test/fork/scenario.ts";
import { freePort, startAnvil } from "../test/helpers/anvil.ts";
import { inlineSql } from "./inline-sql.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const FORGE = join(root, "node_modules/@foundry-rs/forge-linux-amd64/bin/forge");
const SOLC = process.env.FORGE_SOLC ?? "/work/shared/tools/foundry/solc";
const KEY = "sk_forge_local_only_000000000000000";
const offline = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" };

const work = mkdtempSync(join(tmpdir(), "edge-evm-forge-"));
const state = join(work, "state");
const anvil = await startAnvil();
let dev: ReturnType<typeof spawn> | undefined;
let failed = 0;
try {
  const world = await buildWorld(anvil.url);
  const wrangler = (args: string[]) => {
    const r = spawnSync("npx", ["wrangler", ...args, "--persist-to", state], { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: offline });
    if (r.status !== 0) throw new Error(`wrangler ${args[0]} failed`);
  };
  wrangler(["d1", "migrations", "apply", "DB", "--local"]);
  const seed = join(work, "seed.sql");
  writeFileSync(seed, createKeyStatements({ projectId: "proj_forge", projectName: "forge", chainId: 31338, keyId: "key_forge", key: KEY, scopes: "read simulate send admin", credit: 1e12 }).map((s) => `${inlineSql(s.sql, s.params)};`).join("\n") + "\nUPDATE projects SET requests_per_minute = 60000 WHERE id = 'proj_forge';\n");
  wrangler(["d1", "execute", "DB", "--local", "--file", seed]);

  const port = await freePort();
  const networks = JSON.stringify({ anvil: { chainId: 31337, proofs: true, forks: { cancun: 0, prague: 0 } } });
  dev = spawn("npx", ["wrangler", "dev", "--port", String(port), "--persist-to", state, "--var", `NETWORKS:${networks}`, "--var", `NETWORK_URLS:${JSON.stringify({ anvil: [anvil.url] })}`], { cwd: root, stdio: "ignore", env: offline, detached: true });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if ((await fetch(base).then((r) => r.ok).catch(() => false)) === true) break;
    if (i > 300) throw new Error("wrangler dev did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  const fork = (await (await fetch(`${base}/v1/forks`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify({ network: "anvil", block: Number(world.block) }) })).json()) as { id: string };

  const project = join(work, "project");
  mkdirSync(join(project, "test"), { recursive: true });
  cpSync(join(root, "scripts/fork-forge/Fork.t.sol"), join(project, "test/Fork.t.sol"));
  writeFileSync(join(project, "foundry.toml"), `[profile.default]\nsrc = "test"\ntest = "test"\nout = "out"\nlibs = []\noffline = true\n`);
  const env = { ...process.env, SOLCJS: join(root, "node_modules/solc/solc.js"), FORK_DEPLOYER: DEPLOYER, FORK_TOKEN_A: world.tokenA, FORK_TOKEN_B: world.tokenB, FORK_ROUTER: world.router };
  for (const [what, args] of [
    ["network URL, pinned block", ["--fork-url", `${base}/rpc/${KEY}/anvil`, "--fork-block-number", String(world.block)]],
    ["persistent fork", ["--fork-url", `${base}/rpc/${KEY}/forks/${fork.id}`]],
  ] as const) {
    const r = spawnSync(FORGE, ["test", "--use", SOLC, "--offline", "-vv", ...args], { cwd: project, env, encoding: "utf8" });
    const out = `${r.stdout}${r.stderr}`.replaceAll(KEY, "<key>");
    console.log(`forge test --fork-url <${what}>: exit ${r.status}\n${out.split("\n").filter((l) => /\[(PASS|FAIL)|Suite result|Ran \d|Error/.test(l)).join("\n")}\n`);
    if (r.status !== 0) failed++;
  }
} finally {
  if (dev?.pid !== undefined) {
    try {
      process.kill(-dev.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  anvil.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed === 0 ? 0 : 1);
