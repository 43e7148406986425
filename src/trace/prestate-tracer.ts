import { create2Address, createAddress } from "../evm/address.ts";
import { delegationTarget } from "../evm/delegation.ts";
import type { Frame } from "../evm/frame.ts";
import type { Inspector } from "../evm/inspector.ts";
import { MISS, type AccountChange, type Need, type StateSource, type Tx } from "../evm/types.ts";
import { bigIntToAddress, bigIntToHex, bytesToHex, wordToHex, type Address, type Hex } from "../primitives/hex.ts";
import { EMPTY_CODE_HASH } from "../primitives/keccak.ts";

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

  constructor(private readonly config: PrestateConfig, tx: Tx, coinbase: Address, createdAddress: Address | undefined, authorities: Address[], delegate: Address | undefined) {
    if (tx.to === null && createdAddress !== undefined) this.created.add(createdAddress);
    if (delegate !== undefined) this.look(delegate);
    this.look(tx.from);
    this.look(tx.to ?? createdAddress);
    this.look(coinbase);
    for (const a of authorities) this.look(a);
  }

  step(f: Frame): void {
    const op = f.code.padded[f.pc];
    const s = f.stack, sp = f.sp;
    if ((op === OP.SLOAD || op === OP.SSTORE) && sp >= 1) {
      this.look(f.address);
      this.accounts.get(f.address)!.add(s[sp - 1]);
    } else if ((op === OP.EXTCODECOPY || op === OP.EXTCODEHASH || op === OP.EXTCODESIZE || op === OP.BALANCE || op === OP.SELFDESTRUCT) && sp >= 1) {
      this.look(bigIntToAddress(s[sp - 1]));
      if (op === OP.SELFDESTRUCT && this.created.has(f.address)) this.deleted.add(f.address);
    } else if ((op === OP.CALL || op === OP.CALLCODE || op === OP.DELEGATECALL || op === OP.STATICCALL) && sp >= 5) {
      const to = bigIntToAddress(s[sp - 2]);
      this.look(to);
      const code = f.ctx.journal.accounts.get(to)?.code;
      const target = code === undefined ? undefined : delegationTarget(code);
      if (target !== undefined) this.look(target);
    } else if (op === OP.CREATE) {
      const to = createAddress(f.address, f.account.nonce);
      this.look(to);
      this.created.add(to);
    } else if (op === OP.CREATE2 && sp >= 4) {
      const offset = s[sp - 2], size = s[sp - 3];
      if (offset + size > BigInt(f.memory.size) && size !== 0n) return;
      const init = f.memory.buf.slice(Number(offset), Number(offset + size));
      const to = create2Address(f.address, s[sp - 4], init);
      this.look(to);
      this.created.add(to);
    }
  }

  private look(address: Address | undefined): void {
    if (address !== undefined && !this.accounts.has(address)) this.accounts.set(address, new Set());
  }

  /** State the result reads that the run itself may not have loaded. */
  needs(source: StateSource): Need[] {
    const needs: Need[] = [];
    for (const [address, slots] of this.accounts) {
      const info = source.account(address);
      if (info === MISS) needs.push({ kind: "account", address });
      if (source.code(address) === MISS) needs.push({ kind: "code", address });
      if (info !== MISS && info?.hasStorage) for (const slot of slots) if (source.storage(address, slot) === MISS) needs.push({ kind: "storage", address, slot });
    }
    return needs;
  }

  /** The trace, from `source` (the state before the transaction; `needs` loaded) and the transaction's changes. */
  result(source: StateSource, changes: AccountChange[]): PrestateJson {
    const pre: Record<Address, PrestateAccount> = {};
    const empty = new Set<Address>();
    for (const [address, slots] of this.accounts) {
      const { json, isEmpty } = this.preAccount(source, address, slots);
      pre[address] = json;
      if (isEmpty) empty.add(address);
    }
    let out: PrestateJson = pre;
    if (this.config.diffMode) out = { post: this.diff(source, pre, changes), pre };
    if (!this.config.includeEmpty) for (const a of empty) delete pre[a];
    return out;
  }

  private preAccount(source: StateSource, address: Address, slots: Set<bigint>): { json: PrestateAccount; isEmpty: boolean } {
    const info = known(source.account(address));
    const code = known(source.code(address)) ?? new Uint8Array(0);
    const json: PrestateAccount = { balance: bigIntToHex(info?.balance ?? 0n) };
    if (code.length > 0 && !this.config.disableCode) json.code = bytesToHex(code);
    if (info && info.codeHash !== EMPTY_CODE_HASH) json.codeHash = info.codeHash;
    if (info && info.nonce !== 0n) json.nonce = Number(info.nonce);
    let storage: Record<Hex, Hex> | undefined;
    if (!this.config.disableStorage && slots.size > 0) {
      storage = {};
      for (const slot of slots) storage[wordToHex(slot)] = wordToHex(info?.hasStorage ? (known(source.storage(address, slot)) ?? 0n) : 0n);
      json.storage = storage;
    }
    const isEmpty = (info?.nonce ?? 0n) === 0n && code.length === 0 && slots.size === 0 && (info?.balance ?? 0n) === 0n;
    return { json, isEmpty };
  }

  /** geth's processDiffState: keep in `pre` only what changed, and show the new values in `post`. */
  private diff(source: StateSource, pre: Record<Address, PrestateAccount>, changes: AccountChange[]): Record<Address, PrestateAccount> {
    const post: Record<Address, PrestateAccount> = {};
    const byAddress = new Map(changes.map((c) => [c.address, c]));
    for (const address of Object.keys(pre) as Address[]) {
      if (this.deleted.has(address)) continue;
      const was = pre[address];
      const ch = byAddress.get(address);
      const now = postAccount(source, address, ch);
      const p: PrestateAccount = {};
      if (now.balance !== was.balance) p.balance = now.balance;
      if ((now.nonce ?? 0) !== (was.nonce ?? 0)) p.nonce = now.nonce ?? 0;
      if ((now.codeHash ?? EMPTY_CODE_HASH) !== (was.codeHash ?? EMPTY_CODE_HASH)) p.codeHash = now.codeHash ?? EMPTY_CODE_HASH;
      if (!this.config.disableCode && (now.code ?? "0x") !== (was.code ?? "0x")) p.code = now.code ?? "0x";
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
      if (modified) post[address] = p;
      else delete pre[address];
    }
    return post;
  }
}

const ZERO_WORD = wordToHex(0n);

function known<T>(v: T | typeof MISS): T | undefined {
  return v === MISS ? undefined : v;
}

function postAccount(source: StateSource, address: Address, ch: AccountChange | undefined): PrestateAccount {
  if (ch === undefined) {
    const info = known(source.account(address));
    const code = known(source.code(address)) ?? new Uint8Array(0);
    return { balance: bigIntToHex(info?.balance ?? 0n), nonce: Number(info?.nonce ?? 0n), codeHash: info?.codeHash ?? EMPTY_CODE_HASH, code: code.length > 0 ? bytesToHex(code) : undefined };
  }
  if (ch.deleted) return { balance: "0x0", nonce: 0, codeHash: EMPTY_CODE_HASH };
  const code = ch.code ?? known(source.code(address)) ?? new Uint8Array(0);
  return { balance: bigIntToHex(ch.balance), nonce: Number(ch.nonce), codeHash: ch.codeHash, code: code.length > 0 ? bytesToHex(code) : undefined };
}

function slotAfter(source: StateSource, address: Address, slot: bigint, ch: AccountChange | undefined): Hex {
  const written = ch?.storage.get(slot);
  if (written !== undefined) return wordToHex(written);
  if (ch?.deleted || ch?.storageReset) return ZERO_WORD;
  const info = known(source.account(address));
  return wordToHex(info?.hasStorage ? (known(source.storage(address, slot)) ?? 0n) : 0n);
}
