import { cursorsNow, transactionsWritten } from "../../db/filter-cursors.ts";
import type { FilterRecord } from "../../durable/rpc-state.ts";
import type { RunContext } from "../../exec/context.ts";
import { needScope } from "../../exec/scopes.ts";
import { hashOfBlock, latestNumber } from "./chain-data.ts";
import { invalidParams, LIMIT_EXCEEDED, RpcError, SERVER_ERROR } from "./errors.ts";
import type { Method } from "./execution.ts";
import { logCriteria, logRange, matchingLogs, MAX_LOGS } from "./log-filter.ts";
import { params } from "./params.ts";
import { queryRun } from "./query-run.ts";

/**
 * eth_newFilter and kin. A filter is a cursor into the run log kept by the project's RpcState
 * object (src/durable/rpc-state.ts); its changes are the rows written since its last read, so a
 * log that reaches D1 late is reported late rather than never. Pending transactions: there is no
 * mempool (a send commits before it is answered), so that filter reports transactions as they
 * commit.
 */

const filtersOf = (ctx: RunContext) => ctx.env.RPC_STATE.get(ctx.env.RPC_STATE.idFromName(ctx.caller.projectId));

/** At most this many block hashes in one read of a block filter (a filter unread for its 5 minutes expires first at 2 s blocks). */
const MAX_BLOCKS = 1024;

function filterId(raw: unknown): string {
  const [id] = params(raw, 1, 1);
  if (typeof id !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(id)) throw invalidParams("the filter id must be a hex string");
  return id.toLowerCase();
}

/**
 * Changes are commits stamped from now on (stamps are µs of the accounts' clocks): a commit
 * answered before the filter was made, whose run-log rows reach D1 after it, is not one.
 */
const sinceNow = () => Date.now() * 1000;

const notFound = () => new RpcError(SERVER_ERROR, "filter not found", { code: "filter_not_found" });

async function install(ctx: RunContext, f: Omit<FilterRecord, "id">): Promise<string> {
  const id = await filtersOf(ctx).install(f);
  if (id === undefined) throw new RpcError(LIMIT_EXCEEDED, "this project holds too many filters: uninstall some (eth_uninstallFilter) or let them expire (5 minutes unread)", { code: "too_many_filters" });
  return id;
}

export const newFilter: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [arg] = params(raw, 0, 1);
  const c = logCriteria(arg);
  if (c.blockHash !== undefined) throw invalidParams("a filter reads blocks as they come: blockHash is for eth_getLogs");
  const latest = latestNumber(ctx);
  // A numeric fromBlock holds; a tag means the blocks from now on.
  const firstBlock = "number" in c.from ? c.from.number : latest;
  const { logs } = await cursorsNow(ctx.env.DB);
  return install(ctx, { kind: "logs", criteria: JSON.stringify(arg ?? {}), cursor: logs, firstBlock: Number(firstBlock), since: sinceNow() });
};

export const newBlockFilter: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  params(raw, 0, 0);
  return install(ctx, { kind: "blocks", criteria: null, cursor: Number(latestNumber(ctx)), firstBlock: 0, since: 0 });
};

export const newPendingTransactionFilter: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [full] = params(raw, 0, 1);
  if (full === true) throw invalidParams("full transactions are not offered: the filter reports hashes");
  const { transactions } = await cursorsNow(ctx.env.DB);
  return install(ctx, { kind: "transactions", criteria: null, cursor: transactions, firstBlock: 0, since: sinceNow() });
};

export const uninstallFilter: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  return filtersOf(ctx).uninstall(filterId(raw));
};

/** What happened since the filter's last read: block hashes, transaction hashes or logs. */
export const getFilterChanges: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const id = filterId(raw);
  return queryRun(ctx, async () => {
    const f = await filtersOf(ctx).read(id);
    if (f === undefined) throw notFound();
    if (f.kind === "blocks") {
      const latest = Number(latestNumber(ctx));
      const from = Math.max(f.cursor, latest - MAX_BLOCKS);
      if (!(await filtersOf(ctx).advance(id, f.cursor, latest))) return [];
      return Array.from({ length: latest - from }, (_, i) => hashOfBlock(ctx, BigInt(from + 1 + i)));
    }
    const now = await cursorsNow(ctx.env.DB);
    if (f.kind === "transactions") {
      const hashes = await transactionsWritten(ctx.env.DB, ctx.chain.id, { after: f.cursor, upTo: now.transactions, since: f.since }, MAX_LOGS);
      return (await filtersOf(ctx).advance(id, f.cursor, now.transactions)) ? hashes : [];
    }
    const c = logCriteria(JSON.parse(f.criteria!));
    const to = "number" in c.to ? c.to.number : latestNumber(ctx);
    const from = BigInt(f.firstBlock);
    const read = await (from > to ? Promise.resolve([]) : matchingLogs(ctx, c, from, to, { after: f.cursor, upTo: now.logs, since: f.since })).then((logs) => ({ logs }), (error: unknown) => ({ error }));
    // Past a read over MAX_LOGS too: those logs are skipped (the error says so), not reported forever.
    const moved = await filtersOf(ctx).advance(id, f.cursor, now.logs);
    if ("error" in read) throw read.error;
    return moved ? read.logs : [];
  });
};

/** Every log the filter's criteria match now (eth_getLogs with them). */
export const getFilterLogs: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const id = filterId(raw);
  return queryRun(ctx, async () => {
    const f = await filtersOf(ctx).read(id);
    if (f === undefined || f.kind !== "logs") throw notFound();
    const c = logCriteria(JSON.parse(f.criteria!));
    const { from, to } = await logRange(ctx, { ...c, from: { number: BigInt(f.firstBlock) } });
    return matchingLogs(ctx, c, from, to);
  });
};
