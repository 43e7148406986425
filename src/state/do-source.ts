import type { AccountLoad, AccountWrite, AccountExpect } from "../durable/protocol.ts";
import type { Env } from "../env.ts";
import { bigIntToHex, bytesToHex, type Address } from "../primitives/hex.ts";
import { bigIntToBytes } from "../primitives/bytes.ts";
import { keccak256 } from "../primitives/keccak.ts";
import { MISS, type AccountChange, type AccountInfo, type Need, type StateSource } from "../evm/types.ts";

interface Cached {
  info?: AccountInfo | null;
  code?: Uint8Array;
  storage: Map<bigint, bigint>;
}

export function accountStub(env: Env, chainId: bigint, address: Address) {
  return env.ACCOUNTS.get(env.ACCOUNTS.idFromName(`${chainId}:${address}`));
}

/**
 * The EVM's view of the accounts' Durable Objects: answers from what it has loaded, MISS for the
 * rest; `load` fetches needs with one call per account, all accounts in parallel. Everything it
 * loaded is what the run read, which the commit validates. `overlay` lays a run's changes on
 * top, for simulations of several transactions.
 */
export class DoStateSource implements StateSource {
  private readonly cache = new Map<Address, Cached>();
  /** Values as loaded from the objects (the read set), before any overlay. */
  private readonly loaded = new Map<Address, { info?: AccountInfo | null; storage: Map<bigint, bigint> }>();

  constructor(private readonly env: Env, private readonly chainId: bigint) {}

  account(address: Address): AccountInfo | null | typeof MISS {
    const c = this.cache.get(address);
    return c === undefined || c.info === undefined ? MISS : c.info;
  }

  code(address: Address): Uint8Array | typeof MISS {
    return this.cache.get(address)?.code ?? MISS;
  }

  storage(address: Address, slot: bigint): bigint | typeof MISS {
    return this.cache.get(address)?.storage.get(slot) ?? MISS;
  }

  /** There are no real blocks: a block's hash is derived from the chain and its number. */
  blockHash(number: bigint): bigint {
    return BigInt(bytesToHex(keccak256(new Uint8Array([...bigIntToBytes(this.chainId, 32), ...bigIntToBytes(number, 32)]))));
  }

  async load(needs: Need[]): Promise<void> {
    const byAccount = new Map<Address, { code: boolean; slots: Set<bigint> }>();
    for (const n of needs) {
      if (n.kind === "blockHash") continue;
      let r = byAccount.get(n.address);
      if (r === undefined) byAccount.set(n.address, (r = { code: false, slots: new Set() }));
      if (n.kind === "code") r.code = true;
      if (n.kind === "storage") r.slots.add(n.slot);
    }
    await Promise.all(
      [...byAccount].map(async ([address, r]) => {
        const slots = [...r.slots].filter((s) => !this.cache.get(address)?.storage.has(s));
        const res = await accountStub(this.env, this.chainId, address).load({ code: r.code, slots: slots.map((s) => bigIntToHex(s)) });
        this.remember(address, res as unknown as AccountLoad);
      }),
    );
  }

  private remember(address: Address, res: AccountLoad): void {
    let c = this.cache.get(address);
    if (c === undefined) this.cache.set(address, (c = { storage: new Map() }));
    let l = this.loaded.get(address);
    if (l === undefined) this.loaded.set(address, (l = { storage: new Map() }));
    const info = res.account === null ? null : { nonce: BigInt(res.account.nonce), balance: BigInt(res.account.balance), codeHash: res.account.codeHash as `0x${string}`, hasStorage: res.account.hasStorage };
    if (c.info === undefined) c.info = info;
    if (l.info === undefined) l.info = info;
    if (res.code !== undefined && c.code === undefined) c.code = res.code;
    for (const [slot, value] of res.storage) {
      const s = BigInt(slot), v = BigInt(value);
      if (!c.storage.has(s)) c.storage.set(s, v);
      if (!l.storage.has(s)) l.storage.set(s, v);
    }
  }

  /** Lays committed-looking changes over the cache (simulations run transactions in sequence). */
  overlay(changes: AccountChange[]): void {
    for (const ch of changes) {
      const c = this.cache.get(ch.address) ?? { storage: new Map<bigint, bigint>() };
      this.cache.set(ch.address, c);
      if (ch.deleted) {
        c.info = null;
        c.code = new Uint8Array(0);
        c.storage = new Map();
        continue;
      }
      if (ch.storageReset) c.storage = new Map();
      c.info = { nonce: ch.nonce, balance: ch.balance, codeHash: ch.codeHash, hasStorage: ch.storage.size > 0 || (!ch.storageReset && (c.info?.hasStorage ?? false)) };
      if (ch.code !== undefined) c.code = ch.code;
      for (const [k, v] of ch.storage) c.storage.set(k, v);
    }
  }

  /** Per account: what the run read (to validate) and what it wrote (to apply). */
  participants(changes: AccountChange[], ignoreUnchanged: Address[]): Map<Address, { expect: AccountExpect; write: AccountWrite | null }> {
    const out = new Map<Address, { expect: AccountExpect; write: AccountWrite | null }>();
    const changed = new Map(changes.map((c) => [c.address, c]));
    for (const [address, l] of this.loaded) {
      if (!changed.has(address) && ignoreUnchanged.includes(address)) continue;
      out.set(address, { expect: expectOf(l), write: null });
    }
    for (const ch of changes) {
      const p = out.get(ch.address) ?? { expect: { storage: [] }, write: null };
      p.write = writeOf(ch, this.loaded.get(ch.address)?.info);
      out.set(ch.address, p);
    }
    return out;
  }
}

function fieldsOf(i: AccountInfo) {
  return { nonce: bigIntToHex(i.nonce), balance: bigIntToHex(i.balance), codeHash: i.codeHash };
}

function expectOf(l: { info?: AccountInfo | null; storage: Map<bigint, bigint> }): AccountExpect {
  return {
    account: l.info === undefined ? undefined : l.info === null ? null : fieldsOf(l.info),
    storage: [...l.storage].map(([k, v]) => [bigIntToHex(k), bigIntToHex(v)]),
  };
}

function writeOf(ch: AccountChange, before: AccountInfo | null | undefined): AccountWrite {
  const same = before != null && before.nonce === ch.nonce && before.balance === ch.balance && before.codeHash === ch.codeHash && ch.code === undefined;
  return {
    deleted: ch.deleted,
    fields: ch.deleted || same ? undefined : { nonce: bigIntToHex(ch.nonce), balance: bigIntToHex(ch.balance), codeHash: ch.codeHash, code: ch.code === undefined ? undefined : bytesToHex(ch.code) },
    storageReset: ch.storageReset,
    storage: [...ch.storage].map(([k, v]) => [bigIntToHex(k), bigIntToHex(v)]),
  };
}
