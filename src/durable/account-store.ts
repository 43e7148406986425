import { bigIntToHex, hexToBytes, type Hex } from "../primitives/hex.ts";
import { EMPTY_CODE_HASH } from "../primitives/keccak.ts";
import type { AccountFields, AccountLoad, LoadRequest, WriteSet } from "../state/sets.ts";

const EMPTY = new Uint8Array(0);

/**
 * The state of one account in its object's SQLite database: a single row of fields (with the
 * code) and one row per non-zero storage slot. Synchronous; callers wrap writes in
 * `transactionSync` together with their validation.
 */
export class AccountStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS account (
      id INTEGER PRIMARY KEY CHECK (id = 0), nonce TEXT NOT NULL, balance TEXT NOT NULL, code_hash TEXT NOT NULL, code BLOB)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS storage (slot TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`);
    sql.exec(`CREATE TABLE IF NOT EXISTS grants (id TEXT PRIMARY KEY, amount TEXT NOT NULL, granted_at INTEGER NOT NULL)`);
    // The account's version (bumped by every write), the stamp of its last write, its slot count.
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 0), version INTEGER NOT NULL, last_stamp INTEGER NOT NULL, slots INTEGER NOT NULL)`);
    if (sql.exec(`SELECT 1 FROM meta`).toArray().length === 0) {
      sql.exec(`INSERT INTO meta (id, version, last_stamp, slots) VALUES (0, 0, 0, (SELECT COUNT(*) FROM storage))`);
    }
  }

  /** Version, stamp of the last write, and number of non-zero slots. */
  meta(): { version: number; lastStamp: number; slots: number } {
    const m = this.sql.exec<{ version: number; last_stamp: number; slots: number }>(`SELECT version, last_stamp, slots FROM meta`).one();
    return { version: m.version, lastStamp: m.last_stamp, slots: m.slots };
  }

  fields(): AccountFields | null {
    const row = this.sql.exec<{ nonce: string; balance: string; code_hash: string }>(`SELECT nonce, balance, code_hash FROM account`).toArray()[0];
    return row === undefined ? null : { nonce: row.nonce as Hex, balance: row.balance as Hex, codeHash: row.code_hash as Hex };
  }

  slot(slot: Hex): Hex {
    return (this.sql.exec<{ value: string }>(`SELECT value FROM storage WHERE slot = ?`, slot).toArray()[0]?.value ?? "0x0") as Hex;
  }

  /** The values asked for, with the account's version and last write stamp (no read stamp yet). */
  load(req: LoadRequest): Omit<AccountLoad, "readStamp"> {
    const storage = req.slots.map((slot) => ({ slot, value: this.slot(slot) }));
    const { version, lastStamp, slots } = this.meta();
    // The fields and the code in one query: a load is on the path of every call.
    const row = this.sql.exec<{ nonce: string; balance: string; code_hash: string; code: ArrayBuffer | null }>(`SELECT nonce, balance, code_hash${req.code ? ", code" : ""} FROM account`).toArray()[0];
    if (row === undefined) return { account: null, code: req.code ? EMPTY : undefined, storage, version, lastStamp };
    const account = { nonce: row.nonce as Hex, balance: row.balance as Hex, codeHash: row.code_hash as Hex, hasStorage: slots > 0 };
    return { account, code: req.code ? (row.code == null ? EMPTY : new Uint8Array(row.code)) : undefined, storage, version, lastStamp };
  }

  hasStorage(): boolean {
    return this.meta().slots > 0;
  }

  /** Applies a transaction's writes, stamped `stamp`: a new version of the account. */
  apply(w: WriteSet, stamp: number): void {
    this.sql.exec(`UPDATE meta SET version = version + 1, last_stamp = MAX(last_stamp, ?)`, stamp);
    if (w.deleted || w.storageReset) this.sql.exec(`DELETE FROM storage`);
    if (w.deleted) {
      this.sql.exec(`DELETE FROM account`);
      this.countSlots();
      return;
    }
    const f = w.fields;
    if (f?.code !== undefined) {
      const code = hexToBytes(f.code);
      this.sql.exec(`INSERT OR REPLACE INTO account (id, nonce, balance, code_hash, code) VALUES (0, ?, ?, ?, ?)`, f.nonce, f.balance, f.codeHash, code.length === 0 ? null : code);
    } else if (f !== undefined) {
      this.sql.exec(
        `INSERT INTO account (id, nonce, balance, code_hash, code) VALUES (0, ?, ?, ?, NULL)
         ON CONFLICT(id) DO UPDATE SET nonce = excluded.nonce, balance = excluded.balance, code_hash = excluded.code_hash`,
        f.nonce, f.balance, f.codeHash,
      );
    }
    for (const [slot, value] of w.storage) {
      if (value === "0x0") this.sql.exec(`DELETE FROM storage WHERE slot = ?`, slot);
      else this.sql.exec(`INSERT OR REPLACE INTO storage (slot, value) VALUES (?, ?)`, slot, value);
    }
    if (w.storageReset || w.storage.length > 0) this.countSlots();
  }

  /**
   * Lays values that were always there under the account (a persistent fork's base, read from its
   * network): not a write, so neither the version nor the last write's stamp moves.
   */
  seed(w: WriteSet): void {
    const { version, lastStamp } = this.meta();
    this.apply(w, 0);
    this.sql.exec(`UPDATE meta SET version = ?, last_stamp = ?`, version, lastStamp);
  }

  /** Keeps the slot count exact (an index count: writes that touch storage are the rarer path). */
  private countSlots(): void {
    this.sql.exec(`UPDATE meta SET slots = (SELECT COUNT(*) FROM storage)`);
  }

  /** Adds wei to the balance once per grant id (creating the account if needed). */
  creditOnce(grantId: string, amount: bigint, now: number, stamp: number): void {
    if (this.sql.exec(`SELECT 1 FROM grants WHERE id = ?`, grantId).toArray().length > 0) return;
    const f = this.fields() ?? { nonce: "0x0" as Hex, balance: "0x0" as Hex, codeHash: EMPTY_CODE_HASH };
    this.apply({ deleted: false, fields: { ...f, balance: bigIntToHex(BigInt(f.balance) + amount) }, storageReset: false, storage: [] }, stamp);
    this.sql.exec(`INSERT INTO grants (id, amount, granted_at) VALUES (?, ?, ?)`, grantId, bigIntToHex(amount), now);
  }
}
