/**
 * `npm run forge:fork`: `forge test --fork-url` against edge-evm, end to end and offline. Starts
 * Anvil (the upstream network, with OpenZeppelin tokens and Uniswap V2), `wrangler dev` with a
 * throwaway local state and a project key, makes a persistent fork, then runs a forge test that
 * swaps on Uniswap (scripts/fork-forge/Fork.t.sol) twice: with --fork-url on the network URL
 * (/rpc/{key}/anvil, pinned to a block) and on the persistent fork's (/rpc/{key}/forks/{id});
 * then forks the project's own chain (/rpc/{key}) to read and increment a Counter deployed over
 * REST (scripts/fork-forge/Project.t.sol).
 * forge compiles with solc-js through /work/shared/tools/foundry/solc (no download).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Counter from "../test/contracts/Counter.json" with { type: "json" };
import { buildWorld, DEPLOYER } from "../test/fork/scenario.ts";
import { startAnvil } from "./anvil.ts";
import { DEV_KEY } from "./dev-project.ts";
import { startDevServer, type DevServer } from "./dev-server.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const FORGE = join(root, "node_modules/@foundry-rs/forge-linux-amd64/bin/forge");
const SOLC = process.env.FORGE_SOLC ?? "/work/shared/tools/foundry/solc";
const KEY = DEV_KEY;

const work = mkdtempSync(join(tmpdir(), "edge-evm-forge-"));
const anvil = await startAnvil();
let dev: DevServer | undefined;
let failed = 0;
try {
  const world = await buildWorld(anvil.url);
  const networks = JSON.stringify({ anvil: { chainId: 31337, proofs: true, forks: { cancun: 0, prague: 0 } } });
  dev = await startDevServer(31338, { NETWORKS: networks, NETWORK_URLS: JSON.stringify({ anvil: [anvil.url] }) });
  const base = dev.url;
  const fork = (await (await fetch(`${base}/v1/forks`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify({ network: "anvil", block: Number(world.block) }) })).json()) as { id: string };

  const project = join(work, "project");
  mkdirSync(join(project, "test"), { recursive: true });
  cpSync(join(root, "scripts/fork-forge/Fork.t.sol"), join(project, "test/Fork.t.sol"));
  cpSync(join(root, "scripts/fork-forge/Project.t.sol"), join(project, "test/Project.t.sol"));
  // A Counter on the project's own chain, deployed and incremented over REST.
  const auth = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  const counter = ((await (await fetch(`${base}/v1/contracts`, { method: "POST", headers: auth, body: JSON.stringify({ bytecode: Counter.bytecode }) })).json()) as { address: string }).address;
  await fetch(`${base}/v1/send`, { method: "POST", headers: auth, body: JSON.stringify({ to: counter, data: "0xd09de08a" }) });
  writeFileSync(join(project, "foundry.toml"), `[profile.default]\nsrc = "test"\ntest = "test"\nout = "out"\nlibs = []\noffline = true\n`);
  const env = { ...process.env, SOLCJS: join(root, "node_modules/solc/solc.js"), FORK_DEPLOYER: DEPLOYER, FORK_TOKEN_A: world.tokenA, FORK_TOKEN_B: world.tokenB, FORK_ROUTER: world.router, PROJECT_COUNTER: counter, PROJECT_COUNT: "1" };
  for (const [what, args] of [
    ["network URL, pinned block", ["--match-contract", "ForkTest", "--fork-url", `${base}/rpc/${KEY}/anvil`, "--fork-block-number", String(world.block)]],
    ["persistent fork", ["--match-contract", "ForkTest", "--fork-url", `${base}/rpc/${KEY}/forks/${fork.id}`]],
    ["the project's own chain", ["--match-contract", "ProjectChainTest", "--fork-url", `${base}/rpc/${KEY}`]],
  ] as const) {
    const r = spawnSync(FORGE, ["test", "--use", SOLC, "--offline", "-vv", ...args], { cwd: project, env, encoding: "utf8" });
    const out = `${r.stdout}${r.stderr}`.replaceAll(KEY, "<key>");
    console.log(`forge test --fork-url <${what}>: exit ${r.status}\n${out.split("\n").filter((l) => /\[(PASS|FAIL)|Suite result|Ran \d|Error/.test(l)).join("\n")}\n`);
    if (r.status !== 0) failed++;
  }
} finally {
  await dev?.stop();
  anvil.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed === 0 ? 0 : 1);
