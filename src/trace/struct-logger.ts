import { HALT, type Frame } from "../evm/frame.ts";
import { gasNumber } from "../evm/gas-counter.ts";
import type { CallEnd, Inspector } from "../evm/inspector.ts";
import { wordAt } from "../evm/stack.ts";
import { bytesToHex, type Hex } from "../primitives/hex.ts";
import { callError } from "./geth-errors.ts";
import { asciiBytes, hexBytes, memberBytes, numberBytes, objectBytes } from "./json-size.ts";
import { TraceMeter } from "./meter.ts";
import { MemoryCaptures, StackCaptures, StorageCaptures } from "./struct-captures.ts";
import { WasmEntries } from "./struct-log-wasm.ts";
import { asciiOf, opMember, putBytes, putNumber, putText, putWords, SHARED, StructLogText, textOf, WORD_LOOP_BYTES, type Text } from "./struct-log-bytes.ts";

export type { StructLogJson } from "./struct-log-bytes.ts";

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
  /** Its JSON is geth's `structLogs` array (see StructLogText). */
  structLogs: StructLogText;
}

const SLOAD = 0x54;
const SSTORE = 0x55;
const CHECK_ERRORS = new Set(["out_of_gas", "stack_underflow", "stack_overflow"]);
const EMPTY = new Uint8Array(0);
/** A step's braces, separator and members pc, op, gas and depth, without their values' own characters. */
const STEP_BYTES = 2 + memberBytes("pc", 0) + memberBytes("op", asciiBytes("")) + memberBytes("gas", 0) + memberBytes("depth", 0);
const FIRST_PC = textOf('{"pc":');
const PC = textOf(',{"pc":');
const REFUND = textOf(',"refund":');
const STORAGE = textOf(',"storage":{');
const ERRORS = new Map<string, Text>();
/** Gas costs whose entry tail is kept made (most are below it). */
const CACHED_COSTS = 256;

/** Items from the top the instruction `op` may change: a DUP only reads (and pushes); anything else, what it reads. */
function changes(op: number, minStack: Uint8Array): number {
  return op >= 0x80 && op <= 0x8f ? 0 : minStack[op];
}

/** Bytes of a shown text that are shared, not copied (putShared). */
function sharedBytes(text: Uint8Array | undefined): number {
  return text !== undefined && text.length >= SHARED ? text.length : 0;
}

/** `,"op":"NAME","gas":` by opcode, for each instruction table's names. */
const OPS = new WeakMap<readonly string[], Text[]>();

function opTexts(names: readonly string[]): Text[] {
  let texts = OPS.get(names);
  if (texts === undefined) OPS.set(names, (texts = names.map((name) => textOf(opMember(name)))));
  return texts;
}

/** An entry's text from its gas to its stack's items: `,"gasCost":N,"depth":N,"stack":[` (without the stack if none is shown). */
function tailText(gasCost: number, depth: number, stack: boolean): Text {
  return textOf(`,"gasCost":${JSON.stringify(gasCost)},"depth":${depth}${stack ? ',"stack":[' : ""}`);
}

/** What a started step shows besides its numbers and stack (its storage, for an SLOAD, comes at its end). */
interface Shows {
  returnData: Uint8Array | undefined;
  memory: Uint8Array | undefined;
  refund: number;
  /** The text of the storage map's members (StorageCaptures). */
  storage: Uint8Array | undefined;
}

/**
 * geth's struct logger: an entry per instruction with the state before it ran and, once it ran
 * in its frame, its gas cost. Storage shows, at each SLOAD/SSTORE, the slots of the running
 * contract seen so far in this transaction.
 *
 * Each entry is counted on `meter` (JSON bytes) before it is written; once the meter is over,
 * nothing more is written and the run stops (`stop`). The entry is written as the answer's text
 * when its step ends (StructLogText); text repeated unchanged from step to step (memory, storage
 * and return data captures, the bottom of a deep stack) is shared, so the heap holds less than
 * the answer repeats.
 */
export class StructLogger implements Inspector {
  /** The entry writer on WebAssembly, when installed (else JavaScript writes every entry), and whether it knows the run's op names. */
  private readonly wasm = WasmEntries.create();
  private wasmNames = false;
  readonly logs = new StructLogText(this.wasm?.region);
  /** `maxSteps` were kept: later steps are neither kept nor looked at (the plain loop runs them). */
  stepsDone = false;
  private readonly maxSteps: number;
  /** A step is started and waits for its cost. */
  private pending = false;
  private pendingBytes = 0;
  private pendingPc = 0;
  private pendingOp = 0;
  private pendingDepth = 0;
  /** The run's op names, and their text (opTexts). */
  private names: readonly string[] | undefined;
  private ops: Text[] = [];
  /** Tails (tailText) of entries by depth, then gas cost. */
  private readonly tails: (Text | undefined)[][] = [];
  private gasBefore = 0;
  private slot: bigint | undefined;
  private readonly shows: Shows = { returnData: undefined, memory: undefined, refund: 0, storage: undefined };
  private readonly stack = new StackCaptures(this.wasm?.stackText);
  /** Where the last entry's stack text (from its `lastFrom`th byte, the rest shared) is: a chunk and an index. */
  private lastChunk = -1;
  private lastStack = 0;
  private lastFrom = 0;
  private readonly memory = new MemoryCaptures();
  private readonly storage = new StorageCaptures();
  private returnData: Uint8Array = EMPTY;
  private returnText: Uint8Array = EMPTY;
  private top: CallEnd | undefined;
  private depth = 0;

  constructor(
    private readonly config: StructLoggerConfig,
    readonly meter = new TraceMeter(),
  ) {
    this.maxSteps = config.maxSteps ?? Infinity;
  }

  get stop(): "trace_cap" | undefined {
    return this.meter.stop;
  }

  step(f: Frame): void {
    this.pending = false;
    if (this.meter.over) return;
    if (this.logs.length >= this.maxSteps) {
      this.stepsDone = true;
      return;
    }
    const c = this.config;
    const op = f.code.padded[f.pc];
    const names = f.ctx.table.names;
    const gas = gasNumber(f);
    const depth = f.depth + 1;
    // Its braces and separator in structLogs, then each member: gasCost and error come at stepEnd.
    let bytes = STEP_BYTES + names[op].length + numberBytes(f.pc) + numberBytes(gas) + numberBytes(depth);
    if (!c.disableStack) bytes += memberBytes("stack", this.stack.capture(f, changes(op, f.ctx.table.minStack)) + 2);
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

    const shows = this.shows;
    shows.returnData = returnData ? this.returnTextOf(f.returnData) : undefined;
    shows.memory = memory ? this.memory.capture(f) : undefined;
    shows.refund = refund;
    shows.storage = stores ? this.storage.capture(f.address) : undefined;
    if (names !== this.names) {
      this.names = names;
      this.ops = opTexts(names);
      this.wasmNames = this.wasm?.useNames(names) ?? false;
    }
    this.meter.steps++;
    this.pending = true;
    this.pendingBytes = bytes;
    this.pendingPc = f.pc;
    this.pendingOp = op;
    this.pendingDepth = depth;
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
    const loads = this.pendingOp === SLOAD && this.slot !== undefined && f.status !== HALT && !this.config.disableStorage;
    if (loads) bytes += this.storage.note(f.address, this.slot!, wordAt(f, f.sp - 1));
    if (!this.meter.add(bytes)) return this.giveBack();
    if (loads) this.shows.storage = this.storage.capture(f.address);
    this.write(gasCost, error, this.pendingBytes + bytes);
  }

  /**
   * Writes the started step's entry, of `bytes` bytes with its separator, to the log's text: a
   * common one (no shared stack bottom, memory, return data, storage or error) on WebAssembly
   * when it is installed, else in JavaScript.
   */
  private write(gasCost: number, error: string | undefined, bytes: number): void {
    const logs = this.logs, shows = this.shows, stack = this.stack;
    const withStack = !this.config.disableStack;
    if (this.wasmNames && error === undefined && shows.returnData === undefined && shows.memory === undefined && shows.storage === undefined && (!withStack || stack.frozenBytes === 0)) {
      const end = withStack ? stack.ends[stack.length] : 0;
      if (this.wasm!.write(logs, bytes, this.pendingPc, this.pendingOp, this.gasBefore, gasCost, this.pendingDepth, withStack ? 0 : -1, end, shows.refund)) {
        // The next entry written in JavaScript has no last entry's stack to copy.
        this.lastChunk = -1;
        return;
      }
    }
    // What is copied into the log's chunk: all but the pieces shared.
    let copied = bytes;
    if (withStack) copied -= this.stack.frozenBytes;
    copied -= sharedBytes(shows.returnData) + sharedBytes(shows.memory) + sharedBytes(shows.storage);
    logs.room(copied);
    const buf = logs.buf, view = logs.view;
    let at = putText(view, logs.at, logs.length > 0 ? PC : FIRST_PC);
    at = putNumber(view, at, this.pendingPc);
    at = putText(view, at, this.ops[this.pendingOp]);
    at = putNumber(view, at, this.gasBefore);
    at = putText(view, at, this.tailOf(gasCost, this.pendingDepth, withStack));
    if (withStack) at = this.putStack(at);
    if (shows.returnData !== undefined) at = this.putShared(at, shows.returnData);
    if (shows.memory !== undefined) at = this.putShared(at, shows.memory);
    if (shows.refund !== 0) {
      at = putText(view, at, REFUND);
      at = putNumber(view, at, shows.refund);
    }
    if (shows.storage !== undefined) {
      at = putText(view, at, STORAGE);
      at = this.putShared(at, shows.storage);
      buf[at++] = 0x7d;
    }
    if (error !== undefined) at = putText(view, at, errorText(error));
    buf[at++] = 0x7d;
    logs.at = at;
    logs.kept(bytes);
  }

  private tailOf(gasCost: number, depth: number, stack: boolean): Text {
    if (!(gasCost >= 0 && gasCost < CACHED_COSTS && (gasCost | 0) === gasCost)) return tailText(gasCost, depth, stack);
    const byCost = (this.tails[depth] ??= []);
    return (byCost[gasCost] ??= tailText(gasCost, depth, stack));
  }

  /**
   * Writes the stack's text and its closing bracket at `at` in the log's chunk; answers where it
   * ends. The items it keeps from the last entry are copied from that entry's text when it is in
   * the same chunk, the rest from the capture; a frozen bottom is shared. Short ranges go a word
   * at a store, long ones as one native copy.
   */
  private putStack(at: number): number {
    const logs = this.logs, stack = this.stack, from = stack.frozenBytes;
    if (from > 0) {
      logs.at = at;
      for (const segment of stack.frozen) logs.share(segment);
    }
    const buf = logs.buf, view = logs.view, start = at;
    const keptEnd = stack.ends[stack.kept], end = stack.ends[stack.length];
    let copyFrom = from;
    if (keptEnd > from && this.lastChunk === logs.chunks && this.lastFrom === from) {
      if (keptEnd - from > WORD_LOOP_BYTES) buf.copyWithin(at, this.lastStack, this.lastStack + keptEnd - from);
      else putWords(view, at, view, this.lastStack, this.lastStack + keptEnd - from);
      at += keptEnd - from;
      copyFrom = keptEnd;
    }
    if (end - copyFrom > WORD_LOOP_BYTES) {
      buf.set(stack.text.subarray(copyFrom, end), at);
      at += end - copyFrom;
    } else at = putWords(view, at, stack.view, copyFrom, end);
    this.lastChunk = logs.chunks;
    this.lastStack = start;
    this.lastFrom = from;
    buf[at] = 0x5d;
    return at + 1;
  }

  /** Writes `text` at `at` in the log's chunk, or shares it when it is long. */
  private putShared(at: number, text: Uint8Array): number {
    const logs = this.logs;
    if (text.length < SHARED) return putBytes(logs.buf, at, text);
    logs.at = at;
    logs.share(text);
    return logs.at;
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
    this.logs.seal();
    return { gas, failed, returnValue: bytesToHex(output), structLogs: this.logs };
  }

  /** `,"returnData":"0x…"` of `data`, made again only for other data. */
  private returnTextOf(data: Uint8Array): Uint8Array {
    if (data !== this.returnData) {
      this.returnData = data;
      this.returnText = asciiOf(`,"returnData":"${bytesToHex(data)}"`);
    }
    return this.returnText;
  }
}

/** `,"error":"…"` of a step's error. */
function errorText(error: string): Text {
  let text = ERRORS.get(error);
  if (text === undefined) ERRORS.set(error, (text = textOf(`,"error":${JSON.stringify(error)}`)));
  return text;
}
