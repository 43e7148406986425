import type { Hex } from "../primitives/hex.ts";
import type { ReadSet, WriteSet } from "../state/sets.ts";
import type { AccountName } from "./protocol.ts";

/**
 * A key of an account: its fields ("f"), one slot ("s:<slot>") or all its storage ("*": written
 * when the storage is reset, read when a run relied on it being empty).
 */
export interface LockKey {
  key: string;
  mode: "r" | "w";
}

export const FIELDS = "f";
export const ALL_STORAGE = "*";
export const slotKey = (slot: Hex) => `s:${slot}`;

/** The keys a transaction reads and writes on one account. */
export function keysOf(reads: ReadSet, writes: WriteSet | null): LockKey[] {
  const keys = new Map<string, "r" | "w">();
  if (reads.account !== undefined) keys.set(FIELDS, "r");
  if (reads.storageEmpty === true) keys.set(ALL_STORAGE, "r");
  for (const [slot] of reads.storage) keys.set(slotKey(slot), "r");
  if (writes !== null) {
    if (writes.deleted || writes.fields !== undefined) keys.set(FIELDS, "w");
    if (writes.deleted || writes.storageReset) keys.set(ALL_STORAGE, "w");
    for (const [slot] of writes.storage) keys.set(slotKey(slot), "w");
  }
  return [...keys].map(([key, mode]) => ({ key, mode }));
}

export interface Prepared {
  txId: string;
  decider: AccountName;
  writes: WriteSet | null;
  createdAt: number;
}

/**
 * Prepared transactions and the keys they hold, in the object's SQLite database: a prepared
 * transaction survives a restart of the object until its outcome is known. Two holders conflict
 * when one writes a key the other reads or writes ("*" covers every slot).
 */
export class LockTable {
  /**
   * Write locks held, as last counted; undefined after any change. Readers (loads, verifications)
   * ask outside storage transactions, so the count is of committed rows: a load on an account
   * nobody is writing makes one query instead of one per key.
   */
  private writeLocks: number | undefined;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS prepared (tx_id TEXT PRIMARY KEY, decider TEXT NOT NULL, writes TEXT, created_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS locks (key TEXT NOT NULL, tx_id TEXT NOT NULL, mode TEXT NOT NULL, PRIMARY KEY (key, tx_id)) WITHOUT ROWID`);
  }

  /** The first transaction holding a key that conflicts with `keys`, if any. */
  conflict(keys: LockKey[]): string | undefined {
    for (const { key, mode } of keys) {
      const holders = key === FIELDS ? this.onFields() : key === ALL_STORAGE ? this.onStorage() : this.onSlot(key);
      for (const h of holders) if (mode === "w" || h.mode === "w") return h.tx_id;
    }
    return undefined;
  }

  /** Transactions holding a write on any of `keys` (whose outcome a reader must wait for). */
  writers(keys: string[]): string[] {
    if (this.noWrites()) return [];
    const out = new Set<string>();
    for (const key of keys) {
      const holders = key === FIELDS ? this.onFields() : key === ALL_STORAGE ? this.onStorage() : this.onSlot(key);
      for (const h of holders) if (h.mode === "w") out.add(h.tx_id);
    }
    return [...out];
  }

  /**
   * Prepared writes to the storage: whether one resets it, how many distinct slots they write,
   * and who holds them. Whether the account has storage can change only through these.
   */
  storageWrites(): { reset: boolean; slots: number; txIds: string[] } {
    if (this.noWrites()) return { reset: false, slots: 0, txIds: [] };
    const rows = this.sql.exec<{ key: string; tx_id: string }>(`SELECT key, tx_id FROM locks WHERE mode = 'w' AND key != ?`, FIELDS).toArray();
    return { reset: rows.some((r) => r.key === ALL_STORAGE), slots: new Set(rows.map((r) => r.key)).size, txIds: [...new Set(rows.map((r) => r.tx_id))] };
  }

  private noWrites(): boolean {
    this.writeLocks ??= this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM locks WHERE mode = 'w'`).one().n;
    return this.writeLocks === 0;
  }

  private onFields() {
    return this.sql.exec<{ tx_id: string; mode: string }>(`SELECT tx_id, mode FROM locks WHERE key = ?`, FIELDS).toArray();
  }

  /** Every storage key held: "*" and each slot ("*" against a slot counts as that slot). */
  private onStorage() {
    return this.sql.exec<{ tx_id: string; mode: string }>(`SELECT tx_id, mode FROM locks WHERE key != ?`, FIELDS).toArray();
  }

  private onSlot(key: string) {
    return this.sql.exec<{ tx_id: string; mode: string }>(`SELECT tx_id, mode FROM locks WHERE key = ? OR key = ?`, key, ALL_STORAGE).toArray();
  }

  hold(p: Prepared, keys: LockKey[]): void {
    this.writeLocks = undefined;
    this.sql.exec(`INSERT INTO prepared (tx_id, decider, writes, created_at) VALUES (?, ?, ?, ?)`, p.txId, p.decider, p.writes === null ? null : JSON.stringify(p.writes), p.createdAt);
    for (const k of keys) this.sql.exec(`INSERT INTO locks (key, tx_id, mode) VALUES (?, ?, ?)`, k.key, p.txId, k.mode);
  }

  get(txId: string): Prepared | undefined {
    const row = this.sql.exec<{ tx_id: string; decider: string; writes: string | null; created_at: number }>(`SELECT * FROM prepared WHERE tx_id = ?`, txId).toArray()[0];
    return row === undefined ? undefined : toPrepared(row);
  }

  /** Drops a prepared transaction and its keys. */
  drop(txId: string): void {
    this.writeLocks = undefined;
    this.sql.exec(`DELETE FROM locks WHERE tx_id = ?`, txId);
    this.sql.exec(`DELETE FROM prepared WHERE tx_id = ?`, txId);
  }

  all(): Prepared[] {
    return this.sql.exec<{ tx_id: string; decider: string; writes: string | null; created_at: number }>(`SELECT * FROM prepared ORDER BY created_at`).toArray().map(toPrepared);
  }

  keys(): { key: string; txId: string; mode: "r" | "w" }[] {
    return this.sql.exec<{ key: string; tx_id: string; mode: "r" | "w" }>(`SELECT key, tx_id, mode FROM locks`).toArray().map((r) => ({ key: r.key, txId: r.tx_id, mode: r.mode }));
  }
}

function toPrepared(row: { tx_id: string; decider: string; writes: string | null; created_at: number }): Prepared {
  return { txId: row.tx_id, decider: row.decider as AccountName, writes: row.writes === null ? null : (JSON.parse(row.writes) as WriteSet), createdAt: row.created_at };
}
