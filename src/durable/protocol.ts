/**
 * What the Worker and the Account objects exchange. Numbers and slots are `0x` hex strings so
 * that records stored as JSON compare exactly.
 */
export interface LoadRequest {
  code: boolean;
  slots: string[];
}

export interface AccountFields {
  nonce: string;
  balance: string;
  codeHash: string;
}

export interface AccountLoad {
  /** `null`: the account does not exist. */
  account: (AccountFields & { hasStorage: boolean }) | null;
  code?: Uint8Array;
  storage: [string, string][];
}

/** What a run read from this account; validated at commit. `account` absent: fields not read. */
export interface AccountExpect {
  account?: AccountFields | null;
  storage: [string, string][];
}

/** What a run wrote to this account. `fields` absent: nonce, balance and code unchanged. */
export interface AccountWrite {
  deleted: boolean;
  fields?: AccountFields & { code?: string };
  storageReset: boolean;
  storage: [string, string][];
}

export type CommitReply = { ok: true } | { ok: false; reason: string };

/** Keys a transaction holds on one account: "fields", "storage" (all of it) or a slot. */
export function keysOf(expect: AccountExpect, write: AccountWrite | null): { reads: Set<string>; writes: Set<string> } {
  const reads = new Set<string>(expect.storage.map(([s]) => s));
  if (expect.account !== undefined) reads.add("fields");
  const writes = new Set<string>();
  if (write !== null) {
    if (write.deleted || write.fields !== undefined) writes.add("fields");
    if (write.deleted || write.storageReset) writes.add("storage");
    for (const [s] of write.storage) writes.add(s);
  }
  return { reads, writes };
}

/** Two transactions conflict when one writes a key the other reads or writes. */
export function conflicts(a: ReturnType<typeof keysOf>, b: ReturnType<typeof keysOf>): boolean {
  return writesTouch(a.writes, b) || writesTouch(b.writes, a);
}

function writesTouch(writes: Set<string>, other: ReturnType<typeof keysOf>): boolean {
  for (const k of writes) {
    if (k === "storage") {
      for (const o of [...other.reads, ...other.writes]) if (o !== "fields") return true;
    } else if (other.reads.has(k) || other.writes.has(k) || (k !== "fields" && other.writes.has("storage"))) return true;
  }
  return false;
}
