import { queryLogs, type PlacedLog } from "../../db/transactions.ts";
import type { RunContext } from "../../exec/context.ts";
import type { Address, Hex } from "../../primitives/hex.ts";
import { latestNumber, logObject, numberOfHash } from "./chain-data.ts";
import { invalidParams, LIMIT_EXCEEDED, RpcError, SERVER_ERROR } from "./errors.ts";
import { address, blockRef, hash, object, type BlockRef } from "./params.ts";
import { blockNumberOf } from "./state-block.ts";

/** The most logs one eth_getLogs (or filter read) answers. */
export const MAX_LOGS = 10_000;

/** An eth_getLogs / eth_newFilter criteria: blocks (a range, or one by hash), addresses, topics. */
export interface LogCriteria {
  /** Tags resolve when the filter is read (`latest` moves); a hash pins one block. */
  from: BlockRef;
  to: BlockRef;
  blockHash?: Hex;
  addresses?: Address[];
  topics: (Hex[] | undefined)[];
}

export function logCriteria(raw: unknown): LogCriteria {
  const f = object(raw ?? {}, "the filter");
  let blockHash: Hex | undefined;
  if (f.blockHash !== undefined && f.blockHash !== null) {
    if (f.fromBlock !== undefined || f.toBlock !== undefined) throw invalidParams("blockHash excludes fromBlock and toBlock");
    blockHash = hash(f.blockHash, "blockHash");
  }
  const addresses = f.address === undefined || f.address === null ? undefined : (Array.isArray(f.address) ? f.address : [f.address]).map((a, i) => address(a, `address[${i}]`));
  if (addresses !== undefined && addresses.length > 1000) throw invalidParams("address may name at most 1000 contracts");
  const topicsRaw = f.topics ?? [];
  if (!Array.isArray(topicsRaw) || topicsRaw.length > 4) throw invalidParams("topics must be an array of at most 4 positions");
  const topics = topicsRaw.map((t, i) => (t === null ? undefined : (Array.isArray(t) ? t : [t]).map((x) => hash(x, `topics[${i}]`))));
  return { from: blockRef(f.fromBlock, "fromBlock"), to: blockRef(f.toBlock, "toBlock"), blockHash, addresses, topics };
}

/** The blocks a criteria covers now (tags resolved to the latest block), or refuses. */
export async function logRange(ctx: RunContext, c: LogCriteria): Promise<{ from: bigint; to: bigint }> {
  if (c.blockHash !== undefined) {
    const n = await numberOfHash(ctx, c.blockHash);
    if (n === undefined) throw new RpcError(SERVER_ERROR, "unknown block", { code: "block_not_found" });
    return { from: n, to: n };
  }
  const latest = latestNumber(ctx);
  const from = (await blockNumberOf(ctx, c.from)) ?? latest;
  const to = (await blockNumberOf(ctx, c.to)) ?? latest;
  if (from > to) throw invalidParams("fromBlock is after toBlock", "invalid_block_range");
  return { from, to };
}

/**
 * The logs of committed transactions matching `c` in [from, to], in chain order, as JSON-RPC
 * shows them; `rows`: only those written to the run log in that span (a filter's changes).
 */
export async function matchingLogs(ctx: RunContext, c: LogCriteria, from: bigint, to: bigint, rows?: { after: number; upTo: number; since: number }) {
  const logs: PlacedLog[] = await queryLogs(ctx.env.DB, { chainId: ctx.chain.id, fromBlock: from, toBlock: to, addresses: c.addresses, topics: c.topics, limit: MAX_LOGS + 1, rows });
  if (logs.length > MAX_LOGS) throw new RpcError(LIMIT_EXCEEDED, `query returned more than ${MAX_LOGS} results${rows === undefined ? "" : " (new logs since the filter's last read: they are skipped, eth_getLogs reads them)"}`, { code: "too_many_logs" });
  const blocks = new Map<number, Hex>();
  return logs.map((l) => logObject(ctx, l, blocks));
}
