import type { CallOverrides } from "../../exec/call.ts";
import { clockOf } from "../../exec/config.ts";
import type { RunContext } from "../../exec/context.ts";
import type { Hex } from "../../primitives/hex.ts";
import { blockAtMs, stampMs } from "../../state/blocks.ts";
import { latestNumber, numberOfHash } from "./chain-data.ts";
import { RpcError, SERVER_ERROR } from "./errors.ts";
import { address, blockRef, type BlockRef } from "./params.ts";

/**
 * State is kept at the latest block only. An older block's state of the accounts a request reads
 * is their latest state when none of them was written after that block (blocks pass every 2 s,
 * so a client that pins the number it just read, as MetaMask does, usually asks for such a
 * block): each account's last write is stamped, and the check is exact. Answers the block asked
 * for when it is not the latest (the request then runs in that block's environment).
 */
export async function stateBlock(ctx: RunContext, raw: unknown): Promise<bigint | undefined> {
  // A network's methods resolved the block to a pinned view already.
  if (ctx.view !== undefined) return undefined;
  const ref = blockRef(raw);
  const latest = latestNumber(ctx);
  const n = "tag" in ref ? latest : "number" in ref ? ref.number : await numberOfHash(ctx, ref.hash);
  if (n === undefined || n > latest) throw new RpcError(SERVER_ERROR, "header not found", { code: "block_not_found" });
  return n === latest ? undefined : n;
}

/** An account's state at block `at` (the latest state, unless the account was written after `at`). */
export async function accountAt(ctx: RunContext, raw: unknown, at: bigint | undefined, code: boolean, slots: Hex[] = []) {
  const r = await ctx.chain.load(address(raw, "address"), { code, slots });
  if (at !== undefined) notWrittenAfter(ctx, r.lastStamp, at);
  return r;
}

export function notWrittenAfter(ctx: RunContext, stamp: number, at: bigint): void {
  const written = writtenIn(ctx, stamp);
  if (written > at) throw new RpcError(SERVER_ERROR, `historical state is not available: what this request reads was written in block ${written}, after block ${at}; only later blocks can be read`, { code: "historical_state" });
}

const writtenIn = (ctx: RunContext, stamp: number): bigint => BigInt(blockAtMs(clockOf(ctx.config), stampMs(stamp)));

/** The overrides of a call pinned to block `at`: that block's number and time, and the state check. */
export function pinned(ctx: RunContext, o: CallOverrides, at: bigint | undefined): CallOverrides {
  if (at === undefined) return o;
  const time = ctx.config.genesisTime + at * ctx.config.blockTimeSeconds;
  return { ...o, blockOverrides: { number: at, time, ...o.blockOverrides }, readAt: (stamp) => notWrittenAfter(ctx, stamp, at) };
}

/** The number a block reference names, if that block exists (undefined for one after the latest). */
export async function blockNumberOf(ctx: RunContext, ref: BlockRef): Promise<bigint | undefined> {
  if ("tag" in ref) return latestNumber(ctx);
  if ("number" in ref) return ref.number <= latestNumber(ctx) ? ref.number : undefined;
  return numberOfHash(ctx, ref.hash);
}
