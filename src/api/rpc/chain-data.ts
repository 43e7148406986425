import { blockLogs, blockTransactions, logsOfTransaction, placeInBlock, type LogRow, type PlacedLog, type TxDbRow } from "../../db/transactions.ts";
import { blockHash, blockNumberInHash, currentBlock } from "../../exec/block.ts";
import type { RunContext } from "../../exec/context.ts";
import { logsBloom } from "../../primitives/bloom.ts";
import { bigIntToHex, wordToHex, type Hex } from "../../primitives/hex.ts";
import { EMPTY_TRIE_ROOT, keccak256Hex } from "../../primitives/keccak.ts";
import { hexToBytes } from "../../primitives/hex.ts";

import { EMPTY_REQUESTS, EMPTY_UNCLES, ZERO_HASH } from "../../exec/simulated-block.ts";

export const hashOfBlock = (ctx: RunContext, n: bigint): Hex => wordToHex(ctx.chain.headerHash(n));

export function latestNumber(ctx: RunContext): bigint {
  return currentBlock(ctx.chain.id, ctx.config).env.number;
}

/** The number of the block with this hash, read from the hash itself (ours end with the number) and checked. */
export async function numberOfHash(ctx: RunContext, hash: Hex): Promise<bigint | undefined> {
  // A persistent fork's own block goes by its network's hash.
  const base = ctx.chain.base;
  if (base !== undefined && hash === base.blockHash) return base.hashes.number;
  const n = blockNumberInHash(BigInt(hash));
  return n <= latestNumber(ctx) && hashOfBlock(ctx, n) === hash ? n : undefined;
}

/**
 * A log as JSON-RPC shows it. `blocks` keeps the hashes of the blocks met (many logs share one
 * block: a query of 10,000 logs would otherwise hash their block 10,000 times).
 */
export function logObject(ctx: RunContext, l: PlacedLog, blocks = new Map<number, Hex>()) {
  let blockHash = blocks.get(l.block_number);
  if (blockHash === undefined) blocks.set(l.block_number, (blockHash = hashOfBlock(ctx, BigInt(l.block_number))));
  return {
    address: l.address,
    topics: [l.topic0, l.topic1, l.topic2, l.topic3].filter((t): t is Hex => t !== null),
    data: l.data,
    blockNumber: bigIntToHex(BigInt(l.block_number)),
    blockHash,
    transactionHash: l.tx_hash,
    transactionIndex: bigIntToHex(BigInt(l.tx_index)),
    logIndex: bigIntToHex(BigInt(l.block_log_index)),
    removed: false,
  };
}

export function txObject(ctx: RunContext, row: TxDbRow, index: number) {
  return { ...JSON.parse(row.tx_json), blockHash: hashOfBlock(ctx, BigInt(row.block_number)), blockNumber: bigIntToHex(BigInt(row.block_number)), transactionIndex: bigIntToHex(BigInt(index)) };
}

export async function receiptObject(ctx: RunContext, row: TxDbRow) {
  const place = await placeInBlock(ctx.env.DB, ctx.chain.id, row);
  const logs = await logsOfTransaction(ctx.env.DB, ctx.chain.id, row, place.logsBefore, place.index);
  return receiptOf(ctx, row, place, logs);
}

/** Every receipt of block `n`, in its order: two queries, whatever the number of transactions. */
export async function blockReceipts(ctx: RunContext, n: bigint) {
  const [rows, logs] = await Promise.all([blockTransactions(ctx.env.DB, ctx.chain.id, n), blockLogs(ctx.env.DB, ctx.chain.id, n)]);
  const byRun = new Map<string, LogRow[]>();
  for (const l of logs) byRun.set(l.run_id, [...(byRun.get(l.run_id) ?? []), l]);
  let cumulativeGas = 0, logsBefore = 0;
  return rows.map((row, index) => {
    cumulativeGas += row.gas_used;
    const own = (byRun.get(row.run_id) ?? []).sort((a, b) => a.log_index - b.log_index).map((l) => ({ ...l, tx_index: index, block_log_index: logsBefore + l.log_index }));
    logsBefore += row.log_count;
    return receiptOf(ctx, row, { index, cumulativeGas }, own);
  });
}

function receiptOf(ctx: RunContext, row: TxDbRow, place: { index: number; cumulativeGas: number }, logs: PlacedLog[]) {
  const blocks = new Map<number, Hex>();
  const shown = logs.map((l) => logObject(ctx, l, blocks));
  return {
    transactionHash: row.hash,
    transactionIndex: bigIntToHex(BigInt(place.index)),
    blockHash: hashOfBlock(ctx, BigInt(row.block_number)),
    blockNumber: bigIntToHex(BigInt(row.block_number)),
    from: row.from_address,
    to: row.to_address,
    cumulativeGasUsed: bigIntToHex(BigInt(place.cumulativeGas)),
    gasUsed: bigIntToHex(BigInt(row.gas_used)),
    effectiveGasPrice: bigIntToHex(BigInt(row.effective_gas_price)),
    contractAddress: row.contract_address,
    logs: shown,
    logsBloom: logsBloom(shown),
    status: bigIntToHex(BigInt(row.status)),
    type: JSON.parse(row.tx_json).type as Hex,
  };
}

/**
 * A block as eth_getBlockByNumber shows it. Blocks follow the clock: their hash is derived from
 * the chain and number, and they hold the transactions that committed in their interval. The
 * roots are not tries (there is no global state trie): the state root is zero, the others hash
 * the block's transaction hashes, or are the empty-trie root for an empty block.
 */
export async function blockObject(ctx: RunContext, number: bigint, full: boolean) {
  const env = currentBlock(ctx.chain.id, ctx.config, 0).env;
  const timestamp = ctx.config.genesisTime + number * ctx.config.blockTimeSeconds;
  const [rows, logs] = await Promise.all([blockTransactions(ctx.env.DB, ctx.chain.id, number), blockLogs(ctx.env.DB, ctx.chain.id, number)]);
  const txRoot = rows.length === 0 ? EMPTY_TRIE_ROOT : keccak256Hex(hexToBytes(`0x${rows.map((r) => r.hash.slice(2)).join("")}`));
  return {
    number: bigIntToHex(number),
    hash: hashOfBlock(ctx, number),
    parentHash: number === 0n ? ZERO_HASH : hashOfBlock(ctx, number - 1n),
    nonce: "0x0000000000000000",
    sha3Uncles: EMPTY_UNCLES,
    logsBloom: logsBloom(logs.map((l) => ({ address: l.address, topics: [l.topic0, l.topic1, l.topic2, l.topic3].filter((t): t is Hex => t !== null) }))),
    transactionsRoot: txRoot,
    stateRoot: ZERO_HASH,
    receiptsRoot: txRoot,
    miner: env.coinbase,
    difficulty: "0x0",
    totalDifficulty: "0x0",
    extraData: "0x",
    size: "0x0",
    gasLimit: bigIntToHex(env.gasLimit),
    gasUsed: bigIntToHex(rows.reduce((n, r) => n + BigInt(r.gas_used), 0n)),
    timestamp: bigIntToHex(timestamp),
    transactions: full ? rows.map((r, i) => txObject(ctx, r, i)) : rows.map((r) => r.hash),
    uncles: [],
    baseFeePerGas: bigIntToHex(env.baseFee),
    mixHash: wordToHex(blockHash(ctx.chain.id, number)),
    withdrawals: [],
    withdrawalsRoot: EMPTY_TRIE_ROOT,
    blobGasUsed: "0x0",
    excessBlobGas: "0x0",
    parentBeaconBlockRoot: ZERO_HASH,
    requestsHash: EMPTY_REQUESTS,
  };
}
