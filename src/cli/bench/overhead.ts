import { getHeapStatistics } from "node:v8";
import { hexToBytes } from "../../primitives/hex.ts";
import type { Workload } from "./corpus.ts";
import { ours, type Engine } from "./engines.ts";

/**
 * Microseconds per call of code that just stops: the fixed cost of one execution, each engine
 * in its steady state (a reusable prepared state is reused, as the service reuses loaded state).
 */
export async function callOverhead(engines: Engine[]): Promise<Record<string, number>> {
  const code = Uint8Array.of(0x00), data = new Uint8Array(0);
  const out: Record<string, number> = {};
  (globalThis as { gc?: () => void }).gc?.();
  for (const e of engines) {
    const n = e.reusable ? 20000 : 1000;
    let total = 0n;
    const prepared = e.reusable ? await e.prepare(code, data, 100_000) : undefined;
    for (let i = 0; i < n + 100; i++) {
      const p = prepared ?? (await e.prepare(code, data, 100_000));
      const t0 = process.hrtime.bigint();
      await p.run();
      if (i >= 100) total += process.hrtime.bigint() - t0; // the first 100 warm up
    }
    out[e.name] = Number(total) / n / 1000;
  }
  return out;
}

/**
 * Heap committed above the idle heap while our EVM runs the largest workload (by gas). V8 does
 * not hand committed pages back during a synchronous run, so the committed size right after the
 * run bounds the peak. Needs --expose-gc for a clean baseline.
 */
export async function heapPeak(corpus: Workload[]): Promise<{ workload: string; mib: number }> {
  const largest = [...corpus].sort((a, b) => (b.observed?.execGas ?? 0) - (a.observed?.execGas ?? 0))[0];
  const gc = (globalThis as { gc?: () => void }).gc;
  const p = await ours.prepare(hexToBytes("0x" + largest.code), hexToBytes("0x" + largest.calldata), largest.gasLimit);
  gc?.();
  const before = getHeapStatistics().total_heap_size;
  p.run();
  const after = getHeapStatistics().total_heap_size;
  return { workload: largest.name, mib: Math.max(0, after - before) / 2 ** 20 };
}
