import { CAPS } from "../../exec/caps.ts";
import { currentBlock } from "../../exec/block.ts";
import { runSimulateBlocks } from "../../exec/runs.ts";
import { needScope } from "../../exec/scopes.ts";
import { SimulateError, type SimulatedBlock, type SimulatedCall } from "../../exec/simulate-blocks.ts";
import { txRecord } from "../../exec/tx-record.ts";
import { bigIntToHex, bytesToHex, type Hex } from "../../primitives/hex.ts";
import { haltError } from "../../trace/geth-errors.ts";
import { RpcError } from "./errors.ts";
import { executionError, type Method } from "./execution.ts";
import { params } from "./params.ts";
import { SIMULATE_LIMITS, simulatePayload } from "./simulate-params.ts";
import { notWrittenAfter, stateBlock } from "./state-block.ts";

/** geth's code for a call that ran and failed other than by reverting. */
const VM_ERROR = -32015;

/**
 * eth_simulateV1 (execution-apis): blocks after the block the second param names (the latest by
 * default; a later one is `header not found`; an older one is simulated from when nothing it reads
 * was written after it), with the specification's error codes. See src/exec/simulate-blocks.ts.
 */
export const simulateV1: Method = async (ctx, key, raw) => {
  needScope(key, "simulate");
  const [payloadRaw, tag] = params(raw, 1, 2);
  const chainId = ctx.view?.id ?? ctx.chain.id;
  const p = simulatePayload(payloadRaw, CAPS.callDataBytes, chainId);
  const at = await stateBlock(ctx, tag);
  const base = at === undefined ? undefined : currentBlock(ctx.chain.id, ctx.config, Number(ctx.config.genesisTime + at * ctx.config.blockTimeSeconds) * 1000).env;
  let blocks: SimulatedBlock[];
  try {
    blocks = await runSimulateBlocks(ctx, p.blocks, {
      validation: p.validation,
      traceTransfers: p.traceTransfers,
      base,
      readAt: at === undefined ? undefined : (stamp) => notWrittenAfter(ctx, stamp, at),
      gasLeft: () => ctx.budget.gasLeft(),
      maxBlocks: SIMULATE_LIMITS.blocks,
    });
  } catch (e) {
    if (e instanceof SimulateError) throw new RpcError(e.rpcCode, e.message, { code: e.code });
    throw e;
  }
  return blocks.map((b) => presentBlock(b, p.returnFullTransactions));
};

function presentBlock(b: SimulatedBlock, full: boolean) {
  const number = bigIntToHex(b.env.number), timestamp = bigIntToHex(b.env.timestamp);
  let logIndex = 0;
  const calls = b.calls.map((c, i) => {
    const logs = c.logs.map((l) => ({
      address: l.address, topics: l.topics, data: bytesToHex(l.data), blockNumber: number, transactionHash: c.hash, transactionIndex: bigIntToHex(BigInt(i)),
      blockHash: b.hash, blockTimestamp: timestamp, logIndex: bigIntToHex(BigInt(logIndex++)), removed: false,
    }));
    return { ...callResult(c), logs };
  });
  const transactions = full
    ? b.calls.map((c, i) => ({ ...txRecord(c.tx, c.hash, c.result, b.env.baseFee).json, blockHash: b.hash, blockNumber: number, blockTimestamp: timestamp, transactionIndex: bigIntToHex(BigInt(i)) }))
    : b.calls.map((c): Hex => c.hash);
  return { ...b.header, transactions, calls };
}

/** A call's result: its output on success; a revert's data in `error.data` (returnData `0x`), as geth. */
function callResult(c: SimulatedCall) {
  const r = c.result;
  const out: Record<string, unknown> = { returnData: r.status === "success" ? bytesToHex(r.output) : "0x", gasUsed: bigIntToHex(r.gasUsed), maxUsedGas: bigIntToHex(c.maxUsedGas), status: r.status === "success" ? "0x1" : "0x0" };
  if (r.status === "reverted") {
    const e = executionError(r)!;
    out.error = { message: e.message, code: 3, data: bytesToHex(r.output) };
  } else if (r.status === "halted") {
    out.error = { message: haltError(r.haltReason) + (c.capped ? " (gas limit was capped by the request's gas budget)" : ""), code: VM_ERROR };
  }
  return out;
}
