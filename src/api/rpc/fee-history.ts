import { currentBlock } from "../../exec/block.ts";
import type { RunContext } from "../../exec/context.ts";
import { needScope } from "../../exec/scopes.ts";
import { bigIntToHex } from "../../primitives/hex.ts";
import { latestNumber } from "./chain-data.ts";
import { invalidParams } from "./errors.ts";
import type { Method } from "./execution.ts";
import { blockRef, params, quantity, type BlockRef } from "./params.ts";
import { queryRun } from "./query-run.ts";
import { blockNumberOf } from "./state-block.ts";

/** geth's cap on the blocks of one answer (a client asking more is given fewer, which the method allows). */
const MAX_BLOCKS = 1024;
/** The most reward entries (blocks × percentiles) in one answer, about 300 KB: fewer blocks past it. */
const MAX_REWARDS = 10_240;
const MAX_ROWS = 20_000;
const MAX_UINT64 = (1n << 64n) - 1n;

interface Row {
  block_number: number;
  gas_used: number;
  effective_gas_price: string;
}

/**
 * eth_feeHistory from the blocks' transactions: the base fee is zero on these chains (gas costs
 * no ether), the blob base fee its minimum (1 wei, no excess); each block's gas used over its
 * limit; the rewards at the asked percentiles of its gas, weighted by gas used (geth's method),
 * from the tips transactions paid.
 */
export const feeHistory: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [countRaw, newest, percentiles] = params(raw, 2, 3);
  // geth's blockCount: a uint64, as a hex quantity or a JSON integer.
  const count = typeof countRaw === "number" && Number.isSafeInteger(countRaw) && countRaw >= 0 ? BigInt(countRaw) : typeof countRaw === "number" ? undefined : quantity(countRaw, "blockCount");
  if (count === undefined || count > MAX_UINT64) throw invalidParams("blockCount must be an integer from 0 to 2^64-1 (a hex quantity or a JSON number)");
  const ps = percentiles === undefined || percentiles === null ? undefined : percentiles;
  if (ps !== undefined && (!Array.isArray(ps) || ps.length > 100 || ps.some((p, i) => typeof p !== "number" || p < 0 || p > 100 || (i > 0 && p < ps[i - 1])))) {
    throw invalidParams("rewardPercentiles must be at most 100 increasing numbers from 0 to 100");
  }
  const ref = blockRef(newest);
  return queryRun(ctx, () => history(ctx, ref, count, ps as number[] | undefined));
};

async function history(ctx: RunContext, ref: BlockRef, count: bigint, ps: number[] | undefined) {
  const last = (await blockNumberOf(ctx, ref)) ?? latestNumber(ctx);
  const most = BigInt(Math.min(MAX_BLOCKS, Math.floor(MAX_REWARDS / Math.max(1, ps?.length ?? 0))));
  const n = count > most ? most : count > last + 1n ? last + 1n : count;
  const oldest = last + 1n - n;
  const env = currentBlock(ctx.chain.id, ctx.config, 0).env;
  const { results } = n === 0n ? { results: [] as Row[] } : await ctx.env.DB.prepare(`SELECT block_number, gas_used, effective_gas_price FROM transactions WHERE chain_id = ? AND block_number BETWEEN ? AND ? LIMIT ?`)
    .bind(Number(ctx.chain.id), Number(oldest), Number(last), MAX_ROWS).all<Row>();
  const byBlock = new Map<number, Row[]>();
  for (const r of results) byBlock.set(r.block_number, [...(byBlock.get(r.block_number) ?? []), r]);
  const blocks = Array.from({ length: Number(n) }, (_, i) => byBlock.get(Number(oldest) + i) ?? []);
  const used = blocks.map((txs) => txs.reduce((s, t) => s + t.gas_used, 0));
  return {
    oldestBlock: bigIntToHex(oldest),
    baseFeePerGas: Array.from({ length: Number(n) + 1 }, () => bigIntToHex(env.baseFee)),
    gasUsedRatio: used.map((g) => g / Number(env.gasLimit)),
    baseFeePerBlobGas: Array.from({ length: Number(n) + 1 }, () => "0x1"),
    blobGasUsedRatio: blocks.map(() => 0),
    ...(ps === undefined ? {} : { reward: blocks.map((txs, i) => rewards(txs, used[i], ps, env.baseFee)) }),
  };
}

/** The tip at each percentile of a block's gas: transactions by tip, walked until their gas reaches it. */
function rewards(txs: Row[], gasUsed: number, percentiles: number[], baseFee: bigint): string[] {
  if (txs.length === 0) return percentiles.map(() => "0x0");
  const sorted = txs.map((t) => ({ tip: BigInt(t.effective_gas_price) - baseFee, gas: t.gas_used })).sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0));
  let i = 0, sum = sorted[0].gas;
  return percentiles.map((p) => {
    const threshold = (gasUsed * p) / 100;
    while (sum < threshold && i < sorted.length - 1) sum += sorted[++i].gas;
    return bigIntToHex(sorted[i].tip);
  });
}
