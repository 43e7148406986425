import type { BlockEnv } from "../evm/types.ts";
import { hexToBytes, type Address, type Hex } from "../primitives/hex.ts";
import { keccak256Hex } from "../primitives/keccak.ts";
import { rlpEncode, rlpUint, type RlpItem } from "../primitives/rlp.ts";
import { ProofError } from "./mpt.ts";

/** A block header, checked: its fields hash (keccak of their RLP) to its hash. */
export interface Header {
  hash: Hex;
  parentHash: Hex;
  number: bigint;
  timestamp: bigint;
  stateRoot: Hex;
  miner: Address;
  gasLimit: bigint;
  baseFee: bigint;
  mixHash: Hex;
  /** Before the Merge, DIFFICULTY reads it (PREVRANDAO, the mix hash, after). */
  difficulty: bigint;
  excessBlobGas: bigint;
}

type Kind = "hash" | "address" | "bloom" | "uint" | "bytes" | "nonce";

/**
 * The header's fields in RLP order, each with the fork that added it: Frontier's fifteen, then
 * London's base fee, Shanghai's withdrawals root, Cancun's blob gas and beacon root, Prague's
 * requests hash (Osaka added none). A header carries a prefix of this list.
 */
const FIELDS: [name: string, kind: Kind][] = [
  ["parentHash", "hash"], ["sha3Uncles", "hash"], ["miner", "address"], ["stateRoot", "hash"], ["transactionsRoot", "hash"], ["receiptsRoot", "hash"],
  ["logsBloom", "bloom"], ["difficulty", "uint"], ["number", "uint"], ["gasLimit", "uint"], ["gasUsed", "uint"], ["timestamp", "uint"],
  ["extraData", "bytes"], ["mixHash", "hash"], ["nonce", "nonce"],
  ["baseFeePerGas", "uint"], ["withdrawalsRoot", "hash"], ["blobGasUsed", "uint"], ["excessBlobGas", "uint"], ["parentBeaconBlockRoot", "hash"], ["requestsHash", "hash"],
];
const FRONTIER_FIELDS = 15;
const SIZES: Partial<Record<Kind, number>> = { hash: 32, address: 20, bloom: 256, nonce: 8 };

/**
 * Checks a header as eth_getBlockBy* answers it: re-encodes its fields and compares their hash
 * with `expected` (the hash a client asked for) or, when none, the hash the upstream gave. A
 * field changed, added or left out makes the hashes differ: ProofError. With `verify` false (a
 * network configured without proofs, whose headers may not be Ethereum's) the fields are read
 * as given.
 */
export function checkHeader(json: unknown, expected?: Hex, verify = true): Header {
  if (typeof json !== "object" || json === null) throw new ProofError("the block is not an object");
  const h = json as Record<string, unknown>;
  for (const name of ["hash", "parentHash", "number", "timestamp", "stateRoot", "miner", "gasLimit", "mixHash"]) {
    if (typeof h[name] !== "string") throw new ProofError(`the header lacks ${name}`);
  }
  const hash = verify ? headerHash(h, expected) : (h.hash as string).toLowerCase() as Hex;
  const uint = (name: string) => (h[name] === undefined || h[name] === null ? 0n : BigInt(h[name] as string));
  return {
    hash, parentHash: (h.parentHash as string).toLowerCase() as Hex, number: uint("number"), timestamp: uint("timestamp"), stateRoot: (h.stateRoot as string).toLowerCase() as Hex,
    miner: (h.miner as string).toLowerCase() as Address, gasLimit: uint("gasLimit"), baseFee: uint("baseFeePerGas"), mixHash: (h.mixHash as string).toLowerCase() as Hex, excessBlobGas: uint("excessBlobGas"),
    difficulty: uint("difficulty"),
  };
}

function headerHash(h: Record<string, unknown>, expected: Hex | undefined): Hex {
  const items: RlpItem[] = [];
  for (const [i, [name, kind]] of FIELDS.entries()) {
    const v = h[name];
    if (v === undefined || v === null) {
      if (i < FRONTIER_FIELDS) throw new ProofError(`the header lacks ${name}`);
      if (FIELDS.slice(i + 1).some(([later]) => h[later] !== undefined && h[later] !== null)) throw new ProofError(`the header has fields after the missing ${name}`);
      break;
    }
    items.push(encodeField(name, kind, v));
  }
  const hash = keccak256Hex(rlpEncode(items));
  const claimed = (h.hash as string).toLowerCase();
  if (hash !== (expected ?? claimed) || claimed !== hash) throw new ProofError(`the header's fields hash to ${hash}, not to ${expected ?? claimed}`);
  return hash;
}

function encodeField(name: string, kind: Kind, v: unknown): Uint8Array {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]*$/.test(v)) throw new ProofError(`the header's ${name} is not hex`);
  if (kind === "uint") return rlpUint(BigInt(v === "0x" ? "0x0" : v));
  const bytes = hexToBytes(v);
  const size = SIZES[kind];
  if (size !== undefined && bytes.length !== size) throw new ProofError(`the header's ${name} is ${bytes.length} bytes, not ${size}`);
  return bytes;
}

/** The block a run at this header executes in: its own number, time, coinbase and fees (as eth_call at that block). */
export function blockEnvOf(h: Header, chainId: bigint): BlockEnv {
  return { number: h.number, timestamp: h.timestamp, coinbase: h.miner, gasLimit: h.gasLimit, baseFee: h.baseFee, prevRandao: BigInt(h.mixHash), excessBlobGas: h.excessBlobGas, chainId, difficulty: h.difficulty };
}

/** What the cache keeps of a checked header (enough to check it again). */
export function headerJson(json: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { hash: json.hash };
  for (const [name] of FIELDS) if (json[name] !== undefined && json[name] !== null) out[name] = json[name];
  return out;
}
