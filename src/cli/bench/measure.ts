import type { Engine, RunOutcome } from "./engines.ts";

export interface Measurement {
  outcome: RunOutcome;
  /** Median wall time of one run, in milliseconds. */
  medianMs: number;
  runs: number;
  /** Each round's time of one run (ms): a round runs every engine once, so rounds pair them. */
  times: number[];
}

export interface MeasureOptions {
  /** Stop after this much total timed work per engine (ms), once `minRuns` are done. */
  budgetMs: number;
  /** Untimed runs per engine before timing, for this long (ms; at least one run). Default a tenth of the budget. */
  warmupMs?: number;
  /** Gas one timed sample should reach at least: a smaller workload runs back to back that many times (default 200,000). */
  sampleGas?: number;
  minRuns: number;
  maxRuns: number;
}

/**
 * Times engines on one workload, alternating between them run by run so that machine noise
 * hits both alike. Each run gets freshly prepared state (not timed). Each engine first runs the
 * workload untimed for `warmupMs`, so every engine is timed in its steady state: revm's figure
 * is an average over many repetitions in one test, and a JIT's first runs of a small workload
 * (swap_math: 30 runs of 0.1 ms) measure its compiler, not its interpreter. For the same reason a
 * sample of a small workload is `sampleGas` worth of runs back to back, its time divided by them,
 * as revm's harness repeats it (and a run just after another engine's does not pay for the
 * caches and the young generation that engine left behind).
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
  const warmupMs = opts.warmupMs ?? opts.budgetMs / 10;
  for (let e = 0; e < engines.length; e++) {
    const t0 = performance.now();
    do {
      const p = await engines[e].prepare(code, calldata, gasLimit);
      outcomes[e] = await p.run();
    } while (performance.now() - t0 < warmupMs);
  }
  const sampleGas = opts.sampleGas ?? 200_000;
  // An engine that times itself repeats the workload in its own loop (revm); the others repeat it here.
  const reps = outcomes.map((o) => (o.ms !== undefined ? 1 : Math.max(1, Math.ceil(sampleGas / Math.max(1, o.execGas)))));
  const spent = engines.map(() => 0);
  for (let i = 0; i < opts.maxRuns; i++) {
    if (i >= opts.minRuns && spent.every((s) => s >= opts.budgetMs)) break;
    for (let e = 0; e < engines.length; e++) {
      const engine = engines[e];
      const prepared: Awaited<ReturnType<Engine["prepare"]>>[] = [];
      for (let r = 0; r < reps[e]; r++) prepared.push(engine.reusable && r > 0 ? prepared[0] : await engine.prepare(code, calldata, gasLimit));
      let selfTimed = 0;
      const t0 = process.hrtime.bigint();
      for (const p of prepared) selfTimed += (await p.run()).ms ?? 0;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      times[e].push(outcomes[e].ms !== undefined ? selfTimed : ms / reps[e]);
      spent[e] += ms;
    }
  }
  return engines.map((_, e) => ({ outcome: outcomes[e], medianMs: median(times[e]), runs: times[e].length, times: times[e] }));
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function geomean(xs: number[]): number {
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}
