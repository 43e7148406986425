import { Fork } from "../evm/fork.ts";
import type { BlockEnv, Log, Tx } from "../evm/types.ts";
import { logsBloom } from "../primitives/bloom.ts";
import { bytesToHex, hexToBytes, wordToHex, type Address, type Hex } from "../primitives/hex.ts";
import { EMPTY_TRIE_ROOT, keccak256Hex } from "../primitives/keccak.ts";
import { rlpDecode, rlpEncode, rlpUint, type RlpItem } from "../primitives/rlp.ts";
import { trieRoot } from "../state/trie.ts";
import { encodeReceipt, encodeTx } from "./tx-encoding.ts";

export const ZERO_HASH = wordToHex(0n);
/** keccak256(rlp([])): no uncles. */
export const EMPTY_UNCLES: Hex = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";
/** sha256 of nothing: no execution-layer requests (EIP-7685). */
export const EMPTY_REQUESTS: Hex = "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** One transaction of a block as it went: what its receipt is made of. */
export interface BlockTx {
  tx: Tx;
  success: boolean;
  gasUsed: bigint;
  /** Logs of the receipt (ether transfers of traceTransfers are not among them). */
  logs: Log[];
}

/** The header fields a block's execution decides; the rest are computed here. */
export interface BlockFields {
  env: BlockEnv;
  fork: Fork;
  parentHash: Hex;
  gasUsed: bigint;
  blobGasUsed: bigint;
  /** There is no state trie here: the caller says what stands for the root. */
  stateRoot: Hex;
}

export interface AssembledBlock {
  hash: Hex;
  /** The header as JSON-RPC shows it (eth_getBlockBy*), with `size`. */
  header: Record<string, unknown>;
}

const u = (n: bigint): Hex => `0x${n.toString(16)}`;

/**
 * A block as Ethereum defines it, from its transactions: the transactions and receipts tries,
 * the logs bloom, the header's RLP and its hash, and the size of the whole block's RLP. The
 * header has the fields of its fork (London's base fee, Shanghai's withdrawals root, Cancun's
 * blob gas and beacon root, Prague's requests hash); no uncles, withdrawals or requests.
 */
export function assembleBlock(b: BlockFields, txs: BlockTx[]): AssembledBlock {
  const encoded = txs.map((t) => encodeTx(t.tx));
  let cumulative = 0n;
  const allLogs: Log[] = [];
  const receipts = txs.map((t) => {
    cumulative += t.gasUsed;
    allLogs.push(...t.logs);
    return encodeReceipt(t.tx.type, t.success, cumulative, bloomOf(t.logs), t.logs);
  });
  const env = b.env;
  const header: Record<string, Hex> = {
    parentHash: b.parentHash,
    sha3Uncles: EMPTY_UNCLES,
    miner: env.coinbase,
    stateRoot: b.stateRoot,
    transactionsRoot: rootOf(encoded),
    receiptsRoot: rootOf(receipts),
    logsBloom: bloomOf(allLogs),
    difficulty: u(env.difficulty ?? 0n),
    number: u(env.number),
    gasLimit: u(env.gasLimit),
    gasUsed: u(b.gasUsed),
    timestamp: u(env.timestamp),
    extraData: "0x",
    mixHash: wordToHex(env.prevRandao),
    nonce: "0x0000000000000000",
  };
  if (b.fork >= Fork.London) header.baseFeePerGas = u(env.baseFee);
  if (b.fork >= Fork.Shanghai) header.withdrawalsRoot = EMPTY_TRIE_ROOT;
  if (b.fork >= Fork.Cancun) Object.assign(header, { blobGasUsed: u(b.blobGasUsed), excessBlobGas: u(env.excessBlobGas), parentBeaconBlockRoot: ZERO_HASH });
  if (b.fork >= Fork.Prague) header.requestsHash = EMPTY_REQUESTS;
  const rlpHeader: RlpItem[] = Object.entries(header).map(([name, v]) => (QUANTITIES.has(name) ? rlpUint(BigInt(v)) : hexToBytes(v)));
  const hash = keccak256Hex(rlpEncode(rlpHeader));
  // The block: header, transactions (a typed one as the string of its envelope), uncles, withdrawals.
  const body: RlpItem[] = [rlpHeader, encoded.map((e) => (e[0] >= 0xc0 ? rlpDecode(e) : e)), []];
  if (b.fork >= Fork.Shanghai) body.push([]);
  const size = rlpEncode(body).length;
  return { hash, header: { ...header, hash, size: u(BigInt(size)), uncles: [], ...(b.fork >= Fork.Shanghai ? { withdrawals: [] } : {}) } };
}

const QUANTITIES = new Set(["difficulty", "number", "gasLimit", "gasUsed", "timestamp", "baseFeePerGas", "blobGasUsed", "excessBlobGas"]);

function rootOf(items: Uint8Array[]): Hex {
  if (items.length === 0) return EMPTY_TRIE_ROOT;
  return bytesToHex(trieRoot(items.map((item, i) => [rlpEncode(rlpUint(i)), item])));
}

const bloomOf = (logs: { address: Address; topics: Hex[] }[]): Hex => logsBloom(logs);
