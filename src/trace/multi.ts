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

  constructor(
    private readonly all: Inspector[],
    private readonly meter: TraceMeter,
  ) {
    this.steppers = all.filter((i) => i.step !== undefined || i.stepEnd !== undefined);
    // The inspected loop skips the step hooks entirely when no one wants them.
    if (this.steppers.length === 0) {
      this.step = undefined;
      this.stepEnd = undefined;
    }
  }

  get stop(): "trace_cap" | undefined {
    return this.meter.stop;
  }

  step?(f: Frame): void {
    for (const i of this.steppers) i.step?.(f);
  }

  stepEnd?(f: Frame): void {
    for (const i of this.steppers) i.stepEnd?.(f);
  }

  stepAbandoned(f: Frame): void {
    for (const i of this.steppers) i.stepAbandoned?.(f);
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
