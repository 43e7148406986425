/** Sends waiting for one sender's turn, at most; more are refused (429). */
const MAX_WAITING = 256;
/** How long a send waits for its turn at most (429 then): a request's life stays bounded. */
const MAX_WAIT_MS = 30_000;

interface Waiter {
  turn: string;
  grant: () => void;
}

/**
 * One send at a time per sender, in arrival order. Sends from one account always conflict (each
 * reads and bumps its nonce), so running them in turn saves the re-executions optimistic
 * concurrency would waste. A turn is only a hint, never needed for correctness: it lives in
 * memory, and a turn whose holder went quiet for `leaseMs` passes to the next waiter; commits
 * still validate everything they read.
 */
export class SenderQueue {
  private holder: { turn: string; since: number } | undefined;
  private readonly waiting: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly leaseMs: () => number) {}

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Whether `turn` holds the queue or waits in it. */
  has(turn: string): boolean {
    return this.holder?.turn === turn || this.waiting.some((w) => w.turn === turn);
  }

  /** Resolves true when `turn` holds the queue, false when the queue is full or it waited too long. */
  async acquire(turn: string, maxWaitMs = MAX_WAIT_MS): Promise<boolean> {
    if (this.holder === undefined) {
      this.holder = { turn, since: Date.now() };
      return true;
    }
    if (this.waiting.length >= MAX_WAITING) return false;
    const granted = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        const i = this.waiting.findIndex((w) => w.turn === turn);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(false);
      }, maxWaitMs);
      this.waiting.push({ turn, grant: () => (clearTimeout(timer), resolve(true)) });
      this.watch();
    });
    return granted;
  }

  release(turn: string): void {
    if (this.holder?.turn !== turn) {
      const i = this.waiting.findIndex((w) => w.turn === turn);
      if (i >= 0) this.waiting.splice(i, 1);
      return;
    }
    this.next();
  }

  private next(): void {
    const w = this.waiting.shift();
    this.holder = w === undefined ? undefined : { turn: w.turn, since: Date.now() };
    w?.grant();
    this.watch();
  }

  /** Passes the turn on when its holder has held it for longer than the lease. */
  private watch(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.holder === undefined || this.waiting.length === 0) return;
    const holder = this.holder;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.holder === holder) this.next();
    }, Math.max(0, holder.since + this.leaseMs() - Date.now()));
  }
}
