import { bigIntToBytes, bytesToBigInt } from "../primitives/bytes.ts";
import { bytesToHex, hexToBytes, type Address, type Hex } from "../primitives/hex.ts";
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, keccak256, keccak256Hex } from "../primitives/keccak.ts";
import { rlpDecode, type RlpItem } from "../primitives/rlp.ts";
import { ProofError, proveValue } from "./mpt.ts";

/** An account of the upstream state: its fields, with the root of its storage trie. */
export interface UpstreamAccount {
  nonce: bigint;
  balance: bigint;
  storageHash: Hex;
  codeHash: Hex;
}

/** What one eth_getProof answer establishes: the account (null: none) and the slots asked for. */
export interface Proven {
  account: UpstreamAccount | null;
  storage: Map<bigint, bigint>;
}

type Json = Record<string, unknown>;

/**
 * Checks an eth_getProof answer against the block's state root: the account proof gives the
 * account's RLP under keccak(address), the storage proofs give each slot under keccak(slot)
 * against that account's storage root. Every field the upstream claims must equal what its
 * proofs establish; any difference is a ProofError. With `verify` false (a network configured
 * without proofs), the claims are taken as they are.
 */
export function checkProof(stateRoot: Hex, address: Address, slots: bigint[], answer: unknown, verify: boolean): Proven {
  const a = asObject(answer, "the proof");
  const claimed = claimedAccount(a);
  const account = verify ? provenAccount(stateRoot, address, a) : claimed;
  if (verify && !sameAccount(account, claimed)) throw new ProofError(`the fields claimed for ${address} differ from its proof`);
  const entries = Array.isArray(a.storageProof) ? (a.storageProof as unknown[]).map((e) => asObject(e, "a storage proof")) : [];
  const storage = new Map<bigint, bigint>();
  for (const slot of slots) {
    const e = entries.find((x) => typeof x.key === "string" && /^0x[0-9a-fA-F]{1,64}$/.test(x.key) && BigInt(x.key) === slot);
    if (e === undefined) throw new ProofError(`no storage proof for slot ${slot} of ${address}`);
    const value = quantity(e.value, "a slot value");
    if (verify) {
      const root = account === null ? EMPTY_TRIE_ROOT : account.storageHash;
      const raw = proveValue(hexToBytes(root), keccak256(bigIntToBytes(slot, 32)), nodes(e.proof));
      const proven = raw.length === 0 ? 0n : bytesToBigInt(asBytes(rlpDecode(raw)));
      if (proven !== value) throw new ProofError(`slot ${slot} of ${address} is ${proven} by its proof, not ${value}`);
    }
    storage.set(slot, value);
  }
  return { account, storage };
}

/** Code is checked against the account's code hash. */
export function checkCode(codeHash: Hex, code: unknown, verify: boolean): Uint8Array {
  if (typeof code !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(code)) throw new ProofError("the code is not hex bytes");
  const bytes = hexToBytes(code);
  if (verify && (bytes.length === 0 ? EMPTY_CODE_HASH : keccak256Hex(bytes)) !== codeHash) throw new ProofError(`the code does not hash to ${codeHash}`);
  return bytes;
}

function provenAccount(stateRoot: Hex, address: Address, a: Json): UpstreamAccount | null {
  const raw = proveValue(hexToBytes(stateRoot), keccak256(hexToBytes(address)), nodes(a.accountProof));
  if (raw.length === 0) return null;
  const item = rlpDecode(raw);
  if (!Array.isArray(item) || item.length !== 4) throw new ProofError(`the account of ${address} is not four fields`);
  const [nonce, balance, storageHash, codeHash] = item.map(asBytes);
  if (storageHash.length !== 32 || codeHash.length !== 32) throw new ProofError(`the account of ${address} has malformed hashes`);
  return { nonce: bytesToBigInt(nonce), balance: bytesToBigInt(balance), storageHash: bytesToHex(storageHash), codeHash: bytesToHex(codeHash) };
}

/** What the upstream says; an account it reports all empty is taken as absent (geth's answer for one). */
function claimedAccount(a: Json): UpstreamAccount | null {
  const nonce = quantity(a.nonce, "nonce"), balance = quantity(a.balance, "balance");
  const codeHash = hash(a.codeHash), storageHash = hash(a.storageHash);
  const zero = `0x${"0".repeat(64)}`;
  const noCode = codeHash === EMPTY_CODE_HASH || codeHash === zero, noStorage = storageHash === EMPTY_TRIE_ROOT || storageHash === zero;
  if (nonce === 0n && balance === 0n && noCode && noStorage) return null;
  return { nonce, balance, storageHash, codeHash };
}

function sameAccount(a: UpstreamAccount | null, b: UpstreamAccount | null): boolean {
  // An account can exist with no nonce, balance, code or storage (never after EIP-161 on mainnet,
  // but possible): its proof then shows it while the claim reads as absent; both mean "empty".
  const empty = (x: UpstreamAccount | null) => x === null || (x.nonce === 0n && x.balance === 0n && x.codeHash === EMPTY_CODE_HASH && x.storageHash === EMPTY_TRIE_ROOT);
  if (a === null || b === null) return empty(a) && empty(b);
  return a.nonce === b.nonce && a.balance === b.balance && a.storageHash === b.storageHash && a.codeHash === b.codeHash;
}

function nodes(raw: unknown): Uint8Array[] {
  if (!Array.isArray(raw)) throw new ProofError("a proof is not a list of nodes");
  return raw.map((n) => {
    if (typeof n !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(n)) throw new ProofError("a proof node is not hex");
    return hexToBytes(n);
  });
}

function asObject(v: unknown, what: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ProofError(`${what} is not an object`);
  return v as Json;
}

function asBytes(item: RlpItem): Uint8Array {
  if (Array.isArray(item)) throw new ProofError("a list where bytes were expected");
  return item;
}

function quantity(v: unknown, what: string): bigint {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]{0,64}$/.test(v)) throw new ProofError(`${what} is not a hex quantity`);
  return v === "0x" ? 0n : BigInt(v);
}

function hash(v: unknown): Hex {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(v)) throw new ProofError("a hash is not 32 bytes of hex");
  return v.toLowerCase() as Hex;
}
