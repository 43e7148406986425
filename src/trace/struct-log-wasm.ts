import { STACK_LIMIT } from "../evm/gas.ts";
import type { StackText } from "./struct-captures.ts";
import { decimals, HEX2, opMember, SLACK, type StructLogText } from "./struct-log-bytes.ts";
import { DECIMALS_AT, ENTRY_MAX, HEX_AT, LIMBS_AT, OP_LENGTHS, OP_SLOT, OPS_AT, OUT_AT, OUT_SIZE, STACK_AT, STACK_TEXT } from "./wasm/layout.ts";

/** What trace.wasm exports (scripts/build-trace-wasm.ts). */
interface TraceWasm {
  memory: WebAssembly.Memory;
  entry(at: number, first: number, pc: number, op: number, gas: number, gasCost: number, depth: number, from: number, end: number, refund: number): number;
  limbs(at: number, o: number): number;
}

let traceModule: WebAssembly.Module | undefined;

/**
 * Lets struct loggers write their entries on trace.wasm. The host compiles the module: workerd
 * only from a module bundled with the Worker (src/index.ts imports trace.wasm), Node from its
 * bytes (src/cli/wasm.ts). Without it (or after `installTraceWasm(undefined)`) the JavaScript
 * writer runs, with the same text.
 */
export function installTraceWasm(module: WebAssembly.Module | undefined): void {
  traceModule = module;
}

export function traceWasmInstalled(): boolean {
  return traceModule !== undefined;
}

/** The largest integer a float64 holds exactly: larger numbers (and fractions) are written by JavaScript. */
const EXACT = 2 ** 53;

function whole(n: number): boolean {
  return n >= 0 && n <= EXACT && Math.floor(n) === n;
}

/**
 * A struct logger's entry writer on WebAssembly: its own instance (runs of several requests
 * interleave in an isolate, so no two loggers share one), whose memory holds the op names'
 * text, the stack capture's text and limbs (StackCaptures keeps them there), and the log's chunk
 * (`region`: StructLogText copies its text out when it is full or read). The memory never grows:
 * the views made here stay valid.
 *
 * It writes the common entry: pc, op, gas, gasCost, depth, a stack whose text is all in the
 * capture (no shared bottom) and a refund. JavaScript writes anything else (memory, storage,
 * return data, an error) into the same chunk.
 */
export class WasmEntries {
  /** The stack capture's text (STACK_TEXT bytes, with its slack) and limbs, and the writer of a wide item's text, here. */
  readonly stackText: StackText;
  /** The log's chunk: OUT_SIZE bytes and slack (written past by up to 15 bytes, within the memory's OUT_SLACK). */
  readonly region: Uint8Array;
  private readonly entry: TraceWasm["entry"];
  private names: readonly string[] | undefined;
  /** Whether every op's text fits its slot (else JavaScript writes the entries of these names). */
  private namesFit = false;

  /** A writer of its own, or undefined when the module is not installed. */
  static create(): WasmEntries | undefined {
    return traceModule === undefined ? undefined : new WasmEntries(traceModule);
  }

  private constructor(module: WebAssembly.Module) {
    const e = new WebAssembly.Instance(module, {}).exports as unknown as TraceWasm;
    const buffer = e.memory.buffer;
    new Uint32Array(buffer, DECIMALS_AT, 10_000).set(decimals());
    new Uint16Array(buffer, HEX_AT, 256).set(HEX2);
    this.stackText = { text: new Uint8Array(buffer, STACK_AT, STACK_TEXT), limbs: new Int32Array(buffer, LIMBS_AT, 8 * STACK_LIMIT), putLimbs: e.limbs };
    this.region = new Uint8Array(buffer, OUT_AT, OUT_SIZE + SLACK);
    this.entry = e.entry;
  }

  /** Whether entries of the run's op `names` can be written here (their text written into the table once). */
  useNames(names: readonly string[]): boolean {
    if (names === this.names) return this.namesFit;
    this.names = names;
    const buffer = this.region.buffer, texts = new Uint8Array(buffer, OPS_AT, 256 * OP_SLOT), lengths = new Uint8Array(buffer, OP_LENGTHS, 256);
    texts.fill(0);
    this.namesFit = names.length === 256;
    for (let op = 0; op < names.length && this.namesFit; op++) {
      const text = opMember(names[op]);
      this.namesFit = text.length <= OP_SLOT && /^[\x20-\x7e]*$/.test(text);
      for (let i = 0; i < text.length; i++) texts[op * OP_SLOT + i] = text.charCodeAt(i);
      lengths[op] = text.length;
    }
    return this.namesFit;
  }

  /**
   * Writes an entry of `bytes` bytes (with its separator) to `logs` (whose chunk is `region`),
   * when it is one this writer writes (numbers whole, from 0 to 2^53, and not too long); answers
   * whether it did. `from` < 0: no stack; `refund` 0: none shown.
   */
  write(logs: StructLogText, bytes: number, pc: number, op: number, gas: number, gasCost: number, depth: number, from: number, end: number, refund: number): boolean {
    if (!(bytes <= ENTRY_MAX && whole(gas) && whole(gasCost) && whole(refund))) return false;
    logs.room(bytes);
    logs.at = this.entry(logs.at, logs.length === 0 ? 1 : 0, pc, op, gas, gasCost, depth, from, end, refund);
    logs.kept(bytes);
    return true;
  }
}
