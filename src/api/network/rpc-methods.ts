import { CAPS } from "../../exec/caps.ts";
import { needScope } from "../../exec/scopes.ts";
import { bigIntToHex, bytesToHex, wordToHex } from "../../primitives/hex.ts";
import { invalidParams, RpcError, SERVER_ERROR } from "../rpc/errors.ts";
import type { Method } from "../rpc/execution.ts";
import { METHODS } from "../rpc/methods.ts";
import { address, blockRef, callRequest, params, quantity } from "../rpc/params.ts";
import type { NetworkSession } from "./session.ts";

/** Block and transaction lookups a network's clients (viem, ethers, forge) make: passed through, counted. */
const PASSED = [
  "eth_blockNumber", "eth_getBlockByNumber", "eth_getBlockByHash", "eth_getTransactionByHash", "eth_getTransactionReceipt", "eth_getLogs", "eth_getProof",
  "eth_gasPrice", "eth_maxPriorityFeePerGas", "eth_feeHistory", "eth_blobBaseFee", "eth_getBlockTransactionCountByNumber", "eth_getBlockTransactionCountByHash",
];

/**
 * The JSON-RPC methods of `/rpc/{key}/{network}`: executions (eth_call, eth_estimateGas,
 * eth_createAccessList, debug_traceCall, eth_simulateV1) run here on the network's state at the
 * block they name, read through verified proofs, with the same code as on our chains; state reads
 * answer verified values; block and transaction lookups pass through. An execution's whole answer
 * is kept by (network, block hash, request): asked again, it is answered without executing.
 */
export function networkMethods(session: NetworkSession): Record<string, Method> {
  const executed = (name: string, blockAt: number, expectsTx: boolean): Method => async (ctx, key, raw) => {
    // Checked here too (the method checks it again): a cached answer must not skip it.
    needScope(key, name === "eth_call" ? "read" : "simulate");
    const p = params(raw, 1, 4);
    const view = await session.view(blockRef(p[blockAt]));
    const cacheKey = session.answerKey(view.header, [name, p.filter((_, i) => i !== blockAt), key.address]);
    const hit = await session.cachedAnswer(cacheKey);
    if (hit !== undefined) return hit;
    if (expectsTx) view.expect([callRequest(p[0], key.address, ctx.config.maxGas, CAPS.callDataBytes)]);
    const result = await METHODS[name]({ ...ctx, view }, key, raw);
    session.keepAnswer(cacheKey, result);
    return result;
  };

  const read = (what: "balance" | "nonce" | "code" | "storage"): Method => async (_ctx, key, raw) => {
    needScope(key, "read");
    const p = params(raw, 1, what === "storage" ? 3 : 2);
    const slot = what === "storage" ? quantity(p[1], "slot") : undefined;
    const view = await session.view(blockRef(p[what === "storage" ? 2 : 1]));
    const [a] = (await view.reader.load([{ address: address(p[0], "address"), code: what === "code", slots: slot === undefined ? [] : [slot] }])).accounts;
    if (what === "balance") return a.account?.balance ?? "0x0";
    if (what === "nonce") return a.account?.nonce ?? "0x0";
    if (what === "code") return bytesToHex(a.code ?? new Uint8Array(0));
    return wordToHex(BigInt(a.storage[0].value));
  };

  const out: Record<string, Method> = {
    eth_chainId: async () => bigIntToHex(session.network.chainId),
    net_version: async () => session.network.chainId.toString(),
    net_listening: METHODS.net_listening,
    web3_clientVersion: METHODS.web3_clientVersion,
    eth_syncing: METHODS.eth_syncing,
    eth_accounts: METHODS.eth_accounts,
    eth_call: executed("eth_call", 1, true),
    eth_estimateGas: executed("eth_estimateGas", 1, true),
    eth_createAccessList: executed("eth_createAccessList", 1, true),
    debug_traceCall: executed("debug_traceCall", 1, true),
    eth_simulateV1: executed("eth_simulateV1", 1, false),
    eth_getBalance: read("balance"),
    eth_getTransactionCount: read("nonce"),
    eth_getCode: read("code"),
    eth_getStorageAt: read("storage"),
    eth_sendRawTransaction: async () => {
      throw new RpcError(SERVER_ERROR, `${session.network.name} is read-only here: create a persistent fork (POST /v1/forks) to send transactions`, { code: "network_read_only" });
    },
  };
  for (const m of PASSED) {
    out[m] = async (_ctx, key, raw) => {
      needScope(key, "read");
      if (raw !== undefined && !Array.isArray(raw)) throw invalidParams("params must be an array");
      return session.upstream().call(m, (raw as unknown[] | undefined) ?? []);
    };
  }
  return out;
}
