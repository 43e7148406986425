import type { Address } from "../primitives/hex.ts";
import type { Fork } from "./fork.ts";
import type { Frame } from "./frame.ts";
import type { Inspector } from "./inspector.ts";
import type { Journal } from "./journal.ts";
import type { InstructionTable } from "./opcodes/table.ts";
import type { Precompile } from "./precompiles/types.ts";
import type { BlockEnv, HaltReason } from "./types.ts";
import type { WorkBudget } from "./work.ts";

/** What every frame of one transaction shares. */
export interface Context {
  readonly fork: Fork;
  readonly table: InstructionTable;
  /** The precompiles by address: the fork's, or a simulation's (eth_simulateV1 may move them). */
  readonly precompiles: ReadonlyMap<Address, Precompile>;
  readonly journal: Journal;
  readonly block: BlockEnv;
  readonly origin: Address;
  /** The effective gas price, known once the transaction is validated. */
  gasPrice: bigint;
  readonly blobHashes: bigint[];
  readonly blobBaseFee: bigint;
  /** Set by a CALL/CREATE instruction: the frame to run next. */
  child: Frame | null;
  /** Bytes of memory over all live frames, and the sandbox's cap on it. */
  memoryLive: number;
  readonly memoryCap: number;
  /** Bytes left to all the runs that share this pool (RunLimits.memoryPool). */
  readonly memoryPool: { left: number };
  /** Jumps and calls left before the next look at the clock. */
  ticks: number;
  /** Epoch ms after which the run stops with `time_cap`; `now` reads the clock. */
  readonly deadline: number;
  readonly now: () => number;
  /** The work budget the run draws on (shared with other runs of a request), and what it drew. */
  readonly work: WorkBudget;
  workUsed: number;
  /** Watches the run (tracing); undefined for plain runs. */
  readonly inspector: Inspector | undefined;
  /**
   * Set when the run read what depends on the block it runs in (NUMBER, TIMESTAMP, PREVRANDAO,
   * BLOCKHASH): such a run's result holds only in that block, any other's in every block.
   */
  readsBlock: boolean;
  /** Set when a sandbox cap stopped the whole run (not one frame). */
  abort: HaltReason | undefined;
}
