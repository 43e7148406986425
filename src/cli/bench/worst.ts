import { getHeapStatistics } from "node:v8";
import { DEFAULT_FORK } from "../../evm/fork.ts";
import { getPrecompile } from "../../evm/precompiles/index.ts";
import { bigIntToAddress } from "../../primitives/hex.ts";
import { oursEngine } from "./engines.ts";
import { WORST_CASES, type WorstCase } from "./worst-corpus.ts";

/** The service's gas cap per run (wrangler.toml MAX_GAS), equal to Osaka's cap per transaction (EIP-7825). */
export const SERVICE_GAS_CAP = 16_777_216;

/** Our EVM on the service's fork (Osaka): its gas prices are the ones a user pays. */
const ours = oursEngine("ours", undefined, DEFAULT_FORK);

export interface WorstRow {
  name: string;
  what: string;
  gas: number;
  ms: number;
  msPerMgas: number;
  /** Time of a run that spends the whole service cap at this speed. */
  msAtCap: number;
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

/** One run at the cap, timed, with the heap it grew. */
async function timedRun(w: WorstCase): Promise<{ ms: number; gas: number; heapMiB: number }> {
  const p = await ours.prepare(w.code, w.calldata, SERVICE_GAS_CAP);
  gc();
  const heap0 = getHeapStatistics().total_heap_size;
  const t0 = process.hrtime.bigint();
  const out = await p.run();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, gas: out.execGas, heapMiB: Math.max(0, getHeapStatistics().total_heap_size - heap0) / 2 ** 20 };
}

/**
 * ms per million gas of each worst case, on our EVM with the service's gas cap; slowest first.
 * One warm-up run, then the fastest of up to 3 runs (fewer when a run takes seconds).
 */
export async function worstCases(filter?: RegExp, log?: (row: WorstRow) => void): Promise<WorstRow[]> {
  const rows: WorstRow[] = [];
  for (const w of WORST_CASES.filter((c) => filter === undefined || filter.test(c.name))) {
    checkInput(w);
    const warm = await timedRun(w);
    const runs = [] as typeof warm[];
    while (runs.length < (warm.ms > 2000 ? 1 : 3)) runs.push(await timedRun(w));
    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const msPerMgas = best.ms / (best.gas / 1e6);
    const row = { name: w.name, what: w.what, gas: best.gas, ms: best.ms, msPerMgas, msAtCap: (msPerMgas * SERVICE_GAS_CAP) / 1e6, heapMiB: Math.max(warm.heapMiB, ...runs.map((r) => r.heapMiB)) };
    rows.push(row);
    log?.(row);
  }
  return rows.sort((a, b) => b.msPerMgas - a.msPerMgas);
}

export function printWorstHeader(): void {
  console.log(`${"worst case".padEnd(22)}${"gas".padStart(11)}${"ms".padStart(10)}${"ms/Mgas".padStart(10)}${"ms at cap".padStart(11)}${"heap MiB".padStart(10)}  what`);
}

export function printWorstRow(r: WorstRow): void {
  console.log(`${r.name.padEnd(22)}${String(r.gas).padStart(11)}${r.ms.toFixed(1).padStart(10)}${r.msPerMgas.toFixed(2).padStart(10)}${r.msAtCap.toFixed(0).padStart(11)}${r.heapMiB.toFixed(1).padStart(10)}  ${r.what}`);
}

export function printWorst(rows: WorstRow[]): void {
  console.log(`\nsorted by ms per million gas (the cap: ${SERVICE_GAS_CAP} gas):`);
  printWorstHeader();
  for (const r of rows) printWorstRow(r);
  const worst = rows[0];
  if (worst !== undefined) console.log(`\nslowest per gas: ${worst.name}, ${worst.msPerMgas.toFixed(2)} ms per million gas: a run spending the whole ${SERVICE_GAS_CAP} gas cap takes about ${worst.msAtCap.toFixed(0)} ms`);
  console.log(`largest heap growth: ${Math.max(...rows.map((r) => r.heapMiB)).toFixed(1)} MiB (${[...rows].sort((a, b) => b.heapMiB - a.heapMiB)[0]?.name})`);
}
