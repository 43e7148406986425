import { ServiceError } from "../exec/errors.ts";
import { bigIntToHex, bytesToHex, hexToBytes, wordToHex, type Address, type Hex } from "../primitives/hex.ts";
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT } from "../primitives/keccak.ts";
import type { AccountLoad } from "../state/sets.ts";
import type { ContentCache } from "./cache.ts";
import { checkHeader, type Header } from "./header.ts";
import { ProofError } from "./mpt.ts";
import { checkCode, checkProof, type UpstreamAccount } from "./proof.ts";
import type { RpcCall, Upstream } from "./upstream.ts";

/** One account's part of a load: its fields always, its code when asked, and these slots. */
export interface AccountRequest {
  address: Address;
  code: boolean;
  slots: bigint[];
}

/** One account as the upstream holds it (no versions or stamps: its state does not change). */
export type UpstreamLoad = Pick<AccountLoad, "account" | "code" | "storage">;

/** A load's block hashes, by number. */
export type Hashes = Map<bigint, bigint>;

/**
 * Reads the state of a network at one checked header. A load looks in the caches first; what
 * they lack is asked of the upstream in one JSON-RPC batch (one round trip): eth_getProof per
 * account with all its slots, eth_getCode where code is needed (sent with the proof, before the
 * code hash is known, to save a round trip), headers for older block hashes. Everything is
 * checked before anything is cached; an answer that does not check is `upstream_proof_invalid`.
 */
export class ForkReader {
  private readonly tag: Hex;
  private readonly verify: boolean;

  constructor(readonly upstream: Upstream, readonly cache: ContentCache, readonly header: Header) {
    this.tag = bigIntToHex(header.number);
    this.verify = upstream.network.proofs;
  }

  async load(reqs: AccountRequest[], hashNumbers: bigint[] = []): Promise<{ accounts: UpstreamLoad[]; hashes: Hashes }> {
    const accounts = await this.cachedAccounts(reqs);
    const cached = await this.cache.getMany(reqs.flatMap((r, i) => this.valueKeys(r, accounts[i])));
    const plan = reqs.map((r, i) => this.plan(r, accounts[i], cached));
    const calls: RpcCall[] = [];
    for (const p of plan) {
      if (p.proofSlots !== undefined) p.proofAt = calls.push({ method: "eth_getProof", params: [p.req.address, p.proofSlots.map(wordToHex), this.tag] }) - 1;
      if (p.fetchCode) p.codeAt = calls.push({ method: "eth_getCode", params: [p.req.address, this.tag] }) - 1;
    }
    const lowest = hashNumbers.length === 0 ? undefined : hashNumbers.reduce((a, b) => (a < b ? a : b));
    const headersFrom = calls.length;
    // Each header names its parent's hash: the headers after `lowest` up to the pinned one's parent.
    if (lowest !== undefined) for (let n = lowest + 1n; n < this.header.number; n++) calls.push({ method: "eth_getBlockByNumber", params: [bigIntToHex(n), false] });
    const answers = await this.upstream.batch(calls);
    const puts: [string, string][] = [];
    let out: UpstreamLoad[];
    let hashes: Hashes;
    try {
      out = plan.map((p) => this.settle(p, answers, cached, puts));
      hashes = lowest === undefined ? new Map() : this.chain(lowest, answers.slice(headersFrom));
    } catch (e) {
      if (e instanceof ProofError) throw proofInvalid(this.upstream.network.name, e);
      throw e;
    }
    this.cache.put(puts);
    return { accounts: out, hashes };
  }

  private async cachedAccounts(reqs: AccountRequest[]): Promise<(UpstreamAccount | null | undefined)[]> {
    const keys = reqs.map((r) => this.accountKey(r.address));
    const found = await this.cache.getMany(keys);
    return keys.map((k) => {
      const v = found.get(k);
      return v === undefined ? undefined : (JSON.parse(v, revive) as UpstreamAccount | null);
    });
  }

  private valueKeys(r: AccountRequest, a: UpstreamAccount | null | undefined): string[] {
    if (a == null) return [];
    const keys = r.slots.map((s) => this.slotKey(r.address, a, s));
    if (r.code && a.codeHash !== EMPTY_CODE_HASH) keys.push(this.codeKey(r.address, a));
    return keys;
  }

  private plan(req: AccountRequest, account: UpstreamAccount | null | undefined, cached: Map<string, string>): Plan {
    const p: Plan = { req, account, fetchCode: false };
    if (account === undefined) {
      p.proofSlots = req.slots;
      p.fetchCode = req.code;
      return p;
    }
    if (account === null) return p;
    const missing = req.slots.filter((s) => !cached.has(this.slotKey(req.address, account, s)));
    if (missing.length > 0) p.proofSlots = missing;
    p.fetchCode = req.code && account.codeHash !== EMPTY_CODE_HASH && !cached.has(this.codeKey(req.address, account));
    return p;
  }

  /** Checks what the upstream answered for one account and combines it with what was cached. */
  private settle(p: Plan, answers: unknown[], cached: Map<string, string>, puts: [string, string][]): UpstreamLoad {
    const { req } = p;
    let account = p.account;
    const storage = new Map<bigint, bigint>();
    if (p.proofAt !== undefined) {
      const proven = checkProof(this.header.stateRoot, req.address, p.proofSlots!, answers[p.proofAt], this.verify);
      if (account === undefined) puts.push([this.accountKey(req.address), JSON.stringify(proven.account, replace)]);
      account = proven.account;
      for (const [s, v] of proven.storage) {
        storage.set(s, v);
        if (account !== null) puts.push([this.slotKey(req.address, account, s), bigIntToHex(v)]);
      }
    }
    if (account === undefined) throw new Error("fork reader: an account neither cached nor proven");
    for (const s of req.slots) if (!storage.has(s)) storage.set(s, account === null ? 0n : BigInt(cached.get(this.slotKey(req.address, account, s))!));
    let code: Uint8Array | undefined;
    if (req.code) {
      const hash = account?.codeHash ?? EMPTY_CODE_HASH;
      if (p.codeAt !== undefined) {
        code = checkCode(hash, answers[p.codeAt], this.verify);
        if (code.length > 0 && account !== null) puts.push([this.codeKey(req.address, account), bytesToHex(code)]);
      } else code = hash === EMPTY_CODE_HASH ? new Uint8Array(0) : hexToBytes(cached.get(this.codeKey(req.address, account!))!);
    }
    const fields = account === null ? null : { nonce: bigIntToHex(account.nonce), balance: bigIntToHex(account.balance), codeHash: account.codeHash, hasStorage: account.storageHash !== EMPTY_TRIE_ROOT };
    return { account: fields, code, storage: [...storage].map(([slot, value]) => ({ slot: bigIntToHex(slot), value: bigIntToHex(value) })) };
  }

  /**
   * Block hashes from `lowest` up to the pinned block's parent: `headers` are blocks `lowest + 1`
   * up to that parent, each checked to hash to what its child names as its parent.
   */
  private chain(lowest: bigint, headers: unknown[]): Hashes {
    const out: Hashes = new Map([[this.header.number - 1n, BigInt(this.header.parentHash)]]);
    let child = this.header.parentHash;
    for (let i = headers.length - 1; i >= 0; i--) {
      const h = checkHeader(headers[i], child, this.verify);
      if (h.number !== lowest + 1n + BigInt(i)) throw new ProofError(`asked for block ${lowest + 1n + BigInt(i)}, got ${h.number}`);
      out.set(lowest + BigInt(i), BigInt(h.parentHash));
      child = h.parentHash;
    }
    return out;
  }

  // Verified values are keyed by content (a state root, a storage root, a code hash), so every
  // block that shares them shares the entries; an unverified network's claims are kept apart,
  // under its name and block, where they cannot pass for checked values.
  private accountKey(a: Address): string {
    return this.verify ? `a/${this.header.stateRoot}/${a}` : `u/${this.upstream.network.name}/${this.header.hash}/a/${a}`;
  }
  private slotKey(a: Address, acct: UpstreamAccount, slot: bigint): string {
    return this.verify ? `s/${acct.storageHash}/${bigIntToHex(slot)}` : `u/${this.upstream.network.name}/${this.header.hash}/s/${a}/${bigIntToHex(slot)}`;
  }
  private codeKey(a: Address, acct: UpstreamAccount): string {
    return this.verify ? `c/${acct.codeHash}` : `u/${this.upstream.network.name}/${this.header.hash}/c/${a}`;
  }
}

interface Plan {
  req: AccountRequest;
  account: UpstreamAccount | null | undefined;
  proofSlots?: bigint[];
  fetchCode: boolean;
  proofAt?: number;
  codeAt?: number;
}

export function proofInvalid(network: string, e: Error): ServiceError {
  return new ServiceError(502, "upstream_proof_invalid", `the ${network} upstream's answer does not verify (${e.message}); nothing from it was used or cached`, {}, { cause: e });
}

const replace = (_k: string, v: unknown) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v);
const revive = (k: string, v: unknown) => (k === "nonce" || k === "balance" ? BigInt(v as string) : v);
