import { create2Address, createAddress } from "../evm/address.ts";
import { delegationTarget } from "../evm/delegation.ts";
import type { Frame } from "../evm/frame.ts";
import type { Inspector } from "../evm/inspector.ts";
import { addressAt, smallAt, wordAt } from "../evm/stack.ts";
import { MISS, type AccountChange, type Need, type StateSource, type Tx } from "../evm/types.ts";
import { bigIntToAddress, bigIntToHex, bytesToHex, wordToHex, type Address, type Hex } from "../primitives/hex.ts";
import { EMPTY_CODE_HASH } from "../primitives/keccak.ts";
import { hexBytes, memberBytes, WORD_BYTES } from "./json-size.ts";
import { TraceMeter } from "./meter.ts";

/** An account as geth's prestateTracer shows it. */
export interface PrestateAccount {
  balance?: Hex;
  code?: Hex;
  codeHash?: Hex;
  nonce?: number;
  storage?: Record<Hex, Hex>;
}

export type PrestateJson = Record<Address, PrestateAccount> | { post: Record<Address, PrestateAccount>; pre: Record<Address, PrestateAccount> };

export interface PrestateConfig {
  diffMode?: boolean;
  disableCode?: boolean;
  disableStorage?: boolean;
  includeEmpty?: boolean;
}

const EMPTY = new Uint8Array(0);
const OP = { SLOAD: 0x54, SSTORE: 0x55, BALANCE: 0x31, EXTCODESIZE: 0x3b, EXTCODECOPY: 0x3c, EXTCODEHASH: 0x3f, SELFDESTRUCT: 0xff, CALL: 0xf1, CALLCODE: 0xf2, DELEGATECALL: 0xf4, STATICCALL: 0xfa, CREATE: 0xf0, CREATE2: 0xf5 };

/**
 * geth's prestateTracer. During the run it notes which accounts and slots the transaction looks
 * at (by geth's rules: the sender, recipient, coinbase and authorities, then what each opcode
 * names); afterwards their values come from the state as it stood before the transaction, and in
 * diff mode their new values from the transaction's changes.
 */
export class PrestateTracer implements Inspector {
  private readonly accounts = new Map<Address, Set<bigint>>();
  private readonly created = new Set<Address>();
  private readonly deleted = new Set<Address>();
  /** Accounts whose code the meter has counted. */
  private readonly codeCounted = new Set<Address>();

  constructor(
    private readonly config: PrestateConfig,
    tx: Tx,
    coinbase: Address,
    createdAddress: Address | undefined,
    authorities: Address[],
    delegate: Address | undefined,
    readonly meter = new TraceMeter(),
  ) {
    if (tx.to === null && createdAddress !== undefined) this.created.add(createdAddress);
    if (delegate !== undefined) this.look(delegate);
    this.look(tx.from);
    this.look(tx.to ?? createdAddress);
    this.look(coinbase);
    for (const a of authorities) this.look(a);
  }

  get stop(): "trace_cap" | undefined {
    return this.meter.stop;
  }

  /** Watched, not stepped: the run keeps the plain loop. */
  readonly watched: ReadonlySet<number> = new Set(Object.values(OP));

  watch(f: Frame, op: number): void {
    const sp = f.sp;
    if ((op === OP.SLOAD || op === OP.SSTORE) && sp >= 1) {
      this.look(f.address);
      const slots = this.accounts.get(f.address);
      const slot = wordAt(f, sp - 1);
      if (slots !== undefined && !slots.has(slot) && this.meter.add(SLOT_BYTES)) slots.add(slot);
    } else if ((op === OP.EXTCODECOPY || op === OP.EXTCODEHASH || op === OP.EXTCODESIZE || op === OP.BALANCE || op === OP.SELFDESTRUCT) && sp >= 1) {
      this.look(addressAt(f, sp - 1));
      if (op === OP.SELFDESTRUCT && this.created.has(f.address)) this.deleted.add(f.address);
    } else if ((op === OP.CALL || op === OP.CALLCODE || op === OP.DELEGATECALL || op === OP.STATICCALL) && sp >= 5) {
      const to = addressAt(f, sp - 2);
      this.look(to);
      const code = f.ctx.journal.accounts.get(to)?.code;
      const target = code === undefined ? undefined : delegationTarget(code);
      if (target !== undefined) this.look(target);
    } else if (op === OP.CREATE) {
      const to = createAddress(f.address, f.account.nonce);
      this.look(to);
      this.created.add(to);
    } else if (op === OP.CREATE2 && sp >= 4) {
      const offset = smallAt(f, sp - 2), size = smallAt(f, sp - 3);
      if (offset + size > f.memory.size && size !== 0) return;
      const init = size === 0 ? new Uint8Array(0) : f.memory.buf.slice(offset, offset + size);
      const to = create2Address(f.address, wordAt(f, sp - 4), init);
      this.look(to);
      this.created.add(to);
    }
  }

  /** Counted at the most its fields can take; its code is counted once loaded. */
  private look(address: Address | undefined): void {
    if (address !== undefined && !this.accounts.has(address) && this.meter.add(ACCOUNT_BYTES)) this.accounts.set(address, new Set());
  }

  /**
   * Loads what the result reads that the run did not: accounts and slots in one round trip, then
   * code a few accounts at a time, each counted on the meter as it arrives, so that a run that
   * looked at thousands of contracts stops at the cap rather than holding all their code.
   */
  async load(source: StateSource & { load(needs: Need[]): Promise<void> }): Promise<void> {
    const needs: Need[] = [];
    for (const [address, slots] of this.accounts) {
      const info = source.account(address);
      if (info === MISS) needs.push({ kind: "account", address });
      else if (info?.hasStorage) for (const slot of slots) if (source.storage(address, slot) === MISS) needs.push({ kind: "storage", address, slot });
    }
    if (needs.length > 0) await source.load(needs);
    if (this.config.disableCode) return;
    const code: Need[] = [];
    for (const address of this.accounts.keys()) if (hasCode(source, address) && source.code(address) === MISS) code.push({ kind: "code", address });
    for (let i = 0; i < code.length && !this.meter.over; i += CODE_BATCH) {
      const batch = code.slice(i, i + CODE_BATCH);
      await source.load(batch);
      for (const n of batch) if (n.kind === "code" && !this.countCode(source, n.address)) return;
    }
  }

  private countCode(source: StateSource, address: Address): boolean {
    if (this.codeCounted.has(address)) return true;
    const code = known(source.code(address));
    if (code === undefined || code.length === 0) return true;
    if (!this.meter.add(memberBytes("code", hexBytes(code.length)))) return false;
    this.codeCounted.add(address);
    return true;
  }

  /**
   * The trace, from `source` (the state before the transaction, `load`ed) and the transaction's
   * changes; undefined when what it shows would pass the meter's cap.
   */
  result(source: StateSource, changes: AccountChange[]): PrestateJson | undefined {
    const pre: Record<Address, PrestateAccount> = {};
    const empty = new Set<Address>();
    for (const [address, slots] of this.accounts) {
      if (!this.config.disableCode && !this.countCode(source, address)) return undefined;
      const { json, isEmpty } = this.preAccount(source, address, slots);
      pre[address] = json;
      if (isEmpty) empty.add(address);
    }
    let out: PrestateJson = pre;
    if (this.config.diffMode) {
      const post = this.diff(source, pre, changes);
      if (post === undefined) return undefined;
      out = { post, pre };
    }
    if (!this.config.includeEmpty) for (const a of empty) delete pre[a];
    return out;
  }

  private preAccount(source: StateSource, address: Address, slots: Set<bigint>): { json: PrestateAccount; isEmpty: boolean } {
    const info = known(source.account(address));
    const code = this.config.disableCode ? undefined : known(source.code(address));
    const json: PrestateAccount = { balance: bigIntToHex(info?.balance ?? 0n) };
    if (code !== undefined && code.length > 0) json.code = bytesToHex(code);
    if (info && info.codeHash !== EMPTY_CODE_HASH) json.codeHash = info.codeHash;
    if (info && info.nonce !== 0n) json.nonce = Number(info.nonce);
    let storage: Record<Hex, Hex> | undefined;
    if (!this.config.disableStorage && slots.size > 0) {
      storage = {};
      for (const slot of slots) storage[wordToHex(slot)] = wordToHex(info?.hasStorage ? (known(source.storage(address, slot)) ?? 0n) : 0n);
      json.storage = storage;
    }
    // geth decides emptiness when it first looks the account up, before any slot is added to it.
    const isEmpty = (info?.nonce ?? 0n) === 0n && !hasCode(source, address) && (info?.balance ?? 0n) === 0n;
    return { json, isEmpty };
  }

  /**
   * geth's processDiffState: keep in `pre` only what changed, and show the new values in `post`;
   * undefined when `post` would pass the meter's cap.
   */
  private diff(source: StateSource, pre: Record<Address, PrestateAccount>, changes: AccountChange[]): Record<Address, PrestateAccount> | undefined {
    const post: Record<Address, PrestateAccount> = {};
    const byAddress = new Map(changes.map((c) => [c.address, c]));
    for (const address of Object.keys(pre) as Address[]) {
      if (this.deleted.has(address)) continue;
      const was = pre[address];
      const ch = byAddress.get(address);
      const now = postAccount(source, address, ch);
      const p: PrestateAccount = {};
      if (now.balance !== was.balance) p.balance = now.balance;
      if (now.nonce !== (was.nonce ?? 0)) p.nonce = now.nonce;
      if (now.codeHash !== (was.codeHash ?? EMPTY_CODE_HASH)) {
        p.codeHash = now.codeHash;
        // Code changes with its hash only: build the new one's hex (counted first) only then.
        if (!this.config.disableCode && (now.code.length > 0 || was.code !== undefined)) {
          if (!this.meter.add(memberBytes("code", hexBytes(now.code.length)))) return undefined;
          p.code = bytesToHex(now.code);
        }
      }
      let modified = Object.keys(p).length > 0;
      if (was.storage !== undefined) {
        for (const key of Object.keys(was.storage) as Hex[]) {
          const before = was.storage[key];
          const after = slotAfter(source, address, BigInt(key), ch);
          if (before === ZERO_WORD || before === after) delete was.storage[key];
          if (before !== after) {
            modified = true;
            if (after !== ZERO_WORD) (p.storage ??= {})[key] = after;
          }
        }
        if (Object.keys(was.storage).length === 0) delete was.storage;
      }
      if (!modified) delete pre[address];
      else if (!this.meter.add(ACCOUNT_BYTES + SLOT_BYTES * Object.keys(p.storage ?? {}).length)) return undefined;
      else post[address] = p;
    }
    return post;
  }
}

const ZERO_WORD = wordToHex(0n);
/** Batches of code loaded at a time, each counted before the next. */
const CODE_BATCH = 32;
/** An account at the most its fields other than code and storage take: `"0x…":{"balance":…,"nonce":…,"codeHash":…,"storage":{}}`. */
const ACCOUNT_BYTES = memberBytes("0x".padEnd(42), 1 + memberBytes("balance", WORD_BYTES) + memberBytes("nonce", 20) + memberBytes("codeHash", WORD_BYTES) + memberBytes("storage", 2));
/** A slot of an account's storage. */
const SLOT_BYTES = memberBytes("0x".padEnd(66), WORD_BYTES);

function known<T>(v: T | typeof MISS): T | undefined {
  return v === MISS ? undefined : v;
}

function hasCode(source: StateSource, address: Address): boolean {
  const info = known(source.account(address));
  return info !== undefined && info !== null && info.codeHash !== EMPTY_CODE_HASH;
}

/** An account after the transaction, its code as bytes (hex is built only where it changed). */
function postAccount(source: StateSource, address: Address, ch: AccountChange | undefined): { balance: Hex; nonce: number; codeHash: Hex; code: Uint8Array } {
  if (ch === undefined) {
    const info = known(source.account(address));
    return { balance: bigIntToHex(info?.balance ?? 0n), nonce: Number(info?.nonce ?? 0n), codeHash: info?.codeHash ?? EMPTY_CODE_HASH, code: known(source.code(address)) ?? EMPTY };
  }
  if (ch.deleted) return { balance: "0x0", nonce: 0, codeHash: EMPTY_CODE_HASH, code: EMPTY };
  return { balance: bigIntToHex(ch.balance), nonce: Number(ch.nonce), codeHash: ch.codeHash, code: ch.code ?? known(source.code(address)) ?? EMPTY };
}

function slotAfter(source: StateSource, address: Address, slot: bigint, ch: AccountChange | undefined): Hex {
  const written = ch?.storage.get(slot);
  if (written !== undefined) return wordToHex(written);
  if (ch?.deleted || ch?.storageReset) return ZERO_WORD;
  const info = known(source.account(address));
  return wordToHex(info?.hasStorage ? (known(source.storage(address, slot)) ?? 0n) : 0n);
}
