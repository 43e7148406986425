/**
 * In-memory notices that a prepared transaction was finished here, so that a reader waiting for
 * its keys wakes at once instead of polling.
 */
export class ReleaseSignal {
  private readonly waiters = new Map<string, Set<() => void>>();

  /** Resolves true when one of `txIds` is released, false after `ms`. */
  wait(txIds: string[], ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (released: boolean) => {
        clearTimeout(timer);
        for (const id of txIds) this.waiters.get(id)?.delete(wake);
        resolve(released);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), Math.max(0, ms));
      for (const id of txIds) {
        let set = this.waiters.get(id);
        if (set === undefined) this.waiters.set(id, (set = new Set()));
        set.add(wake);
      }
    });
  }

  released(txId: string): void {
    const set = this.waiters.get(txId);
    if (set === undefined) return;
    this.waiters.delete(txId);
    for (const wake of set) wake();
  }
}
