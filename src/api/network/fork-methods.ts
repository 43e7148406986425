import type { ForkBase } from "../../exec/chain.ts";
import type { RunContext } from "../../exec/context.ts";
import type { Scope } from "../../durable/ledger/protocol.ts";
import { needScope } from "../../exec/scopes.ts";
import { RpcError, SERVER_ERROR } from "../rpc/errors.ts";
import type { Method } from "../rpc/execution.ts";
import { METHODS } from "../rpc/methods.ts";
import { numberOfHash } from "../rpc/chain-data.ts";
import { blockRef, hash, params } from "../rpc/params.ts";
import { networkMethods } from "./rpc-methods.ts";
import type { NetworkSession } from "./session.ts";

/**
 * Methods that name a block, where, and the scope they need: at a block up to the fork's, the
 * network answers them. The scope is checked before the block is resolved (a hash may cost an
 * upstream request), as each method checks it again.
 */
const AT_BLOCK: Record<string, [at: number, scope: Scope]> = {
  eth_call: [1, "read"], eth_estimateGas: [1, "simulate"], eth_createAccessList: [1, "simulate"], debug_traceCall: [1, "simulate"], eth_simulateV1: [1, "simulate"],
  eth_getBalance: [1, "read"], eth_getTransactionCount: [1, "read"], eth_getCode: [1, "read"], eth_getStorageAt: [2, "read"], eth_getBlockByNumber: [0, "read"],
};

/**
 * A persistent fork's JSON-RPC: the methods of our chains on the fork's chain, except at the fork
 * block and before it, which are the network's (as `anvil --fork-url` answers them): reads and
 * executions pinned to such a block (by number, or by an EIP-1898 hash) run on the network's
 * verified state there (the fork wrote nothing before its block), and block lookups of them are
 * passed through to the network, as its own route does.
 */
export function forkMethods(session: NetworkSession, base: ForkBase): Record<string, Method> {
  const network = networkMethods(session);
  const upTo = base.hashes.number;
  /** Whether the block a request names (param `at`) is the fork's block or one before it. */
  const atNetwork = async (ctx: RunContext, raw: unknown, at: number): Promise<boolean> => {
    if (!Array.isArray(raw) || raw.length <= at) return false;
    const ref = blockRef(raw[at]);
    if ("number" in ref) return ref.number <= upTo;
    if (!("hash" in ref)) return false;
    const ours = await numberOfHash(ctx, ref.hash);
    if (ours !== undefined) return ours <= upTo;
    // A network block by hash (its header checked, and kept for the method's own look): one the fork has.
    if ((await session.view(ref)).header.number > upTo) throw new RpcError(SERVER_ERROR, "header not found", { code: "block_not_found" });
    return true;
  };
  const out: Record<string, Method> = { ...METHODS };
  for (const [name, [at, scope]] of Object.entries(AT_BLOCK)) {
    out[name] = async (ctx, key, raw) => {
      needScope(key, scope);
      return ((await atNetwork(ctx, raw, at)) ? network[name] : METHODS[name])(ctx, key, raw);
    };
  }
  out.eth_getBlockByHash = async (ctx, key, raw) => {
    needScope(key, "read");
    const [h] = params(raw, 1, 2);
    const ours = await numberOfHash(ctx, hash(h, "block hash"));
    if (ours !== undefined && ours > upTo) return METHODS.eth_getBlockByHash(ctx, key, raw);
    // The network's, if it is one of the blocks the fork keeps (not a later one).
    const block = (await network.eth_getBlockByHash(ctx, key, raw)) as { number?: string } | null;
    return block !== null && typeof block.number === "string" && BigInt(block.number) <= upTo ? block : null;
  };
  return out;
}
