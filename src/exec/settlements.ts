import type { Ledger } from "../durable/ledger/ledger.ts";
import type { Settlement } from "../durable/ledger/protocol.ts";

/**
 * How long a settlement waits in its isolate for an admission to its project's ledger to ride
 * on before it goes on its own: a loaded project's next request is admitted sooner than this,
 * so under load settlements cost no round trip and no storage transaction of their own.
 */
export const RIDE_WAIT_MS = 50;
/** Settlements one admission carries at most (so a burst does not slow one request's admission). */
const SEATS = 32;
/** Own trips a settlement tries when the ledger fails it; after them it is left to the ledger's sweep. */
const TRIES = 3;
/** How often an owner looks whether the admission carrying its settlement has come back. */
const RIDE_POLL_MS = 25;
/**
 * A ride not back after this long (its request was cancelled mid-admission, say) is taken for
 * lost: the settlement goes again on its own, which settles nothing twice.
 */
const RIDE_LOST_MS = 5_000;
/**
 * Settlements one project's queue holds at most. One whose owner gave up (the ledger kept failing)
 * waits here for a later admission to carry it; past this many, the oldest are dropped and left
 * to the ledger's sweep, which closes their reservations (charged once either way): a ledger that
 * keeps failing does not grow the isolate's memory.
 */
const MAX_QUEUED = 1_024;

type State = "waiting" | "riding" | "done";

interface Passenger {
  settlement: Settlement;
  state: State;
  /** The ride it is on (a lost ride that comes back later changes nothing). */
  ride: object | undefined;
}

/** Settlements boarded on an admission: applied in its storage transaction, or given back. */
export interface Ride {
  settlements: Settlement[];
  /** The admission was answered (admitted or refused): the ledger applied them. */
  landed(): void;
  /** The admission failed: nobody knows whether they were applied; their owners settle them again (once by run id). */
  failed(): void;
}

/**
 * Settlements of this isolate's requests on their way to their projects' ledgers. A request's
 * settlement waits here after its answer (its waitUntil holds it) until an admission to the same
 * ledger carries it, or RIDE_WAIT_MS passed, when its own request sends it with whoever else
 * waits. Each owner drives its own settlement in its own request's context, so none is left to a
 * request that has ended; the ledger settles a run once by its id, so one settled twice (a ride
 * that failed after it landed) is charged once.
 */
export class PendingSettlements {
  private readonly waiting = new Map<string, Passenger[]>();

  constructor(
    private readonly rideLostMs = RIDE_LOST_MS,
    private readonly maxQueued = MAX_QUEUED,
  ) {}

  async settle(project: string, ledger: DurableObjectStub<Ledger>, settlement: Settlement): Promise<void> {
    const me: Passenger = { settlement, state: "waiting", ride: undefined };
    this.enqueue(project, me);
    await sleep(RIDE_WAIT_MS);
    for (let trip = 1, riding = 0; ; ) {
      if (me.state === "done") return;
      if (me.state === "riding" && riding < this.rideLostMs) {
        await sleep(RIDE_POLL_MS);
        riding += RIDE_POLL_MS;
        continue;
      }
      if (me.state === "riding") [me.state, me.ride] = ["waiting", undefined];
      const ride = this.board(project, me) ?? alone(me);
      try {
        await ledger.settleAll(ride.settlements);
        ride.landed();
        return;
      } catch (e) {
        ride.failed();
        if (trip++ >= TRIES) throw e;
        await sleep(100 * trip);
      }
    }
  }

  /** Boards those waiting for `project`'s ledger (with `first` among them when given); undefined when none waits. */
  board(project: string, first?: Passenger): Ride | undefined {
    const queue = this.waiting.get(project);
    if (queue === undefined || queue.length === 0) return undefined;
    const seated = queue.splice(0, SEATS);
    if (first !== undefined && !seated.includes(first)) {
      const at = queue.indexOf(first);
      if (at >= 0) queue.splice(at, 1);
      seated.push(first);
    }
    if (queue.length === 0) this.waiting.delete(project);
    const ride = {};
    for (const p of seated) [p.state, p.ride] = ["riding", ride];
    const arrive = (state: State) => {
      for (const p of seated) {
        if (p.ride !== ride) continue;
        [p.state, p.ride] = [state, undefined];
        if (state === "waiting") this.enqueue(project, p);
      }
    };
    return { settlements: seated.map((p) => p.settlement), landed: () => arrive("done"), failed: () => arrive("waiting") };
  }

  /** Settlements waiting, for tests. */
  size(): number {
    let n = 0;
    for (const q of this.waiting.values()) n += q.length;
    return n;
  }

  /** Queues `p`; past `maxQueued` the oldest leave the queue (an owner still driving one rides it alone). */
  private enqueue(project: string, p: Passenger): void {
    const q = this.queue(project);
    q.push(p);
    if (q.length > this.maxQueued) q.splice(0, q.length - this.maxQueued);
  }

  private queue(project: string): Passenger[] {
    let q = this.waiting.get(project);
    if (q === undefined) this.waiting.set(project, (q = []));
    return q;
  }
}

/** A ride of one passenger that is in nobody's queue (its own ride was lost). */
function alone(p: Passenger): Ride {
  const ride = {};
  [p.state, p.ride] = ["riding", ride];
  const arrive = (state: State) => void (p.ride === ride && ([p.state, p.ride] = [state, undefined]));
  return { settlements: [p.settlement], landed: () => arrive("done"), failed: () => arrive("waiting") };
}

/**
 * The owner's own timer: a request's context only wakes for its own events, so an owner looks at
 * its passenger's state (set by whichever request carried it) rather than being woken by another.
 */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** This isolate's. */
export const pendingSettlements = new PendingSettlements();
