import type { BlockEnv } from "../evm/types.ts";
import type { BlockStateCall } from "./simulate-blocks.ts";

/** A refusal of eth_simulateV1, with the specification's JSON-RPC code (-380xx) and a stable code. */
export class SimulateError extends Error {
  override name = "Exec.SimulateError";
  constructor(readonly rpcCode: number, message: string, readonly code: string) {
    super(message);
  }
}

/** A block the simulation will build: the caller's, or an empty one filling a gap. */
export interface PlannedBlock {
  number: bigint;
  time: bigint;
  /** Absent for a gap block. */
  input?: BlockStateCall;
}

/**
 * The blocks after `base` (geth's sanitizeChain): each number after the one before (the next
 * by default; -38020 when not after), numbers skipped filled with empty blocks, each time after
 * the one before (the block interval later by default; -38021 when not after), at most
 * `maxBlocks` blocks past the base (-38026).
 */
export function nextBlocks(blocks: BlockStateCall[], base: BlockEnv, interval: bigint, maxBlocks: number): PlannedBlock[] {
  const out: PlannedBlock[] = [];
  let number = base.number, time = base.timestamp;
  for (const input of blocks) {
    const o = input.blockOverrides;
    const n = o?.number ?? number + 1n;
    if (n <= number) throw new SimulateError(-38020, `block numbers must be in order: ${n} <= ${number}`, "block_number_not_increasing");
    if (n - base.number > BigInt(maxBlocks)) throw new SimulateError(-38026, `too many blocks: at most ${maxBlocks} after the base block`, "too_many_blocks");
    for (let gap = number + 1n; gap < n; gap++) {
      time += interval;
      out.push({ number: gap, time });
    }
    const t = o?.time ?? time + interval;
    if (o?.time !== undefined && t <= time) throw new SimulateError(-38021, `block timestamps must be in order: ${t} <= ${time}`, "block_time_not_increasing");
    out.push({ number: n, time: t, input });
    number = n;
    time = t;
  }
  return out;
}
