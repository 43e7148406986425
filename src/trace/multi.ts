import type { Frame } from "../evm/frame.ts";
import type { CallEnd, CallStart, Inspector } from "../evm/inspector.ts";
import type { Log } from "../evm/types.ts";
import type { TraceMeter } from "./meter.ts";

/**
 * Several inspectors watching one run, each told every event in turn. They count what they build
 * on one meter, whose cap stops the run once it is over.
 */
export class Inspectors implements Inspector {
  private readonly steppers: Inspector[];
  private readonly watchers: Inspector[];
  readonly watched: ReadonlySet<number>;
  /** Set at the step where every stepper is done (see Inspector.stepsDone). */
  stepsDone = false;

  constructor(
    private readonly all: Inspector[],
    private readonly meter: TraceMeter,
  ) {
    this.steppers = all.filter((i) => i.step !== undefined || i.stepEnd !== undefined || i.stepAbandoned !== undefined);
    this.watchers = all.filter((i) => i.watched !== undefined && i.watched.size > 0);
    this.watched = new Set(this.watchers.flatMap((i) => [...i.watched!]));
    // Without step hooks the run keeps the plain loop.
    if (this.steppers.length === 0) {
      this.step = undefined;
      this.stepEnd = undefined;
      this.stepAbandoned = undefined;
    }
  }

  get stop(): "trace_cap" | undefined {
    return this.meter.stop;
  }

  step?(f: Frame): void {
    let done = true;
    for (const i of this.steppers) {
      i.step?.(f);
      if (i.stepsDone !== true) done = false;
    }
    this.stepsDone = done;
  }

  stepEnd?(f: Frame): void {
    for (const i of this.steppers) i.stepEnd?.(f);
  }

  stepAbandoned?(f: Frame): void {
    for (const i of this.steppers) i.stepAbandoned?.(f);
  }

  watch(f: Frame, op: number): void {
    for (const i of this.watchers) if (i.watched!.has(op)) i.watch!(f, op);
  }

  enter(c: CallStart): void {
    for (const i of this.all) i.enter?.(c);
  }

  exit(e: CallEnd): void {
    for (const i of this.all) i.exit?.(e);
  }

  log(log: Log, depth: number, index: number): void {
    for (const i of this.all) i.log?.(log, depth, index);
  }
}
