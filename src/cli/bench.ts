/**
 * `npm run bench [-- --json] [--filter REGEX] [--peers revm]`: our EVM against @ethereumjs/evm and revm (through
 * EDR) on the shared corpus, in one process, alternating run by run. Reports gas, median ms,
 * Mgas/s, the ratio to each and geometric means, checks that all agree on output and gas (and
 * with the corpus's observed values), then per-call overhead on STOP code and the heap peak of
 * the largest workload.
 * `npm run bench -- worst [--json] [--filter REGEX] [--sweep]`: the slowest contracts per gas
 * (src/cli/bench/worst-main.ts).
 * `npm run bench -- traces`: answer size, heap and time of the traces issue 13's probes asked for
 * (src/cli/bench/trace-sizes.ts).
 * `npm run bench -- tracing`: only the tracing cost table (src/cli/bench/tracing.ts).
 */
import "./wasm.ts";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { hexToBytes } from "../primitives/hex.ts";
import { loadCorpus, type Workload } from "./bench/corpus.ts";
import { ours, type Engine } from "./bench/engines.ts";
import { ethereumjs } from "./bench/ethereumjs.ts";
import { revm } from "./bench/revm.ts";
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
  oursMgas: number;
  /** Mgas/s of each peer engine, and ours divided by it. */
  peers: { name: string; mgas: number; ratio: number }[];
  agree: boolean;
  note: string;
}

interface Args {
  json: boolean;
  filter?: RegExp;
  corpus: string;
  /** The peer engines to run beside ours (default all). */
  peers: string[];
}

function parseArgs(argv: string[]): Args {
  const out: Args = { json: false, corpus: resolve("../shared/bench/corpus"), peers: PEERS.map((e) => e.name) };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") out.json = true;
    else if (argv[i] === "--filter") out.filter = new RegExp(argv[++i]);
    else if (argv[i] === "--corpus") out.corpus = resolve(argv[++i]);
    else if (argv[i] === "--peers") out.peers = argv[++i].split(",").filter((p) => p !== "");
    else throw new Error(`unknown argument ${argv[i]} (use --json, --filter REGEX, --corpus DIR, --peers ethereumjs,revm)`);
  }
  return out;
}

/** Ours first, then the peers; every peer must agree with ours on output and gas. */
async function benchWorkload(w: Workload, engines: Engine[]): Promise<Row> {
  const code = hexToBytes("0x" + w.code), data = hexToBytes("0x" + w.calldata);
  const [a, ...peers] = await measureAlternating(engines, code, data, w.gasLimit, { budgetMs: 1500, minRuns: 3, maxRuns: 30 });
  const notes: string[] = [];
  peers.forEach((b, i) => {
    const peer = engines[i + 1].name;
    if (a.outcome.output !== b.outcome.output) notes.push(`output differs from ${peer}`);
    if (a.outcome.execGas !== b.outcome.execGas) notes.push(`gas differs from ${peer} (${a.outcome.execGas} vs ${b.outcome.execGas})`);
  });
  if (w.observed && (w.observed.output !== a.outcome.output || w.observed.execGas !== a.outcome.execGas)) notes.push("differs from corpus observed");
  if (w.expectedOutput && w.expectedOutput !== a.outcome.output) notes.push("differs from expectedOutput");
  const gas = a.outcome.execGas;
  const oursMgas = gas / 1000 / a.medianMs;
  const peerRows = peers.map((b, i) => {
    const mgas = b.outcome.execGas / 1000 / b.medianMs;
    return { name: engines[i + 1].name, mgas, ratio: oursMgas / mgas };
  });
  return { name: w.name, gas, oursMs: a.medianMs, oursMgas, peers: peerRows, agree: notes.length === 0, note: notes.join("; ") };
}

const PEERS = [ethereumjs, revm];

const pad = (s: string, n: number) => s.padStart(n);
const SHORT: Record<string, string> = { ethereumjs: "ejs" };

function printHeader(peers: string[]): void {
  const cols = peers.map((p) => pad(`${SHORT[p] ?? p} Mgas/s`, 13) + pad(`/${SHORT[p] ?? p}`, 7)).join("");
  console.log(`${"workload".padEnd(32)}${pad("gas", 11)}${pad("ours ms", 9)}${pad("ours Mgas/s", 13)}${cols}  check`);
}

function printRow(r: Row): void {
  const cols = r.peers.map((p) => pad(p.mgas.toFixed(1), 13) + pad(p.ratio.toFixed(2) + "x", 7)).join("");
  console.log(`${r.name.padEnd(32)}${pad(String(r.gas), 11)}${pad(r.oursMs.toFixed(2), 9)}${pad(r.oursMgas.toFixed(1), 13)}${cols}  ${r.agree ? "ok" : r.note}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === "worst") return worst(process.argv.slice(3));
  if (process.argv[2] === "traces") return traceSizes();
  if (process.argv[2] === "tracing") return printTracing(await tracingCost(loadCorpus(resolve("../shared/bench/corpus"), TRACED)));
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(args.corpus)) throw new Error(`corpus not found: ${args.corpus}`);
  const corpus = loadCorpus(args.corpus, args.filter);
  const engines = [ours, ...PEERS.filter((e) => args.peers.includes(e.name))];
  const peers = engines.slice(1).map((e) => e.name);
  const rows: Row[] = [];
  if (!args.json) printHeader(peers);
  for (const w of corpus) {
    rows.push(await benchWorkload(w, engines));
    if (!args.json) printRow(rows[rows.length - 1]);
  }
  const summary = {
    geomeanOursMgas: geomean(rows.map((r) => r.oursMgas)),
    peers: peers.map((name, i) => ({
      name,
      geomeanMgas: geomean(rows.map((r) => r.peers[i].mgas)),
      geomeanRatio: geomean(rows.map((r) => r.peers[i].ratio)),
      slowestRatio: Math.min(...rows.map((r) => r.peers[i].ratio)),
    })),
    allAgree: rows.every((r) => r.agree),
    // revm is timed inside a harness, so its per-call cost cannot be seen from here.
    stopOverheadUs: await callOverhead(engines.filter((e) => e !== revm)),
    heapPeak: await heapPeak(corpus),
    tracing: await tracingCost(corpus.filter((w) => TRACED.test(w.name))),
  };
  if (args.json) console.log(JSON.stringify({ rows, summary }, null, 2));
  else {
    console.log(`\ngeometric mean: ours ${summary.geomeanOursMgas.toFixed(1)} Mgas/s`);
    for (const p of summary.peers) console.log(`  ${p.name} ${p.geomeanMgas.toFixed(1)} Mgas/s: ours/${p.name} ${p.geomeanRatio.toFixed(2)}x (slowest workload ${p.slowestRatio.toFixed(2)}x)`);
    console.log(`per-call overhead on STOP code: ${Object.entries(summary.stopOverheadUs).map(([k, v]) => `${k} ${v.toFixed(1)} µs`).join(", ")}`);
    console.log(`heap peak of the largest workload (${summary.heapPeak.workload}): ${summary.heapPeak.mib.toFixed(1)} MiB above the idle heap`);
    console.log(summary.allAgree ? "all workloads agree on output and gas" : "SOME WORKLOADS DISAGREE: see the check column");
    printTracing(summary.tracing);
  }
  if (!summary.allAgree) process.exitCode = 1;
}

await main();
