import { decodeRawTx } from "../../evm/tx/raw.ts";
import type { Address } from "../../primitives/hex.ts";
import { hexToBytes } from "../../primitives/hex.ts";
import type { RunKind } from "../../records/run.ts";

/** Methods that run the EVM (or query the run log), and the kind of run each makes. */
const RUNS: Record<string, RunKind> = {
  eth_call: "call",
  eth_estimateGas: "simulate",
  eth_createAccessList: "simulate",
  debug_traceCall: "simulate",
  debug_traceTransaction: "simulate",
  eth_simulateV1: "simulate",
  eth_getLogs: "query",
  eth_getFilterLogs: "query",
  eth_getFilterChanges: "query",
  eth_getBlockReceipts: "query",
  eth_getBlockByNumber: "query",
  eth_getBlockByHash: "query",
  eth_feeHistory: "query",
};

export interface RpcAsk {
  items: number;
  runs: { kind: RunKind; gas: bigint; gasDefaulted: boolean }[];
  /** Accounts the body sends from ("key": the key's own account). */
  senders: (Address | "key")[];
}

/**
 * What a JSON-RPC body will ask of its project, read before admission without validating it:
 * one rate-limit token per request of a batch, the runs its methods will make (a call's own gas
 * when it names one, else the cap; a raw transaction's gas limit and signer), so that admission
 * holds enough credit in its one round trip. Malformed requests ask for nothing here and are
 * refused by their method.
 */
export function rpcAsk(body: unknown, cap: bigint): RpcAsk {
  const reqs = Array.isArray(body) ? body : [body];
  const ask: RpcAsk = { items: Math.max(1, reqs.length), runs: [], senders: [] };
  for (const r of reqs) {
    if (typeof r !== "object" || r === null) continue;
    const { method, params } = r as { method?: unknown; params?: unknown };
    if (typeof method !== "string") continue;
    const p = Array.isArray(params) ? params : [];
    if (method === "eth_sendRawTransaction") sendOf(p[0], ask);
    else if (method === "eth_sendTransaction") unsignedSendOf(p[0], cap, ask);
    else if (/^(anvil|hardhat)_set(Balance|Nonce|Code|StorageAt)$/.test(method)) ask.runs.push({ kind: "send", gas: 0n, gasDefaulted: false });
    else if (Object.hasOwn(RUNS, method)) ask.runs.push({ kind: RUNS[method], gas: RUNS[method] === "query" ? 0n : gasOf(p[0], cap), gasDefaulted: true });
  }
  return ask;
}

/** A call's `gas` when it names a valid one under the cap, else the cap. */
function gasOf(call: unknown, cap: bigint): bigint {
  const g = typeof call === "object" && call !== null ? (call as { gas?: unknown }).gas : undefined;
  if (typeof g !== "string" || !/^0x[0-9a-fA-F]{1,16}$/.test(g)) return cap;
  const n = BigInt(g);
  return n < cap ? n : cap;
}

function sendOf(raw: unknown, ask: RpcAsk): void {
  if (typeof raw !== "string" || !/^0x([0-9a-fA-F]{2})+$/.test(raw) || raw.length > 2 * 300_000) return;
  try {
    const { tx } = decodeRawTx(hexToBytes(raw));
    ask.runs.push({ kind: tx.to === null ? "deploy" : "send", gas: tx.gasLimit, gasDefaulted: true });
    ask.senders.push(tx.from);
  } catch {
    // Refused by the method with its own error.
  }
}

/** eth_sendTransaction: from the key's account or an impersonated one (src/api/rpc/dev-methods.ts). */
function unsignedSendOf(call: unknown, cap: bigint, ask: RpcAsk): void {
  if (typeof call !== "object" || call === null) return;
  const { from, to } = call as { from?: unknown; to?: unknown };
  ask.runs.push({ kind: to === undefined || to === null ? "deploy" : "send", gas: gasOf(call, cap), gasDefaulted: true });
  ask.senders.push(typeof from === "string" && /^0x[0-9a-fA-F]{40}$/.test(from) ? (from.toLowerCase() as Address) : "key");
}
