import type { Address } from "../../primitives/hex.ts";
import { bytesToHex, hexToBytes } from "../../primitives/hex.ts";
import { Fork } from "../../evm/fork.ts";
import type { Inspector } from "../../evm/inspector.ts";
import { TxRun, type RunLimits } from "../../evm/run.ts";
import { intrinsicGas } from "../../evm/tx/intrinsic.ts";
import type { Tx } from "../../evm/types.ts";
import { MemoryState } from "../../state/memory.ts";

/** The corpus's calling context: caller/origin and target, caller and target warm. */
export const CALLER = "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b" as Address;
export const TARGET = "0xbe7c43a580000000000000000000000000000001" as Address;

export interface RunOutcome {
  output: string;
  /** Gas used by execution alone: before refunds, without the intrinsic cost. */
  execGas: number;
  /** The engine's own measure of the run's time (ms), when the wall time around it would include a harness. */
  ms?: number;
  /** Ours: the work units the run counted, and why it halted if it did. */
  work?: number;
  haltReason?: string;
}

/**
 * An outcome whose output's hex is made when it is read (the comparisons after the timed runs),
 * not in every timed run: revm's harness times the run alone, and a long output's hex cost
 * swap_math 2.4% of its time. A class: an object literal with a getter and a spread cost a
 * STOP call 10% of its time.
 */
class LazyOutcome implements RunOutcome {
  constructor(
    private readonly bytes: Uint8Array,
    readonly execGas: number,
    readonly work?: number,
    readonly haltReason?: string,
  ) {}

  get output(): string {
    return bytesToHex(this.bytes).slice(2);
  }
}

export function outcomeOf(output: Uint8Array, execGas: number, work?: number, haltReason?: string): RunOutcome {
  return new LazyOutcome(output, execGas, work, haltReason);
}

/**
 * `prepare` builds fresh state (not timed), `run` executes (timed). `reusable`: a prepared state
 * can serve many runs, because runs never mutate it (ours: results are returned as changes).
 */
export interface Engine {
  name: string;
  reusable: boolean;
  prepare(code: Uint8Array, calldata: Uint8Array, gasLimit: number): Promise<{ run(): RunOutcome | Promise<RunOutcome> }>;
}

const BLOCK = {
  number: 1n,
  timestamp: 1_700_000_000n,
  coinbase: "0x0000000000000000000000000000000000000000" as Address,
  gasLimit: 1n << 62n,
  baseFee: 0n,
  prevRandao: 0n,
  excessBlobGas: 0n,
  chainId: 1n,
};

/**
 * Our EVM, as a transaction without fee rules, so caller, target and precompiles are warm;
 * `inspector` (made afresh per run) watches it, as tracing does. Prague, as @ethereumjs/evm in
 * the corpus comparison; the worst-case bench runs the service's fork, with `limits` (made afresh
 * per run) as the service sets them.
 */
export function oursEngine(name = "ours", inspector?: () => Inspector, fork: Fork = Fork.Prague, limits?: () => RunLimits): Engine {
  return {
    name,
    reusable: true,
    async prepare(code, calldata, gasLimit) {
      const tx: Tx = {
        type: 0, from: CALLER, to: TARGET, nonce: 0n, gasLimit: 0n, gasPrice: 0n, value: 0n, data: calldata,
        accessList: [], blobVersionedHashes: [], authorizationList: [],
      };
      const { intrinsic } = intrinsicGas(tx, fork);
      tx.gasLimit = intrinsic + BigInt(gasLimit);
      const state = new MemoryState();
      state.setAccount(CALLER, { balance: 0n });
      state.setAccount(TARGET, { code, nonce: 1n });
      return {
        run() {
          const r = new TxRun({ source: state, tx, block: BLOCK, fork, validate: false, inspector: inspector?.(), limits: limits?.() }).step();
          if (!r.done || !r.result.valid) throw new Error(`ours: run did not complete: ${JSON.stringify(r.done ? r.result : r.needs)}`);
          const res = r.result;
          return outcomeOf(res.output, Number(res.gasUsed + res.gasRefunded - intrinsic), res.work, res.haltReason);
        },
      };
    },
  };
}

export const ours = oursEngine();

export { hexToBytes };
