import { findTransaction, placeInBlock } from "../../db/transactions.ts";
import { needScope } from "../../exec/scopes.ts";
import { bigIntToHex, bytesToHex, wordToHex } from "../../primitives/hex.ts";
import { blockObject, blockReceipts, latestNumber, receiptObject, txObject } from "./chain-data.ts";
import { invalidParams } from "./errors.ts";
import type { Method } from "./execution.ts";
import { logCriteria, logRange, matchingLogs } from "./log-filter.ts";
import { blockRef, hash, params, quantity } from "./params.ts";
import { queryRun } from "./query-run.ts";
import { accountAt, blockNumberOf, stateBlock } from "./state-block.ts";
import { numberOfHash } from "./chain-data.ts";

/** Reads of the chain: accounts at a block, blocks, transactions, receipts, logs. */

export const getBalance: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [a, b] = params(raw, 1, 2);
  return (await accountAt(ctx, a, await stateBlock(ctx, b), false)).account?.balance ?? "0x0";
};

export const getTransactionCount: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [a, b] = params(raw, 1, 2);
  return (await accountAt(ctx, a, await stateBlock(ctx, b), false)).account?.nonce ?? "0x0";
};

export const getCode: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [a, b] = params(raw, 1, 2);
  const r = await accountAt(ctx, a, await stateBlock(ctx, b), true);
  return bytesToHex(r.code ?? new Uint8Array(0));
};

export const getStorageAt: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [a, slotRaw, b] = params(raw, 2, 3);
  const at = await stateBlock(ctx, b);
  const slot = typeof slotRaw === "string" && /^0x[0-9a-fA-F]{1,64}$/.test(slotRaw) ? BigInt(slotRaw) : quantity(slotRaw, "slot");
  const r = await accountAt(ctx, a, at, false, [bigIntToHex(slot)]);
  return wordToHex(BigInt(r.storage[0].value));
};

export const getLogs: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [filterArg] = params(raw, 1, 1);
  const c = logCriteria(filterArg);
  return queryRun(ctx, async () => {
    const { from, to } = await logRange(ctx, c);
    return matchingLogs(ctx, c, from, to);
  });
};

export const getBlock = (byHash: boolean): Method => async (ctx, key, raw) => {
  needScope(key, "read");
  const [ref, full] = params(raw, 1, 2);
  const n = byHash ? await numberOfHash(ctx, hash(ref, "block hash")) : await blockNumberOf(ctx, blockRef(ref));
  if (full !== undefined && typeof full !== "boolean") throw invalidParams("the second param must be true or false");
  return n === undefined ? null : queryRun(ctx, () => blockObject(ctx, n, full === true));
};

export const getTransaction = (receipt: boolean): Method => async (ctx, key, raw) => {
  needScope(key, "read");
  const [h] = params(raw, 1, 1);
  const row = await findTransaction(ctx.env.DB, ctx.chain.id, hash(h, "transaction hash"));
  if (row === null) return null;
  if (receipt) return receiptObject(ctx, row);
  return txObject(ctx, row, (await placeInBlock(ctx.env.DB, ctx.chain.id, row)).index);
};

/** eth_getBlockReceipts: every receipt of a block, in its order (null for a block after the latest). */
export const getBlockReceipts: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [ref] = params(raw, 1, 1);
  const n = typeof ref === "string" && /^0x[0-9a-fA-F]{64}$/.test(ref) ? await numberOfHash(ctx, hash(ref, "block hash")) : await blockNumberOf(ctx, blockRef(ref));
  return n === undefined ? null : queryRun(ctx, () => blockReceipts(ctx, n));
};

export const blockNumber: Method = async (ctx) => bigIntToHex(latestNumber(ctx));
