/**
 * An object's one alarm, with its time kept in memory, so that a write can arm it in the same
 * synchronous turn as the rows that need it: the alarm then joins that write (one atomic batch
 * behind the output gate), and an object that dies right after a commit still wakes to deliver
 * its outbox. Call `load` in the constructor (under blockConcurrencyWhile) and `fired` first
 * thing in the alarm handler.
 */
export class Alarm {
  private at: number | null = null;

  constructor(private readonly storage: DurableObjectStorage) {}

  async load(): Promise<void> {
    this.at = await this.storage.getAlarm();
  }

  /** Sets the alarm to `at` unless one is due sooner; not awaited, so it joins the caller's write. */
  armBy(at: number): void {
    if (this.at !== null && this.at <= at && this.at >= Date.now()) return;
    this.at = at;
    void this.storage.setAlarm(at);
  }

  /** The alarm ran: it is no longer set (the handler arms the next). */
  fired(): void {
    this.at = null;
  }
}
