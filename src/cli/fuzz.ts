/**
 * `npm run fuzz [-- --seconds N] [--seed S] [--fork NAME]`: differential fuzzing of our
 * EVM against @ethereumjs/evm. Each case (a structured random program, random instructions,
 * random bytes, or a mutated real contract) runs on both; status, return data, execution gas,
 * refund, logs and the whole resulting state (balances, nonces, code, storage) must agree. A
 * divergence prints its seed and the smallest code and calldata that still show it; exit 1 if any.
 */
import "./wasm.ts";
import { DEFAULT_FORK, FORK_NAMES, forkFromName } from "../evm/fork.ts";
import { runCase, type Divergence } from "./fuzz/run.ts";
import { loadSeeds } from "./fuzz/seeds.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const clip = (h: string) => (h.length > 400 ? `${h.slice(0, 400)}… (${(h.length - 2) / 2} bytes)` : h);

const seconds = Number(arg("seconds") ?? 60);
const first = Number(arg("seed") ?? Date.now() % 1_000_000_000);
const fork = arg("fork") === undefined ? DEFAULT_FORK : forkFromName(arg("fork")!);
if (fork === undefined) throw new Error(`--fork must name a fork (${Object.values(FORK_NAMES).join(", ")})`);
const seeds = loadSeeds();
const found: Divergence[] = [];
const started = Date.now();
let cases = 0;
const outcomes = new Map<string, number>();
const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
for (let seed = first; Date.now() - started < seconds * 1000; seed++) {
  const { kind, status, divergence: d } = await runCase(seed, seeds, fork);
  cases++;
  count(`${kind.replace(/ of .*/, "")}/${status}`);
  if (d !== undefined) {
    found.push(d);
    console.log(`DIVERGENCE seed ${d.seed} (${d.kind}, ${FORK_NAMES[fork]}): ${d.difference}\n  code ${clip(d.code)}\n  calldata ${clip(d.calldata)}\n  gas ${d.gas}`);
  }
}
const elapsed = (Date.now() - started) / 1000;
console.log(`outcomes (generator/status): ${[...outcomes].sort().map(([s, n]) => `${s} ${n}`).join(", ")}`);
console.log(`${cases} cases (${FORK_NAMES[fork]}) from seed ${first} in ${elapsed.toFixed(0)} s (${(cases / elapsed).toFixed(0)} cases/s): ${cases - found.length} passed, ${found.length} failed`);
process.exitCode = found.length === 0 ? 0 : 1;
