/**
 * `npm run fuzz [-- --seconds N] [--seed S]`: differential fuzzing of our EVM against
 * @ethereumjs/evm. Each case (a structured random program, random bytes, or a mutated contract of
 * the bench corpus) runs on both; status, return data, execution gas, logs and storage must agree.
 * A divergence prints its seed and the smallest program that still shows it; exit 1 if any.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { hexToBytes } from "../primitives/hex.ts";
import { runCase, type Divergence } from "./fuzz/run.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

function corpusCode(): Uint8Array[] {
  const dir = resolve("../shared/bench/corpus");
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => hexToBytes(`0x${JSON.parse(readFileSync(join(dir, f), "utf8")).code}`));
}

const seconds = arg("seconds", 60);
const first = arg("seed", Date.now() % 1_000_000_000);
const seeds = corpusCode();
const found: Divergence[] = [];
const started = Date.now();
let cases = 0;
const statuses = new Map<string, number>();
for (let seed = first; Date.now() - started < seconds * 1000; seed++) {
  const { status, divergence: d } = await runCase(seed, seeds);
  cases++;
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  if (d !== undefined) {
    found.push(d);
    console.log(`DIVERGENCE seed ${d.seed} (${d.kind}): ${d.difference}\n  code ${d.code.length > 400 ? `${d.code.slice(0, 400)}… (${(d.code.length - 2) / 2} bytes)` : d.code}\n  calldata ${d.calldata}\n  gas ${d.gas}`);
  }
}
const elapsed = (Date.now() - started) / 1000;
console.log(`outcomes: ${[...statuses].map(([s, n]) => `${s} ${n}`).join(", ")}`);
console.log(`${cases} cases from seed ${first} in ${elapsed.toFixed(0)} s (${(cases / elapsed).toFixed(0)} cases/s): ${cases - found.length} passed, ${found.length} failed`);
process.exitCode = found.length === 0 ? 0 : 1;
