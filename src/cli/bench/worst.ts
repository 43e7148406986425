import { getHeapStatistics } from "node:v8";
import { DEFAULT_FORK } from "../../evm/fork.ts";
import { getPrecompile } from "../../evm/precompiles/index.ts";
import { bigIntToAddress } from "../../primitives/hex.ts";
import { workBudget } from "../../evm/work.ts";
import { oursEngine } from "./engines.ts";
import { WORST_CASES, type WorstCase } from "./worst-corpus.ts";

/** The service's gas cap per run (wrangler.toml MAX_GAS), equal to Osaka's cap per transaction (EIP-7825). */
export const SERVICE_GAS_CAP = 16_777_216;

/** The service's time cap (wrangler.toml TIME_CAP_MS): each run gets a work budget equal to it. */
export const SERVICE_TIME_CAP_MS = 5_000;

/** Our EVM on the service's fork (Osaka) with the service's work budget: its gas prices are the ones a user pays. */
const ours = oursEngine("ours", undefined, DEFAULT_FORK, () => ({ work: workBudget(SERVICE_TIME_CAP_MS) }));

export interface WorstRow {
  name: string;
  what: string;
  gas: number;
  ms: number;
  /** CPU time of the process during the run (less sensitive than wall time to other load on the machine). */
  cpuMs: number;
  msPerMgas: number;
  /** Time of a run that spends the whole service cap at this speed, were there no work budget. */
  msAtCap: number;
  /** Work units the run counted, as the ms of CPU they stand for. */
  workMs: number;
  /** CPU time per estimated ms: above 1, the meter's rate for this work is too low. */
  cpuPerWorkMs: number;
  /** The work budget stopped the run (time_cap). */
  stopped: boolean;
  /** Heap committed above the idle heap after the run: V8 keeps what a synchronous run grew to, so this bounds its peak. */
  heapMiB: number;
}

/** A worst case's precompile must accept its input: a failing call would measure nothing. */
function checkInput(w: WorstCase): void {
  if (w.precompile === undefined || w.failing) return;
  const precompile = getPrecompile(bigIntToAddress(BigInt(w.precompile)), DEFAULT_FORK);
  if (precompile === undefined || precompile(w.calldata, SERVICE_GAS_CAP, DEFAULT_FORK) === null) throw new Error(`${w.name}: the precompile refuses the input`);
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

interface Timed {
  ms: number;
  cpuMs: number;
  gas: number;
  work: number;
  stopped: boolean;
  heapMiB: number;
}

/** One run at the cap with the service's work budget, timed, with the heap it grew. */
async function timedRun(w: WorstCase): Promise<Timed> {
  const p = await ours.prepare(w.code, w.calldata, SERVICE_GAS_CAP);
  gc();
  const heap0 = getHeapStatistics().total_heap_size;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const out = await p.run();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const heapMiB = Math.max(0, getHeapStatistics().total_heap_size - heap0) / 2 ** 20;
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, gas: out.execGas, work: out.work ?? 0, stopped: out.haltReason === "time_cap", heapMiB };
}

/**
 * ms per million gas and work units of each worst case, on our EVM with the service's gas cap
 * and work budget; slowest per gas first. One warm-up run, then the fastest of up to 3 runs
 * (fewer when a run takes seconds).
 */
export async function worstCases(filter?: RegExp, log?: (row: WorstRow) => void): Promise<WorstRow[]> {
  const rows: WorstRow[] = [];
  for (const w of WORST_CASES.filter((c) => filter === undefined || filter.test(c.name))) {
    checkInput(w);
    const warm = await timedRun(w);
    const runs: Timed[] = [];
    while (runs.length < (warm.ms > 2000 ? 1 : 3)) runs.push(await timedRun(w));
    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const msPerMgas = best.ms / (best.gas / 1e6);
    const workMs = best.work / 1e6;
    const row: WorstRow = {
      name: w.name, what: w.what, gas: best.gas, ms: best.ms, cpuMs: best.cpuMs, msPerMgas, msAtCap: (msPerMgas * SERVICE_GAS_CAP) / 1e6,
      workMs, cpuPerWorkMs: best.cpuMs / workMs, stopped: best.stopped, heapMiB: Math.max(warm.heapMiB, ...runs.map((r) => r.heapMiB)),
    };
    rows.push(row);
    log?.(row);
  }
  return rows.sort((a, b) => b.msPerMgas - a.msPerMgas);
}

export function printWorstHeader(): void {
  console.log(`${"worst case".padEnd(22)}${"gas".padStart(11)}${"ms".padStart(9)}${"cpu ms".padStart(9)}${"ms/Mgas".padStart(9)}${"ms at cap".padStart(10)}${"work ms".padStart(9)}${"cpu/work".padStart(9)}${"stop".padStart(6)}${"heap MiB".padStart(9)}  what`);
}

export function printWorstRow(r: WorstRow): void {
  console.log(
    `${r.name.padEnd(22)}${String(r.gas).padStart(11)}${r.ms.toFixed(1).padStart(9)}${r.cpuMs.toFixed(1).padStart(9)}${r.msPerMgas.toFixed(2).padStart(9)}${r.msAtCap.toFixed(0).padStart(10)}` +
      `${r.workMs.toFixed(1).padStart(9)}${r.cpuPerWorkMs.toFixed(2).padStart(9)}${(r.stopped ? "yes" : "").padStart(6)}${r.heapMiB.toFixed(1).padStart(9)}  ${r.what}`,
  );
}

export function printWorst(rows: WorstRow[]): void {
  console.log(`\nsorted by ms per million gas (the cap: ${SERVICE_GAS_CAP} gas; the work budget: ${SERVICE_TIME_CAP_MS} ms, the time cap):`);
  printWorstHeader();
  for (const r of rows) printWorstRow(r);
  const worst = rows[0];
  if (worst === undefined) return;
  console.log(`\nslowest per gas: ${worst.name}, ${worst.msPerMgas.toFixed(2)} ms per million gas: without the work budget a run spending the whole ${SERVICE_GAS_CAP} gas cap would take about ${worst.msAtCap.toFixed(0)} ms`);
  // The platform limits a Worker's CPU time, and on a shared machine wall time mostly measures
  // waiting for a core: the verdict is on CPU time, with the wall time beside it.
  const longest = [...rows].sort((a, b) => b.cpuMs - a.cpuMs)[0];
  const verdict = longest.cpuMs <= 2 * SERVICE_TIME_CAP_MS ? "within" : "OVER";
  console.log(`longest run under the work budget: ${longest.name}, ${longest.cpuMs.toFixed(0)} ms of CPU = ${(longest.cpuMs / SERVICE_TIME_CAP_MS).toFixed(2)}x the budget's ${SERVICE_TIME_CAP_MS} ms (${verdict} 2x); wall ${longest.ms.toFixed(0)} ms`);
  const under = [...rows].sort((a, b) => b.cpuPerWorkMs - a.cpuPerWorkMs)[0];
  console.log(`most CPU per work unit: ${under.name}, ${under.cpuPerWorkMs.toFixed(2)} ms of CPU per estimated ms (above 1: its rate in src/evm/work.ts is low for this machine now)`);
  console.log(`largest heap growth: ${Math.max(...rows.map((r) => r.heapMiB)).toFixed(1)} MiB (${[...rows].sort((a, b) => b.heapMiB - a.heapMiB)[0]?.name})`);
  if (longest.cpuMs > 2 * SERVICE_TIME_CAP_MS) process.exitCode = 1;
}
