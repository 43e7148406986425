import type { Engine, RunOutcome } from "./engines.ts";

export interface Measurement {
  outcome: RunOutcome;
  /** Median wall time of one run, in milliseconds. */
  medianMs: number;
  runs: number;
}

export interface MeasureOptions {
  /** Stop after this much total timed work per engine (ms), once `minRuns` are done. */
  budgetMs: number;
  minRuns: number;
  maxRuns: number;
}

/**
 * Times engines on one workload, alternating between them run by run so that machine noise
 * hits both alike. Each run gets freshly prepared state (not timed); one untimed warm-up first.
 * An engine that measures itself (`RunOutcome.ms`) is timed by its own figure; the wall time
 * still counts toward its budget.
 */
export async function measureAlternating(
  engines: Engine[],
  code: Uint8Array,
  calldata: Uint8Array,
  gasLimit: number,
  opts: MeasureOptions,
): Promise<Measurement[]> {
  const times: number[][] = engines.map(() => []);
  const outcomes: RunOutcome[] = [];
  for (let e = 0; e < engines.length; e++) {
    const p = await engines[e].prepare(code, calldata, gasLimit);
    outcomes[e] = await p.run();
  }
  const spent = engines.map(() => 0);
  for (let i = 0; i < opts.maxRuns; i++) {
    if (i >= opts.minRuns && spent.every((s) => s >= opts.budgetMs)) break;
    for (let e = 0; e < engines.length; e++) {
      const p = await engines[e].prepare(code, calldata, gasLimit);
      const t0 = process.hrtime.bigint();
      const out = await p.run();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      times[e].push(out.ms ?? ms);
      spent[e] += ms;
    }
  }
  return engines.map((_, e) => ({ outcome: outcomes[e], medianMs: median(times[e]), runs: times[e].length }));
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function geomean(xs: number[]): number {
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}
