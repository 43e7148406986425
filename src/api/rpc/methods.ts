import { bigIntToHex } from "../../primitives/hex.ts";
import { call, createAccessList, estimateGas } from "./call-methods.ts";
import { blockNumber, getBalance, getBlock, getBlockReceipts, getCode, getLogs, getStorageAt, getTransaction, getTransactionCount } from "./chain-methods.ts";
import { debugTraceCall, debugTraceTransaction } from "./debug-trace.ts";
import { RpcError, SERVER_ERROR } from "./errors.ts";
import type { Method } from "./execution.ts";
import { DEV_METHODS } from "./dev-methods.ts";
import { feeHistory } from "./fee-history.ts";
import { getFilterChanges, getFilterLogs, newBlockFilter, newFilter, newPendingTransactionFilter, uninstallFilter } from "./filter-methods.ts";
import { sendRawTransaction } from "./send-raw.ts";
import { simulateV1 } from "./simulate-v1.ts";

/** The methods of `POST /rpc`, by name (README, "JSON-RPC", has the table of what each does here). */
export const METHODS: Record<string, Method> = {
  eth_chainId: async (ctx) => bigIntToHex(ctx.chain.id),
  net_version: async (ctx) => ctx.chain.id.toString(),
  net_listening: async () => true,
  web3_clientVersion: async () => "edge-evm/0.1.0",
  eth_syncing: async () => false,
  eth_accounts: async () => [],
  eth_blockNumber: blockNumber,
  eth_gasPrice: async () => "0x0",
  eth_maxPriorityFeePerGas: async () => "0x0",
  eth_blobBaseFee: async () => "0x1",
  eth_feeHistory: feeHistory,
  eth_getBalance: getBalance,
  eth_getTransactionCount: getTransactionCount,
  eth_getCode: getCode,
  eth_getStorageAt: getStorageAt,
  eth_getProof: async () => {
    throw new RpcError(SERVER_ERROR, "eth_getProof is not available on a project's chain: accounts live in separate objects and there is no state trie to prove against (a network's /rpc/{key}/{network} passes it through)", { code: "unsupported" });
  },
  eth_call: call,
  eth_estimateGas: estimateGas,
  eth_createAccessList: createAccessList,
  eth_sendRawTransaction: sendRawTransaction,
  eth_getTransactionByHash: getTransaction(false),
  eth_getTransactionReceipt: getTransaction(true),
  eth_getBlockByNumber: getBlock(false),
  eth_getBlockByHash: getBlock(true),
  eth_getBlockReceipts: getBlockReceipts,
  eth_getLogs: getLogs,
  eth_newFilter: newFilter,
  eth_newBlockFilter: newBlockFilter,
  eth_newPendingTransactionFilter: newPendingTransactionFilter,
  eth_getFilterChanges: getFilterChanges,
  eth_getFilterLogs: getFilterLogs,
  eth_uninstallFilter: uninstallFilter,
  eth_simulateV1: simulateV1,
  debug_traceCall: debugTraceCall,
  debug_traceTransaction: debugTraceTransaction,
  ...DEV_METHODS,
};
