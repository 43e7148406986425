import type { BlockEnv, Log, TxResult } from "../evm/types.ts";
import { bigIntToBytes } from "../primitives/bytes.ts";
import { hexToBytes, type Address, type Hex } from "../primitives/hex.ts";
import { MOVES_VALUE } from "../trace/assets.ts";
import type { TransferFrameJson } from "../trace/call-tracer.ts";
import type { ReadChain } from "./view.ts";
import type { ExecMeter } from "./meter.ts";
import { applyStateOverrides, overrideBlock, type BlockOverrides, type StateOverrides } from "./overrides.ts";
import { readOnly } from "./read-only.ts";
import { traceMeter, traceRun, type TraceRequest, type TraceResult } from "./trace.ts";
import { buildTx, txHash, type TxRequest } from "./tx.ts";

/** One simulated block of eth_simulateV1. */
export interface BlockStateCall {
  blockOverrides?: BlockOverrides;
  stateOverrides?: StateOverrides;
  calls: TxRequest[];
}

export interface SimulatedCall {
  result: TxResult;
  hash: Hex;
  /** The call's logs; with traceTransfers, ether movements appear among them as ERC-20-style Transfer logs of 0xeeee…eeee. */
  logs: Log[];
  trace?: TraceResult;
}

export interface SimulatedBlock {
  env: BlockEnv;
  calls: SimulatedCall[];
}

/** The pseudo-token address eth_simulateV1 uses for ether transfers (ERC-7528). */
export const ETHER_ADDRESS = "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee" as Address;
const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef" as Hex;

/**
 * eth_simulateV1: blocks in sequence on one private overlay, each after the one before (number
 * +1 and time + the block interval unless overridden), each with its state overrides, its calls
 * in order. Nothing is committed. With `trace`, each call also carries that trace; the tracers of
 * all calls count on one meter.
 */
export function simulateBlocks(chain: ReadChain, exec: ExecMeter, blocks: BlockStateCall[], opts: { validation: boolean; traceTransfers: boolean; trace?: TraceRequest }, meter = exec.trace ?? traceMeter()): Promise<SimulatedBlock[]> {
  const config = exec.config;
  return readOnly(chain, config, async (source, latest) => {
    const out: SimulatedBlock[] = [];
    let parent = latest;
    for (const b of blocks) {
      const next = { ...parent, number: parent.number + 1n, timestamp: parent.timestamp + config.blockTimeSeconds };
      const env = overrideBlock(next, b.blockOverrides);
      if (env.number <= parent.number || env.timestamp <= parent.timestamp) throw new SimulateError("block numbers and timestamps must increase from block to block", "invalid_block_overrides");
      await applyStateOverrides(source, b.stateOverrides);
      const calls: SimulatedCall[] = [];
      for (const req of b.calls) {
        await source.load([{ kind: "account", address: req.from }]);
        const tx = buildTx(req, source.info(req.from)?.nonce ?? 0n, chain.id);
        const traced = await traceRun(source, tx, env, opts.validation, exec, opts.trace, meter);
        const r = traced.result;
        const logs = r.valid && opts.traceTransfers && traced.calls ? withTransfers(traced.calls) : r.valid ? r.logs : [];
        calls.push({ result: r, hash: txHash(tx), logs, trace: traced.trace });
        if (r.valid) source.overlay(r.changes);
      }
      out.push({ env, calls });
      parent = env;
    }
    return out;
  });
}

export class SimulateError extends Error {
  override name = "Exec.SimulateError";
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/** The logs of a call tree in execution order, with a Transfer log of ETHER_ADDRESS wherever ether moved. */
function withTransfers(root: TransferFrameJson): Log[] {
  const out: Log[] = [];
  const word = (a: Address) => `0x${a.slice(2).padStart(64, "0")}` as Hex;
  const walk = (f: TransferFrameJson) => {
    if (f.error !== undefined) return;
    const value = f.value === undefined ? 0n : BigInt(f.value);
    if (value !== 0n && MOVES_VALUE.has(f.type) && f.to !== undefined) out.push({ address: ETHER_ADDRESS, topics: [TRANSFER_TOPIC, word(f.from), word(f.to)], data: bigIntToBytes(value, 32) });
    const calls = f.calls ?? [];
    const logs = f.logs ?? [];
    let li = 0;
    for (let ci = 0; ci <= calls.length; ci++) {
      while (li < logs.length && Number(logs[li].position) === ci) {
        const l = logs[li++];
        out.push({ address: l.address, topics: l.topics, data: hexToBytes(l.data) });
      }
      if (ci < calls.length) walk(calls[ci]);
    }
  };
  walk(root);
  return out;
}
