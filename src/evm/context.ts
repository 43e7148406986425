import type { Address } from "../primitives/hex.ts";
import type { Fork } from "./fork.ts";
import type { Frame } from "./frame.ts";
import type { Journal } from "./journal.ts";
import type { InstructionTable } from "./opcodes/table.ts";
import type { BlockEnv } from "./types.ts";

/** What every frame of one transaction shares. */
export interface Context {
  readonly fork: Fork;
  readonly table: InstructionTable;
  readonly journal: Journal;
  readonly block: BlockEnv;
  readonly origin: Address;
  /** The effective gas price, known once the transaction is validated. */
  gasPrice: bigint;
  readonly blobHashes: bigint[];
  readonly blobBaseFee: bigint;
  /** Set by a CALL/CREATE instruction: the frame to run next. */
  child: Frame | null;
}
