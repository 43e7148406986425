/**
 * One account object's hybrid logical clock: stamps are microseconds since the epoch (the wall
 * clock in ms × 1000, plus a counter when several stamps fall in one millisecond). Every stamp it
 * hands out for a commit is after every stamp it handed out before, for reads or prepares, and
 * after the stamps it was told of. So a transaction that prepared here after a read is stamped
 * after that read: what lets a run tell, from stamps alone, that its reads form one state
 * (see DoStateSource.consistent).
 */
export class LogicalClock {
  private t: number;

  /** `floor`: the last stamp this object stored, so a restart never goes back. */
  constructor(floor: number, private readonly now: () => number = Date.now) {
    this.t = Math.max(floor, now() * 1000);
  }

  /** The stamp of a read (or a prepare): the present, not after anything. */
  read(): number {
    this.t = Math.max(this.t, this.now() * 1000);
    return this.t;
  }

  /** A new stamp for a commit: after every stamp handed out here and after `after`. */
  next(after = 0): number {
    this.t = Math.max(this.t + 1, this.now() * 1000, after + 1);
    return this.t;
  }

  /** Learns of a stamp made elsewhere (a decision applied here). */
  observe(stamp: number): void {
    if (stamp > this.t) this.t = stamp;
  }
}
