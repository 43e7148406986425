import { sentPieces } from "../../api/json-stream.ts";
import { hexToBytes } from "../../primitives/hex.ts";
import { AccessListTracer } from "../../trace/access-list.ts";
import { CallTracer } from "../../trace/call-tracer.ts";
import { TraceMeter } from "../../trace/meter.ts";
import { Inspectors } from "../../trace/multi.ts";
import type { StructLogText } from "../../trace/struct-log-bytes.ts";
import { StructLogger } from "../../trace/struct-logger.ts";
import type { Workload } from "./corpus.ts";
import { ours, oursEngine, type Engine, type RunOutcome } from "./engines.ts";
import type { Inspector } from "../../evm/inspector.ts";
import { measureAlternating, median, type Measurement } from "./measure.ts";

/**
 * An engine that runs with a tracer, then does `after` with it (write its answer, count what it
 * kept), which may restate the outcome; timed together.
 */
function tracerEngine<T extends Inspector>(name: string, make: () => T, after: (tracer: T, out: RunOutcome) => RunOutcome): Engine {
  let last: T | undefined;
  const inner = oursEngine(name, () => (last = make()));
  return {
    name,
    reusable: true,
    async prepare(code, calldata, gasLimit) {
      const prepared = await inner.prepare(code, calldata, gasLimit);
      return {
        run() {
          // Run first: `last` is the tracer this run made (an argument list would read it before).
          const out = prepared.run() as RunOutcome;
          return after(last!, out);
        },
      };
    },
  };
}

/**
 * A struct log's JSON as an answer sends it (jsonAnswer: the pieces the logger wrote during the
 * run, small ones joined; here without handing the isolate back between them).
 */
function answered(name: string, logs: StructLogText, out: RunOutcome): RunOutcome {
  let chars = 0;
  for (const sent of sentPieces(logs)) for (const piece of sent) chars += piece.length;
  if (chars === 0) throw new Error(`${name}: empty answer`);
  return out;
}

const structLogger = () => new StructLogger({ maxSteps: 100_000 }, new TraceMeter(Infinity));

/** What every simulation and estimate runs with (exec/trace.ts): the transfers tree and the access list. */
function simulateTracers(): Inspectors {
  const meter = new TraceMeter(Infinity);
  return new Inspectors([CallTracer.forTransfers(meter), new AccessListTracer(new Set(), meter)], meter);
}

/** The plain run of a workload: its gas and its steps. */
interface Whole {
  gas: number;
  steps: number;
}

/**
 * The struct logger as the service runs it (no limit; every step kept until the trace meter's
 * 16 MiB cap stops the run), alone (it writes its text as it runs) or with its answer gathered as
 * sent. Its rate is the plain run's gas per step times the steps it kept: a ratio of steps per
 * second against the plain loop's (over the first steps of the workload, not all of them).
 */
function cappedEngine(name: string, whole: Whole, withAnswer: boolean): Engine {
  return tracerEngine(name, () => new StructLogger({}, new TraceMeter()), (logger, out) => {
    if (withAnswer) answered(name, logger.logs, out);
    return { ...out, execGas: (whole.gas * logger.logs.length) / whole.steps };
  });
}

/** What tracing costs: the plain loop, an inspector with no hooks, the call tracer, a simulation's tracers, the struct logger (with geth's limit, and as the service runs it: alone and with its answer). */
function engines(whole: Whole): Engine[] {
  return [
    ours,
    oursEngine("no-op inspector", () => ({})),
    oursEngine("callTracer", () => new CallTracer({ withLog: true }, new TraceMeter(Infinity))),
    oursEngine("simulate tracers", simulateTracers),
    oursEngine("structLog 100k", structLogger),
    tracerEngine("100k + answer", structLogger, (t, out) => answered("100k + answer", t.result(0n)!.structLogs, out)),
    cappedEngine("structLog 16MiB", whole, false),
    cappedEngine("16MiB + answer", whole, true),
    oursEngine("step hooks only", () => ({ step() {}, stepEnd() {} })),
  ];
}

export interface TracingRow {
  name: string;
  mgas: Record<string, number>;
  /**
   * Each setting's rate as a fraction of the plain loop's: the median of the rounds' ratios (a
   * round runs every setting once, so a load spike hits both sides of its ratio).
   */
  ofPlain: Record<string, number>;
}

/** Mgas/s of each tracing setting on a few workloads, alternating run by run. */
export async function tracingCost(workloads: Workload[]): Promise<TracingRow[]> {
  const rows: TracingRow[] = [];
  for (const w of workloads) {
    const code = hexToBytes("0x" + w.code), calldata = hexToBytes("0x" + w.calldata);
    let steps = 0;
    const counted = await oursEngine("steps", () => ({ step: () => void steps++ })).prepare(code, calldata, w.gasLimit);
    const whole = { gas: (counted.run() as RunOutcome).execGas, steps };
    const list = engines(whole);
    const ms = await measureAlternating(list, code, calldata, w.gasLimit, { budgetMs: 1000, minRuns: 3, maxRuns: 20 });
    const rate = (m: Measurement, ms: number) => m.outcome.execGas / 1000 / ms;
    const plain = ms[0];
    rows.push({
      name: w.name,
      mgas: Object.fromEntries(list.map((e, i) => [e.name, rate(ms[i], ms[i].medianMs)])),
      ofPlain: Object.fromEntries(list.map((e, i) => [e.name, median(ms[i].times.map((t, r) => rate(ms[i], t) / rate(plain, plain.times[r])))])),
    });
  }
  return rows;
}

export function printTracing(rows: TracingRow[]): void {
  const names = Object.keys(rows[0]?.mgas ?? {});
  console.log(`\ntracing cost, Mgas/s (median run) and, in brackets, the median of the rounds' ratios to the plain loop (tracing off runs the plain loop, which has no hook):`);
  console.log(`${"workload".padEnd(34)}${names.map((n) => n.padStart(18)).join("")}`);
  for (const r of rows) console.log(`${r.name.padEnd(34)}${names.map((n) => `${r.mgas[n].toFixed(1)} (${r.ofPlain[n].toFixed(2)}x)`.padStart(18)).join("")}`);
}
