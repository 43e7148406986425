import { HALT, type Frame } from "../evm/frame.ts";
import { totalGas } from "../evm/gas-counter.ts";
import type { CallEnd, Inspector } from "../evm/inspector.ts";
import { bigIntToHex, bytesToHex, wordToHex, type Hex } from "../primitives/hex.ts";
import { callError } from "./geth-errors.ts";

/** One step of geth's struct logger ("opcode" tracer), field for field. */
export interface StructLogJson {
  pc: number;
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  error?: string;
  stack?: Hex[];
  returnData?: Hex;
  memory?: Hex[];
  storage?: Record<Hex, Hex>;
  refund?: number;
}

export interface StructLoggerConfig {
  enableMemory?: boolean;
  disableStack?: boolean;
  disableStorage?: boolean;
  enableReturnData?: boolean;
  /** Most steps recorded; later steps are counted, not kept (see `truncated`). */
  maxSteps: number;
}

export interface StructLogResult {
  gas: number;
  failed: boolean;
  returnValue: Hex;
  structLogs: StructLogJson[];
}

const SLOAD = 0x54;
const SSTORE = 0x55;
const CHECK_ERRORS = new Set(["out_of_gas", "stack_underflow", "stack_overflow"]);

/**
 * geth's struct logger: an entry per instruction with the state before it ran and, once it ran
 * in its frame, its gas cost. Storage shows, at each SLOAD/SSTORE, the slots of the running
 * contract seen so far in this transaction.
 */
export class StructLogger implements Inspector {
  readonly logs: StructLogJson[] = [];
  /** Steps beyond `maxSteps`, which are not kept. */
  truncated = 0;
  private pending: StructLogJson | undefined;
  private gasBefore = 0;
  private slot: bigint | undefined;
  private readonly storage = new Map<string, Map<bigint, bigint>>();
  private top: CallEnd | undefined;
  private depth = 0;
  /** The words of the last stack converted to hex, by position, and their hex. */
  private readonly lastWords: (bigint | undefined)[] = [];
  private readonly lastHex: Hex[] = [];

  constructor(private readonly config: StructLoggerConfig) {}

  step(f: Frame): void {
    if (this.logs.length >= this.config.maxSteps) {
      this.pending = undefined;
      this.truncated++;
      return;
    }
    const op = f.code.padded[f.pc];
    const gas = gasOf(f);
    const entry: StructLogJson = { pc: f.pc, op: f.ctx.table.names[op], gas, gasCost: 0, depth: f.depth + 1 };
    if (!this.config.disableStack) entry.stack = this.stackHex(f);
    if (this.config.enableReturnData && f.returnData.length > 0) entry.returnData = bytesToHex(f.returnData);
    if (this.config.enableMemory && f.memory.size > 0) entry.memory = memoryWords(f);
    const refund = f.ctx.journal.refund;
    if (refund !== 0) entry.refund = refund;
    this.slot = (op === SLOAD && f.sp >= 1) || (op === SSTORE && f.sp >= 2) ? f.stack[f.sp - 1] : undefined;
    if (op === SSTORE && this.slot !== undefined && !this.config.disableStorage) this.recordSlot(f, entry, this.slot, f.stack[f.sp - 2]);
    this.pending = entry;
    this.gasBefore = gas;
  }

  stepEnd(f: Frame): void {
    const entry = this.pending;
    if (entry === undefined) return;
    this.pending = undefined;
    entry.gasCost = this.gasBefore - gasOf(f);
    if (f.status === HALT && f.haltReason !== undefined && CHECK_ERRORS.has(f.haltReason)) {
      entry.error = callError({ status: "halted", haltReason: f.haltReason, output: new Uint8Array(0), gasLeft: 0n });
    }
    const op = f.code.padded[entry.pc];
    if (op === SLOAD && this.slot !== undefined && f.status !== HALT && !this.config.disableStorage) this.recordSlot(f, entry, this.slot, f.stack[f.sp - 1]);
    this.logs.push(entry);
  }

  stepAbandoned(): void {
    this.pending = undefined;
  }

  enter(): void {
    this.depth++;
  }

  exit(e: CallEnd): void {
    if (--this.depth === 0) this.top = e;
  }

  result(gasUsed: bigint): StructLogResult {
    const top = this.top;
    const failed = top !== undefined && top.status !== "success";
    const returnValue = top === undefined || top.status === "halted" ? "0x" : bytesToHex(top.output);
    return { gas: Number(gasUsed), failed, returnValue, structLogs: this.logs };
  }

  /**
   * The stack as hex. An instruction changes a few words at the top, so the words below keep the
   * hex of the previous step (a stack slot holding the same value), converted once.
   */
  private stackHex(f: Frame): Hex[] {
    const words = this.lastWords, hex = this.lastHex, s = f.stack;
    const out: Hex[] = new Array(f.sp);
    for (let i = 0; i < f.sp; i++) {
      const w = s[i];
      if (words[i] !== w) {
        words[i] = w;
        hex[i] = bigIntToHex(w);
      }
      out[i] = hex[i];
    }
    return out;
  }

  private recordSlot(f: Frame, entry: StructLogJson, slot: bigint, value: bigint): void {
    let slots = this.storage.get(f.address);
    if (slots === undefined) this.storage.set(f.address, (slots = new Map()));
    slots.set(slot, value);
    const snapshot: Record<Hex, Hex> = {};
    for (const [k, v] of slots) snapshot[wordToHex(k)] = wordToHex(v);
    entry.storage = snapshot;
  }
}

/** A frame's gas as a number, without a bigint unless it holds gas above 2^52. */
function gasOf(f: Frame): number {
  return f.gasHi === 0n ? f.gas : Number(totalGas(f));
}

function memoryWords(f: Frame): Hex[] {
  const words: Hex[] = [];
  const buf = f.memory.buf;
  for (let i = 0; i < f.memory.size; i += 32) words.push(bytesToHex(buf.subarray(i, i + 32)));
  return words;
}
