import { jsonLength } from "../../api/json-stream.ts";
import { hexToBytes } from "../../primitives/hex.ts";
import { AccessListTracer } from "../../trace/access-list.ts";
import { CallTracer } from "../../trace/call-tracer.ts";
import { TraceMeter } from "../../trace/meter.ts";
import { Inspectors } from "../../trace/multi.ts";
import { StructLogger } from "../../trace/struct-logger.ts";
import type { Workload } from "./corpus.ts";
import { ours, oursEngine, type Engine, type RunOutcome } from "./engines.ts";
import type { Inspector } from "../../evm/inspector.ts";
import { measureAlternating } from "./measure.ts";

/**
 * An engine that runs with a tracer and then writes its answer's JSON, as the service does (a
 * struct log from its columns, a slice at a time: jsonLength does the writing of jsonAnswer
 * without handing the isolate back): what a trace costs a request.
 */
function answeringEngine<T extends Inspector>(name: string, make: () => T, answer: (tracer: T) => number): Engine {
  let last: T | undefined;
  const inner = oursEngine(name, () => (last = make()));
  return {
    name,
    reusable: true,
    async prepare(code, calldata, gasLimit) {
      const prepared = await inner.prepare(code, calldata, gasLimit);
      return {
        run() {
          const out = prepared.run() as RunOutcome;
          if (answer(last!) === 0) throw new Error(`${name}: empty answer`);
          return out;
        },
      };
    },
  };
}

const structLogger = () => new StructLogger({ maxSteps: 100_000 }, new TraceMeter(Infinity));

/** What every simulation and estimate runs with (exec/trace.ts): the transfers tree and the access list. */
function simulateTracers(): Inspectors {
  const meter = new TraceMeter(Infinity);
  return new Inspectors([CallTracer.forTransfers(meter), new AccessListTracer(new Set(), meter)], meter);
}

/** What tracing costs: the plain loop, an inspector with no hooks, the call tracer, a simulation's tracers, the struct logger (without and with its answer). */
const ENGINES = [
  ours,
  oursEngine("no-op inspector", () => ({})),
  oursEngine("callTracer", () => new CallTracer({ withLog: true }, new TraceMeter(Infinity))),
  oursEngine("simulate tracers", simulateTracers),
  oursEngine("struct logger", structLogger),
  answeringEngine("struct log + JSON", structLogger, (t) => jsonLength(t.result(0n))),
  oursEngine("step hooks only", () => ({ step() {}, stepEnd() {} })),
];

export interface TracingRow {
  name: string;
  mgas: Record<string, number>;
}

/** Mgas/s of each tracing setting on a few workloads, alternating run by run. */
export async function tracingCost(workloads: Workload[]): Promise<TracingRow[]> {
  const rows: TracingRow[] = [];
  for (const w of workloads) {
    const ms = await measureAlternating(ENGINES, hexToBytes("0x" + w.code), hexToBytes("0x" + w.calldata), w.gasLimit, { budgetMs: 1000, minRuns: 3, maxRuns: 20 });
    const gas = ms[0].outcome.execGas;
    rows.push({ name: w.name, mgas: Object.fromEntries(ENGINES.map((e, i) => [e.name, gas / 1000 / ms[i].medianMs])) });
  }
  return rows;
}

export function printTracing(rows: TracingRow[]): void {
  const names = ENGINES.map((e) => e.name);
  console.log(`\ntracing cost, Mgas/s (tracing off runs the plain loop, which has no hook):`);
  console.log(`${"workload".padEnd(34)}${names.map((n) => n.padStart(18)).join("")}`);
  for (const r of rows) console.log(`${r.name.padEnd(34)}${names.map((n) => `${r.mgas[n].toFixed(1)} (${(r.mgas[n] / r.mgas[names[0]]).toFixed(2)}x)`.padStart(18)).join("")}`);
}
