import { HALT, type Frame } from "../evm/frame.ts";
import { gasNumber } from "../evm/gas-counter.ts";
import type { CallEnd, Inspector } from "../evm/inspector.ts";
import { wordAt } from "../evm/stack.ts";
import { bytesToHex, type Hex } from "../primitives/hex.ts";
import { callError } from "./geth-errors.ts";
import { asciiBytes, hexBytes, memberBytes, numberBytes, objectBytes } from "./json-size.ts";
import { TraceMeter } from "./meter.ts";
import { MemoryCaptures, StackCaptures, StorageCaptures } from "./struct-captures.ts";
import { StructLogColumns } from "./struct-log-columns.ts";

export type { StructLogJson } from "./struct-log-columns.ts";

export interface StructLoggerConfig {
  enableMemory?: boolean;
  disableStack?: boolean;
  disableStorage?: boolean;
  enableReturnData?: boolean;
  /** Most steps recorded (geth's `limit`); the run goes on without step hooks after them (`stepsDone`). */
  maxSteps?: number;
}

export interface StructLogResult {
  gas: number;
  failed: boolean;
  returnValue: Hex;
  /** Its JSON is geth's `structLogs` array (see StructLogColumns). */
  structLogs: StructLogColumns;
}

const SLOAD = 0x54;
const SSTORE = 0x55;
const CHECK_ERRORS = new Set(["out_of_gas", "stack_underflow", "stack_overflow"]);
const EMPTY = new Uint8Array(0);
/** A step's braces, separator and members pc, op, gas and depth, without their values' own characters. */
const STEP_BYTES = 2 + memberBytes("pc", 0) + memberBytes("op", asciiBytes("")) + memberBytes("gas", 0) + memberBytes("depth", 0);

/** Items from the top the instruction `op` may change: a DUP only reads (and pushes); anything else, what it reads. */
function changes(op: number, minStack: Uint8Array): number {
  return op >= 0x80 && op <= 0x8f ? 0 : minStack[op];
}

/**
 * geth's struct logger: an entry per instruction with the state before it ran and, once it ran
 * in its frame, its gas cost. Storage shows, at each SLOAD/SSTORE, the slots of the running
 * contract seen so far in this transaction.
 *
 * Each entry is counted on `meter` (JSON bytes) before it is built; once the meter is over, no
 * entry is built and the run stops (`stop`). Unchanged memory, storage and return data captures
 * are shared between entries, and so is the hex of unchanged stack items: the heap holds less
 * than the answer repeats.
 */
export class StructLogger implements Inspector {
  readonly logs = new StructLogColumns();
  /** `maxSteps` were kept: later steps are neither kept nor looked at (the plain loop runs them). */
  stepsDone = false;
  /** A step is started in `logs` and waits for its cost. */
  private pending = false;
  private pendingBytes = 0;
  private pendingPc = 0;
  private gasBefore = 0;
  private slot: bigint | undefined;
  private readonly stack = new StackCaptures();
  private readonly memory = new MemoryCaptures();
  private readonly storage = new StorageCaptures();
  private returnData: Uint8Array = EMPTY;
  private returnHex: Hex = "0x";
  private top: CallEnd | undefined;
  private depth = 0;

  constructor(
    private readonly config: StructLoggerConfig,
    readonly meter = new TraceMeter(),
  ) {}

  get stop(): "trace_cap" | undefined {
    return this.meter.stop;
  }

  step(f: Frame): void {
    this.pending = false;
    if (this.meter.over) return;
    if (this.logs.length >= (this.config.maxSteps ?? Infinity)) {
      this.stepsDone = true;
      return;
    }
    const c = this.config;
    const op = f.code.padded[f.pc];
    const names = f.ctx.table.names, name = names[op];
    const gas = gasNumber(f);
    const depth = f.depth + 1;
    // Its braces and separator in structLogs, then each member: gasCost and error come at stepEnd.
    let bytes = STEP_BYTES + name.length + numberBytes(f.pc) + numberBytes(gas) + numberBytes(depth);
    if (!c.disableStack) bytes += memberBytes("stack", objectBytes(this.stack.capture(f, changes(op, f.ctx.table.minStack))));
    const returnData = c.enableReturnData && f.returnData.length > 0;
    if (returnData) bytes += memberBytes("returnData", hexBytes(f.returnData.length));
    const memory = c.enableMemory && f.memory.size > 0;
    if (memory) bytes += MemoryCaptures.bytes(f);
    const refund = f.ctx.journal.refund;
    if (refund !== 0) bytes += memberBytes("refund", numberBytes(refund));
    this.slot = (op === SLOAD && f.sp >= 1) || (op === SSTORE && f.sp >= 2) ? wordAt(f, f.sp - 1) : undefined;
    const stores = op === SSTORE && this.slot !== undefined && !c.disableStorage;
    if (stores) bytes += this.storage.note(f.address, this.slot!, wordAt(f, f.sp - 2));
    if (!this.meter.add(bytes)) return this.stack.forget();

    this.logs.begin(f.pc, op, names, gas, depth, c.disableStack ? -1 : this.stack.kept);
    if (!c.disableStack) this.stack.pushChanged(this.logs);
    if (returnData || memory || refund !== 0 || stores) {
      this.logs.show({
        returnData: returnData ? this.returnHexOf(f.returnData) : undefined,
        memory: memory ? this.memory.capture(f) : undefined,
        refund,
        storage: stores ? this.storage.capture(f.address) : undefined,
      });
    }
    this.meter.steps++;
    this.pending = true;
    this.pendingBytes = bytes;
    this.pendingPc = f.pc;
    this.gasBefore = gas;
  }

  stepEnd(f: Frame): void {
    if (!this.pending) return;
    this.pending = false;
    const gasCost = this.gasBefore - gasNumber(f);
    let bytes = memberBytes("gasCost", numberBytes(gasCost));
    let error: string | undefined;
    if (f.status === HALT && f.haltReason !== undefined && CHECK_ERRORS.has(f.haltReason)) {
      error = callError({ status: "halted", haltReason: f.haltReason, output: EMPTY, gasLeft: 0n });
      bytes += memberBytes("error", asciiBytes(error!));
    }
    const loads = f.code.padded[this.pendingPc] === SLOAD && this.slot !== undefined && f.status !== HALT && !this.config.disableStorage;
    if (loads) bytes += this.storage.note(f.address, this.slot!, wordAt(f, f.sp - 1));
    if (!this.meter.add(bytes)) return this.giveBack();
    this.logs.end(gasCost, error, loads ? this.storage.capture(f.address) : undefined, this.pendingBytes + bytes);
  }

  /** The step will run again: forget it, and give back what it counted. */
  stepAbandoned(): void {
    if (!this.pending) return;
    this.pending = false;
    this.giveBack();
  }

  private giveBack(): void {
    this.meter.release(this.pendingBytes);
    this.meter.steps--;
    this.stack.forget();
  }

  enter(): void {
    this.depth++;
  }

  exit(e: CallEnd): void {
    if (--this.depth === 0) this.top = e;
  }

  /** The answer, or undefined when its last piece (the return value) would pass the meter's cap. */
  result(gasUsed: bigint): StructLogResult | undefined {
    const top = this.top;
    const failed = top !== undefined && top.status !== "success";
    const output = top === undefined || top.status === "halted" ? EMPTY : top.output;
    const gas = Number(gasUsed);
    const bytes = 1 + memberBytes("gas", numberBytes(gas)) + memberBytes("failed", failed ? 4 : 5) + memberBytes("returnValue", hexBytes(output.length)) + memberBytes("structLogs", this.logs.length === 0 ? 2 : 1);
    if (!this.meter.add(bytes)) return undefined;
    return { gas, failed, returnValue: bytesToHex(output), structLogs: this.logs };
  }

  private returnHexOf(data: Uint8Array): Hex {
    if (data !== this.returnData) {
      this.returnData = data;
      this.returnHex = bytesToHex(data);
    }
    return this.returnHex;
  }
}
