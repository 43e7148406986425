import { findTransaction, placeInBlock, queryLogs } from "../../db/transactions.ts";
import type { CallOverrides } from "../../exec/call.ts";
import { blockAtMs, stampMs } from "../../state/blocks.ts";
import { CAPS } from "../../exec/caps.ts";
import type { RunContext } from "../../exec/context.ts";
import { runAccessList, runCall, runEstimate, runSendSigned } from "../../exec/runs.ts";
import { needScope } from "../../exec/scopes.ts";
import { decodeRawTx, RawTxError } from "../../evm/tx/raw.ts";
import { bigIntToHex, bytesToHex, wordToHex, type Hex } from "../../primitives/hex.ts";

import { blockObject, latestNumber, logObject, numberOfHash, receiptObject, txObject } from "./chain-data.ts";
import { debugTraceCall, debugTraceTransaction, simulateV1 } from "./simulation.ts";
import { executionError, type Method } from "./execution.ts";
import { txInvalidError } from "./tx-errors.ts";
import { INTERNAL_ERROR, invalidParams, LIMIT_EXCEEDED, RpcError, SERVER_ERROR } from "./errors.ts";
import { address, blockRef, callRequest, data, hash, object, overrides, params, quantity, type BlockRef } from "./params.ts";


const MAX_LOGS = 10_000;


/**
 * State is kept at the latest block only. An older block's state of the accounts a request reads
 * is their latest state when none of them was written after that block (blocks pass every 2 s,
 * so a client that pins the number it just read, as MetaMask does, usually asks for such a
 * block): each account's last write is stamped, and the check is exact. Answers the block asked
 * for when it is not the latest (the request then runs in that block's environment).
 */
async function stateBlock(ctx: RunContext, raw: unknown): Promise<bigint | undefined> {
  const ref = blockRef(raw);
  const latest = latestNumber(ctx);
  const n = "tag" in ref ? latest : "number" in ref ? ref.number : await numberOfHash(ctx, ref.hash);
  if (n === undefined || n > latest) throw new RpcError(SERVER_ERROR, "header not found", { code: "block_not_found" });
  return n === latest ? undefined : n;
}

/** An account's state at block `at` (the latest state, unless the account was written after `at`). */
async function accountAt(ctx: RunContext, raw: unknown, at: bigint | undefined, code: boolean, slots: Hex[] = []) {
  const r = await loadAccount(ctx, raw, code, slots);
  if (at !== undefined) notWrittenAfter(ctx, r.lastStamp, at);
  return r;
}

function notWrittenAfter(ctx: RunContext, stamp: number, at: bigint): void {
  const written = writtenIn(ctx, stamp);
  if (written > at) throw new RpcError(SERVER_ERROR, `historical state is not available: what this request reads was written in block ${written}, after block ${at}; only later blocks can be read`, { code: "historical_state" });
}

const writtenIn = (ctx: RunContext, stamp: number): bigint => BigInt(blockAtMs({ genesisSeconds: Number(ctx.config.genesisTime), intervalSeconds: Number(ctx.config.blockTimeSeconds) }, stampMs(stamp)));

/** The overrides of a call pinned to block `at`: that block's number and time, and the state check. */
function pinned(ctx: RunContext, o: CallOverrides, at: bigint | undefined): CallOverrides {
  if (at === undefined) return o;
  const time = ctx.config.genesisTime + at * ctx.config.blockTimeSeconds;
  return { ...o, blockOverrides: { number: at, time, ...o.blockOverrides }, readAt: (stamp) => notWrittenAfter(ctx, stamp, at) };
}

async function blockNumberOf(ctx: RunContext, ref: BlockRef): Promise<bigint | undefined> {
  if ("tag" in ref) return latestNumber(ctx);
  if ("number" in ref) return ref.number <= latestNumber(ctx) ? ref.number : undefined;
  return numberOfHash(ctx, ref.hash);
}

async function loadAccount(ctx: RunContext, raw: unknown, code: boolean, slots: Hex[] = []) {
  return ctx.chain.load(address(raw, "address"), { code, slots });
}

const call: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [txArg, block, state, blockOv] = params(raw, 1, 4);
  const at = await stateBlock(ctx, block);
  const { result } = await runCall(ctx, callRequest(txArg, key.address, ctx.config.maxGas, CAPS.callDataBytes), pinned(ctx, overrides(state, blockOv), at));
  const err = executionError(result);
  if (err !== undefined) throw err;
  return bytesToHex(result.valid ? result.output : new Uint8Array(0));
};

const estimateGas: Method = async (ctx, key, raw) => {
  needScope(key, "simulate");
  const [txArg, block, state, blockOv] = params(raw, 1, 4);
  const at = await stateBlock(ctx, block);
  const req = callRequest(txArg, key.address, ctx.config.maxGas, CAPS.callDataBytes);
  const est = await runEstimate(ctx, req, pinned(ctx, overrides(state, blockOv), at));
  if ("gas" in est) return bigIntToHex(est.gas);
  // As geth: running out of gas with all the gas allowed is "gas required exceeds allowance"
  // (viem and ethers recognise it); reverts and other failures are reported as they are.
  const f = est.failed;
  if (f.valid && f.status !== "success" && f.status !== "reverted" && f.haltReason === "out_of_gas") throw new RpcError(SERVER_ERROR, `gas required exceeds allowance (${req.gas})`, { code: "gas_required_exceeds_allowance" });
  throw executionError(f) ?? new RpcError(INTERNAL_ERROR, "the estimate failed without an error");
};

const createAccessList: Method = async (ctx, key, raw) => {
  needScope(key, "simulate");
  const [txArg, block, state] = params(raw, 1, 3);
  const at = await stateBlock(ctx, block);
  const a = await runAccessList(ctx, callRequest(txArg, key.address, ctx.config.maxGas, CAPS.callDataBytes), pinned(ctx, overrides(state, undefined), at));
  const list = a.accessList.map((i) => ({ address: i.address, storageKeys: i.storageKeys.map(wordToHex) }));
  const out: Record<string, unknown> = { accessList: list, gasUsed: bigIntToHex(a.result.valid ? a.result.gasUsed : 0n) };
  const err = executionError(a.result);
  if (err !== undefined) out.error = err.message;
  return out;
};

const sendRawTransaction: Method = async (ctx, key, raw) => {
  needScope(key, "send");
  const [rawTx] = params(raw, 1, 1);
  let signed;
  try {
    signed = decodeRawTx(data(rawTx, "the transaction", CAPS.callDataBytes + 4096));
  } catch (e) {
    if (e instanceof RawTxError) throw invalidParams(`invalid transaction: ${e.message}`, "invalid_transaction");
    throw e;
  }
  if (signed.tx.chainId === undefined) throw new RpcError(SERVER_ERROR, "only replay-protected (EIP-155) transactions are accepted", { code: "unprotected_transaction" });
  if (signed.tx.chainId !== ctx.chain.id) throw new RpcError(SERVER_ERROR, `invalid chain id ${signed.tx.chainId}: this chain is ${ctx.chain.id}`, { code: "wrong_chain_id" });
  if (signed.tx.gasLimit > ctx.config.maxGas) throw new RpcError(SERVER_ERROR, `gas limit ${signed.tx.gasLimit} is above this service's cap of ${ctx.config.maxGas}`, { code: "gas_limit_too_high" });
  const out = await runSendSigned(ctx, signed);
  if (out.kind === "invalid") throw txInvalidError(out.invalid);
  if (out.kind === "replay") throw new RpcError(SERVER_ERROR, "already known", { code: "already_known" });
  return out.hash;
};

const getLogs: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [filterArg] = params(raw, 1, 1);
  const f = object(filterArg, "the filter");
  let from: bigint, to: bigint;
  const latest = latestNumber(ctx);
  if (f.blockHash !== undefined) {
    if (f.fromBlock !== undefined || f.toBlock !== undefined) throw invalidParams("blockHash excludes fromBlock and toBlock");
    const n = await numberOfHash(ctx, hash(f.blockHash, "blockHash"));
    if (n === undefined) throw new RpcError(SERVER_ERROR, "unknown block", { code: "block_not_found" });
    from = to = n;
  } else {
    from = (await blockNumberOf(ctx, blockRef(f.fromBlock, "fromBlock"))) ?? latest;
    to = (await blockNumberOf(ctx, blockRef(f.toBlock, "toBlock"))) ?? latest;
    if (from > to) throw invalidParams("fromBlock is after toBlock", "invalid_block_range");
  }
  const addresses = f.address === undefined || f.address === null ? undefined : (Array.isArray(f.address) ? f.address : [f.address]).map((a, i) => address(a, `address[${i}]`));
  const topicsRaw = f.topics ?? [];
  if (!Array.isArray(topicsRaw) || topicsRaw.length > 4) throw invalidParams("topics must be an array of at most 4 positions");
  const topics = topicsRaw.map((t, i) => (t === null ? undefined : (Array.isArray(t) ? t : [t]).map((x) => hash(x, `topics[${i}]`))));
  const logs = await queryLogs(ctx.env.DB, { chainId: ctx.chain.id, fromBlock: from, toBlock: to, addresses, topics, limit: MAX_LOGS + 1 });
  if (logs.length > MAX_LOGS) throw new RpcError(LIMIT_EXCEEDED, `query returned more than ${MAX_LOGS} results`, { code: "too_many_logs" });
  return logs.map((l) => logObject(ctx, l));
};

const getBlock = (byHash: boolean): Method => async (ctx, key, raw) => {
  needScope(key, "read");
  const [ref, full] = params(raw, 1, 2);
  const n = byHash ? await numberOfHash(ctx, hash(ref, "block hash")) : await blockNumberOf(ctx, blockRef(ref));
  if (full !== undefined && typeof full !== "boolean") throw invalidParams("the second param must be true or false");
  return n === undefined ? null : blockObject(ctx, n, full === true);
};

const getTransaction = (receipt: boolean): Method => async (ctx, key, raw) => {
  needScope(key, "read");
  const [h] = params(raw, 1, 1);
  const row = await findTransaction(ctx.env.DB, ctx.chain.id, hash(h, "transaction hash"));
  if (row === null) return null;
  if (receipt) return receiptObject(ctx, row);
  return txObject(ctx, row, (await placeInBlock(ctx.env.DB, ctx.chain.id, row)).index);
};

const feeHistory: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [countRaw, newest, percentiles] = params(raw, 2, 3);
  const count = typeof countRaw === "number" ? BigInt(countRaw) : quantity(countRaw, "blockCount");
  const last = (await blockNumberOf(ctx, blockRef(newest))) ?? latestNumber(ctx);
  const n = count < 1n ? 0n : count > 1024n ? 1024n : count > last + 1n ? last + 1n : count;
  const ps = percentiles === undefined || percentiles === null ? undefined : (percentiles as unknown[]);
  if (ps !== undefined && (!Array.isArray(ps) || ps.length > 100 || ps.some((p) => typeof p !== "number" || p < 0 || p > 100))) throw invalidParams("rewardPercentiles must be at most 100 numbers from 0 to 100");
  const zeros = (k: bigint) => Array.from({ length: Number(k) }, () => "0x0");
  return {
    oldestBlock: bigIntToHex(last + 1n - n),
    baseFeePerGas: zeros(n + 1n),
    gasUsedRatio: Array.from({ length: Number(n) }, () => 0),
    baseFeePerBlobGas: zeros(n + 1n),
    blobGasUsedRatio: Array.from({ length: Number(n) }, () => 0),
    ...(ps === undefined ? {} : { reward: Array.from({ length: Number(n) }, () => ps.map(() => "0x0")) }),
  };
};

/** The methods of `POST /rpc`, by name. */
export const METHODS: Record<string, Method> = {
  eth_chainId: async (ctx) => bigIntToHex(ctx.chain.id),
  net_version: async (ctx) => ctx.chain.id.toString(),
  net_listening: async () => true,
  web3_clientVersion: async () => "edge-evm/0.1.0",
  eth_syncing: async () => false,
  eth_accounts: async () => [],
  eth_blockNumber: async (ctx) => bigIntToHex(latestNumber(ctx)),
  eth_gasPrice: async () => "0x0",
  eth_maxPriorityFeePerGas: async () => "0x0",
  eth_blobBaseFee: async () => "0x1",
  eth_feeHistory: feeHistory,
  eth_getBalance: async (ctx, key, raw) => {
    needScope(key, "read");
    const [a, b] = params(raw, 1, 2);
    return (await accountAt(ctx, a, await stateBlock(ctx, b), false)).account?.balance ?? "0x0";
  },
  eth_getTransactionCount: async (ctx, key, raw) => {
    needScope(key, "read");
    const [a, b] = params(raw, 1, 2);
    return (await accountAt(ctx, a, await stateBlock(ctx, b), false)).account?.nonce ?? "0x0";
  },
  eth_getCode: async (ctx, key, raw) => {
    needScope(key, "read");
    const [a, b] = params(raw, 1, 2);
    const r = await accountAt(ctx, a, await stateBlock(ctx, b), true);
    return bytesToHex(r.code ?? new Uint8Array(0));
  },
  eth_getStorageAt: async (ctx, key, raw) => {
    needScope(key, "read");
    const [a, slotRaw, b] = params(raw, 2, 3);
    const at = await stateBlock(ctx, b);
    const slot = typeof slotRaw === "string" && /^0x[0-9a-fA-F]{1,64}$/.test(slotRaw) ? BigInt(slotRaw) : quantity(slotRaw, "slot");
    const r = await accountAt(ctx, a, at, false, [bigIntToHex(slot)]);
    return wordToHex(BigInt(r.storage[0].value));
  },
  eth_getProof: async () => {
    throw new RpcError(SERVER_ERROR, "eth_getProof is not available: accounts live in separate objects, there is no state trie", { code: "unsupported" });
  },
  eth_call: call,
  eth_estimateGas: estimateGas,
  eth_createAccessList: createAccessList,
  eth_sendRawTransaction: sendRawTransaction,
  eth_getTransactionByHash: getTransaction(false),
  eth_getTransactionReceipt: getTransaction(true),
  eth_getBlockByNumber: getBlock(false),
  eth_getBlockByHash: getBlock(true),
  eth_getLogs: getLogs,
  eth_simulateV1: simulateV1,
  debug_traceCall: debugTraceCall,
  debug_traceTransaction: debugTraceTransaction,
};

