/**
 * `npm run bench [-- --json] [--filter REGEX]`: our EVM against @ethereumjs/evm on the shared
 * corpus, in one process, alternating run by run. Reports gas, median ms, Mgas/s, the ratio and
 * geometric means, checks that both agree on output and gas (and with the corpus's observed
 * values), then per-call overhead on STOP code and the heap peak of the largest workload.
 * `npm run bench -- worst [--json] [--filter REGEX] [--sweep]`: the slowest contracts per gas
 * (src/cli/bench/worst-main.ts).
 * `npm run bench -- traces`: answer size, heap and time of the traces issue 13's probes asked for
 * (src/cli/bench/trace-sizes.ts).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { hexToBytes } from "../primitives/hex.ts";
import { loadCorpus, type Workload } from "./bench/corpus.ts";
import { ours, type Engine } from "./bench/engines.ts";
import { ethereumjs } from "./bench/ethereumjs.ts";
import { geomean, measureAlternating } from "./bench/measure.ts";
import { callOverhead, heapPeak } from "./bench/overhead.ts";
import { traceSizes } from "./bench/trace-sizes.ts";
import { printTracing, tracingCost } from "./bench/tracing.ts";
import { worst } from "./bench/worst-main.ts";

/** Workloads whose tracing cost the bench reports. */
const TRACED = /^(erc20_transfer\/|snailtracer|sha1_divs|loop_with_many_jumpdests)/;

interface Row {
  name: string;
  gas: number;
  oursMs: number;
  peerMs: number;
  oursMgas: number;
  peerMgas: number;
  ratio: number;
  agree: boolean;
  note: string;
}

function parseArgs(argv: string[]): { json: boolean; filter?: RegExp; corpus: string } {
  const out: { json: boolean; filter?: RegExp; corpus: string } = { json: false, corpus: resolve("../shared/bench/corpus") };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") out.json = true;
    else if (argv[i] === "--filter") out.filter = new RegExp(argv[++i]);
    else if (argv[i] === "--corpus") out.corpus = resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --json, --filter REGEX, --corpus DIR)`);
  }
  return out;
}

async function benchWorkload(w: Workload, engines: Engine[]): Promise<Row> {
  const code = hexToBytes("0x" + w.code), data = hexToBytes("0x" + w.calldata);
  const [a, b] = await measureAlternating(engines, code, data, w.gasLimit, { budgetMs: 1500, minRuns: 3, maxRuns: 30 });
  const notes: string[] = [];
  if (a.outcome.output !== b.outcome.output) notes.push("output differs from ethereumjs");
  if (a.outcome.execGas !== b.outcome.execGas) notes.push(`gas differs (${a.outcome.execGas} vs ${b.outcome.execGas})`);
  if (w.observed && (w.observed.output !== a.outcome.output || w.observed.execGas !== a.outcome.execGas)) notes.push("differs from corpus observed");
  if (w.expectedOutput && w.expectedOutput !== a.outcome.output) notes.push("differs from expectedOutput");
  const gas = a.outcome.execGas;
  const oursMgas = gas / 1000 / a.medianMs, peerMgas = b.outcome.execGas / 1000 / b.medianMs;
  return { name: w.name, gas, oursMs: a.medianMs, peerMs: b.medianMs, oursMgas, peerMgas, ratio: oursMgas / peerMgas, agree: notes.length === 0, note: notes.join("; ") };
}

const pad = (s: string, n: number) => s.padStart(n);

function printHeader(): void {
  console.log(`${"workload".padEnd(34)}${pad("gas", 12)}${pad("ours ms", 10)}${pad("ejs ms", 10)}${pad("ours Mgas/s", 13)}${pad("ejs Mgas/s", 12)}${pad("ratio", 8)}  check`);
}

function printRow(r: Row): void {
  console.log(`${r.name.padEnd(34)}${pad(String(r.gas), 12)}${pad(r.oursMs.toFixed(2), 10)}${pad(r.peerMs.toFixed(2), 10)}${pad(r.oursMgas.toFixed(1), 13)}${pad(r.peerMgas.toFixed(1), 12)}${pad(r.ratio.toFixed(2) + "x", 8)}  ${r.agree ? "ok" : r.note}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === "worst") return worst(process.argv.slice(3));
  if (process.argv[2] === "traces") return traceSizes();
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(args.corpus)) throw new Error(`corpus not found: ${args.corpus}`);
  const corpus = loadCorpus(args.corpus, args.filter);
  const engines = [ours, ethereumjs];
  const rows: Row[] = [];
  if (!args.json) printHeader();
  for (const w of corpus) {
    rows.push(await benchWorkload(w, engines));
    if (!args.json) printRow(rows[rows.length - 1]);
  }
  const summary = {
    geomeanOursMgas: geomean(rows.map((r) => r.oursMgas)),
    geomeanPeerMgas: geomean(rows.map((r) => r.peerMgas)),
    geomeanRatio: geomean(rows.map((r) => r.ratio)),
    slowestRatio: Math.min(...rows.map((r) => r.ratio)),
    allAgree: rows.every((r) => r.agree),
    stopOverheadUs: await callOverhead(engines),
    heapPeak: await heapPeak(corpus),
    tracing: await tracingCost(corpus.filter((w) => TRACED.test(w.name))),
  };
  if (args.json) console.log(JSON.stringify({ rows, summary }, null, 2));
  else {
    console.log(`\ngeometric mean: ours ${summary.geomeanOursMgas.toFixed(1)} Mgas/s, ethereumjs ${summary.geomeanPeerMgas.toFixed(1)} Mgas/s, ratio ${summary.geomeanRatio.toFixed(2)}x (slowest workload ${summary.slowestRatio.toFixed(2)}x)`);
    console.log(`per-call overhead on STOP code: ${Object.entries(summary.stopOverheadUs).map(([k, v]) => `${k} ${v.toFixed(1)} µs`).join(", ")}`);
    console.log(`heap peak of the largest workload (${summary.heapPeak.workload}): ${summary.heapPeak.mib.toFixed(1)} MiB above the idle heap`);
    console.log(summary.allAgree ? "all workloads agree on output and gas" : "SOME WORKLOADS DISAGREE: see the check column");
    printTracing(summary.tracing);
  }
  if (!summary.allAgree) process.exitCode = 1;
}

await main();
