import { errorFields, logEvent } from "../primitives/log.ts";

/**
 * An outbox: records written in the same SQLite transaction as what they record (a commit, a
 * settlement, a key), then handed to the run-log queue until the consumer confirms it wrote them
 * to D1. The queue message names only the object and the rows' sequence numbers; the consumer
 * reads the bodies back (so a record is never bound by a queue message's size), writes them with
 * `INSERT OR IGNORE`, and confirms. Delivery is at least once; a row not confirmed within
 * RESEND_MS is sent again. Bodies are stored in chunks, so a record may exceed SQLite's row limit.
 */

/** Where the consumer reads a message's rows back. */
export interface OutboxSource {
  kind: "ledger" | "account";
  /** The object's name (a project id, or an account's `<chainId>:<address>`). */
  name: string;
}

export interface OutboxMessage {
  from: OutboxSource;
  seqs: number[];
}

export interface OutboxRow {
  seq: number;
  body: unknown;
}

const CHUNK = 512 * 1024;
const RESEND_MS = 30_000;
/** Rows a message names at most. */
const PER_MESSAGE = 50;
/** How long a hand-off waits for more rows before it goes. */
const GATHER_MS = 50;

export class Outbox {
  /** Set by `add`: rows came that the queue has not been handed yet (see `takeAdded`). */
  private added = false;
  /** A hand-off to the queue is under way; `again`: rows came during it. */
  private flushing = false;
  private again = false;

  constructor(private readonly sql: SqlStorage, private readonly source: () => OutboxSource) {
    sql.exec(`CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, created_at INTEGER NOT NULL, sent_at INTEGER)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS outbox_chunks (seq INTEGER NOT NULL, part INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (seq, part)) WITHOUT ROWID`);
  }

  /** Adds a record; call inside the transaction that makes what it records. */
  add(body: unknown, now = Date.now()): number {
    this.added = true;
    const seq = this.sql.exec<{ seq: number }>(`INSERT INTO outbox (created_at) VALUES (?) RETURNING seq`, now).one().seq;
    const text = JSON.stringify(body);
    for (let part = 0, at = 0; at < text.length || part === 0; part++, at += CHUNK) this.sql.exec(`INSERT INTO outbox_chunks (seq, part, data) VALUES (?, ?, ?)`, seq, part, text.slice(at, at + CHUNK));
    return seq;
  }

  /** Whether rows were added since the last call (the object then hands them to the queue). */
  takeAdded(): boolean {
    const a = this.added;
    this.added = false;
    return a;
  }

  /** The bodies of those of `seqs` still held (a row confirmed before is simply absent). */
  bodies(seqs: number[]): OutboxRow[] {
    const parts = this.sql
      .exec<{ seq: number; data: string }>(`SELECT seq, data FROM outbox_chunks WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq, part`, JSON.stringify(seqs))
      .toArray();
    const out: OutboxRow[] = [];
    for (let i = 0; i < parts.length; ) {
      const seq = parts[i].seq;
      let text = "";
      for (; i < parts.length && parts[i].seq === seq; i++) text += parts[i].data;
      out.push({ seq, body: JSON.parse(text) });
    }
    return out;
  }

  /** The bodies of the newest `limit` rows held, oldest first. */
  newest(limit: number): OutboxRow[] {
    const seqs = this.sql.exec<{ seq: number }>(`SELECT seq FROM outbox ORDER BY seq DESC LIMIT ?`, limit).toArray().map((r) => r.seq);
    return this.bodies(seqs);
  }

  /** The consumer wrote these to D1. */
  delivered(seqs: number[]): void {
    const list = JSON.stringify(seqs);
    this.sql.exec(`DELETE FROM outbox_chunks WHERE seq IN (SELECT value FROM json_each(?))`, list);
    this.sql.exec(`DELETE FROM outbox WHERE seq IN (SELECT value FROM json_each(?))`, list);
  }

  /** Rows waiting: never sent, or sent and not confirmed for a while. */
  pending(now = Date.now()): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL OR sent_at < ?`, now - RESEND_MS).one().n;
  }

  /** Rows held at all (sent or not): for tests and inspection. */
  size(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox`).one().n;
  }

  /**
   * Hands new rows to the queue now, not awaited by the caller; `recheck` (an alarm) when rows
   * stay unconfirmed. While a hand-off is under way, rows added meanwhile go in one more after
   * it: under load, one queue message carries many rows instead of one message per row.
   */
  flushSoon(queue: Queue<OutboxMessage>, recheck: () => Promise<void>): void {
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    // A moment's wait gathers the rows of the transactions right behind this one into the same
    // message: under load one hand-off and one delivery carry many (the run log lags by ~1 s anyway).
    void new Promise((r) => setTimeout(r, GATHER_MS))
      .then(() => this.flush(queue))
      .then(async (unconfirmed) => {
        if (unconfirmed) await recheck();
      })
      .finally(() => {
        this.flushing = false;
        if (this.again) {
          this.again = false;
          this.flushSoon(queue, recheck);
        }
      });
  }

  /**
   * Hands what waits to the queue; answers whether rows are still unconfirmed (to look again
   * later), also when the queue could not be reached.
   */
  async flush(queue: Queue<OutboxMessage>, now = Date.now()): Promise<boolean> {
    try {
      return await this.send(queue, now);
    } catch (e) {
      logEvent("error", "outbox_send_failed", { source: this.source().kind, ...errorFields(e) });
      return true;
    }
  }

  private async send(queue: Queue<OutboxMessage>, now: number): Promise<boolean> {
    const seqs = this.sql.exec<{ seq: number }>(`SELECT seq FROM outbox WHERE sent_at IS NULL OR sent_at < ? ORDER BY seq LIMIT 1000`, now - RESEND_MS).toArray().map((r) => r.seq);
    if (seqs.length > 0) {
      const messages: { body: OutboxMessage }[] = [];
      for (let i = 0; i < seqs.length; i += PER_MESSAGE) messages.push({ body: { from: this.source(), seqs: seqs.slice(i, i + PER_MESSAGE) } });
      await queue.sendBatch(messages);
      this.sql.exec(`UPDATE outbox SET sent_at = ? WHERE seq IN (SELECT value FROM json_each(?))`, now, JSON.stringify(seqs));
    }
    return this.size() > 0;
  }
}

/** How long after a flush an object looks at its outbox again (rows unconfirmed by then are resent). */
export const OUTBOX_RECHECK_MS = RESEND_MS + 1_000;
