import type { Hex } from "../primitives/hex.ts";
import { holeFor, type SlicedJsonValue } from "../primitives/json-holes.ts";
import { itemHex, jsonNumber, LastJson, quoted, StackText, type StackItem } from "./struct-log-text.ts";

/** One step of geth's struct logger ("opcode" tracer), field for field, in geth's order. */
export interface StructLogJson {
  pc: number;
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: Hex[];
  returnData?: Hex;
  memory?: Hex[];
  refund?: number;
  storage?: Record<Hex, Hex>;
  error?: string;
}

/** What a step shows besides its numbers; `undefined` members are left out of its JSON. */
export interface StepShows {
  returnData?: Hex;
  memory?: Hex[];
  refund: number;
  storage?: Record<Hex, Hex>;
}

const NONE = -1;
const FIRST_CAPACITY = 1024;
/** Entries an answer writes at a time. */
const SLICE = 1000;
/** Entries written into one flat string before the next (see jsonSlices). */
const CHUNK = 100;
/** Chars of a chunk above which it is not flattened (see jsonSlices). */
const FLAT_CHUNK = 256 * 1024;

/** What writing the entries keeps from step to step. */
interface StepWriter {
  stack: StackText;
  memory: LastJson;
  storage: LastJson;
  returnData: LastJson;
  /** Op names as JSON, by opcode. */
  ops: string[];
}

/**
 * The struct log, kept as columns: an object and a stack array per step, promoted by the collector
 * (100,000 steps kept), was 40% of a traced run (a profile of sha1_divs). A step's stack is kept as the items it keeps
 * from the step before and the items above them (`stackItems`, flat), so a step costs a few
 * numbers and the hex of the items that changed. Memory, return data and storage captures are
 * shared by the steps that show the same one, and kept once.
 *
 * The answer's text is written from the columns, a slice at a time (`jsonSlices`,
 * src/api/json-stream.ts): neither the run nor its answer makes an object per step.
 */
export class StructLogColumns implements SlicedJsonValue {
  length = 0;
  private capacity = FIRST_CAPACITY;
  private pc = new Int32Array(FIRST_CAPACITY);
  /** Opcodes, named by `names` (the instruction table's: one fork per run). */
  private op = new Uint8Array(FIRST_CAPACITY);
  private names: readonly string[] = [];
  private gas = new Float64Array(FIRST_CAPACITY);
  private gasCost = new Float64Array(FIRST_CAPACITY);
  private depth = new Int32Array(FIRST_CAPACITY);
  /** Stack items kept from the step before; -1 for a step without a stack (disableStack). */
  private stackKeep = new Int32Array(FIRST_CAPACITY);
  /** Where the step's own items end in `stackItems` (they start where the step before's end). */
  private stackEnd = new Int32Array(FIRST_CAPACITY);
  private readonly stackItems: StackItem[] = [];
  /** Index into `shows` of the step's other members, or NONE. */
  private showsAt = new Int32Array(FIRST_CAPACITY);
  private readonly shows: StepShows[] = [];
  /** Shows of kept steps (a started step that is not kept leaves its own behind). */
  private keptShows = 0;
  private readonly errors = new Map<number, string>();
  /** JSON bytes of the kept steps, a separator each. */
  private counted = 0;

  /** Starts a step (not kept until `end`): its numbers and the stack items it adds. */
  begin(pc: number, op: number, names: readonly string[], gas: number, depth: number, stackKeep: number): void {
    const i = this.length;
    if (i === this.capacity) this.grow();
    this.pc[i] = pc;
    this.op[i] = op;
    this.names = names;
    this.gas[i] = gas;
    this.depth[i] = depth;
    this.stackKeep[i] = stackKeep;
    this.showsAt[i] = NONE;
    // A started step that was not kept leaves its items and shows behind (rare: a step that
    // waited for a load, or passed the cap).
    const items = i === 0 ? 0 : this.stackEnd[i - 1];
    if (this.stackItems.length !== items) this.stackItems.length = items;
    if (this.shows.length !== this.keptShows) this.shows.length = this.keptShows;
  }

  /** An item of the started step's stack, above the ones it keeps. */
  pushItem(item: StackItem): void {
    this.stackItems.push(item);
  }

  /** The started step shows more than its numbers and stack. */
  show(s: StepShows): void {
    this.showsAt[this.length] = this.shows.length;
    this.shows.push(s);
  }

  /**
   * Keeps the started step with its cost (and the error it ended with); `bytes` is its JSON's
   * length with its separator, as the logger counted it (see `jsonChars`).
   */
  end(gasCost: number, error: string | undefined, storage: Record<Hex, Hex> | undefined, bytes: number): void {
    const i = this.length;
    this.counted += bytes;
    this.gasCost[i] = gasCost;
    this.stackEnd[i] = this.stackItems.length;
    if (error !== undefined) this.errors.set(i, error);
    if (storage !== undefined) {
      if (this.showsAt[i] === NONE) this.show({ refund: 0, storage });
      else this.shows[this.showsAt[i]].storage = storage;
    }
    this.keptShows = this.shows.length;
    this.length++;
  }

  /** The length of the entries' JSON joined by commas, from what the logger counted: a batch measures an answer by it without writing it. */
  get jsonChars(): number {
    return this.length === 0 ? 0 : this.counted - 1;
  }

  /** The entries as objects. */
  toArray(): StructLogJson[] {
    return [...this.entries()];
  }

  /** The answer's `structLogs`: a hole an answer writes in slices, else the entries. */
  toJSON(): unknown {
    return holeFor(this) ?? this.toArray();
  }

  /**
   * The entries' JSON, SLICE at a time, written from the columns: the text `JSON.stringify` makes
   * of the entries (members in geth's order, `undefined` ones left out) without making them. A
   * step's stack text is the last step's, cut where it changed (StackText); a capture shared by
   * steps is written once (LastJson). Made from objects, this writing cost more than the run.
   */
  *jsonSlices(): Generator<string> {
    const w: StepWriter = { stack: new StackText(), memory: new LastJson(), storage: new LastJson(), returnData: new LastJson(), ops: [] };
    for (let at = 0; at < this.length; at += SLICE) {
      const end = Math.min(at + SLICE, this.length);
      let slice = "";
      for (let from = at; from < end; from += CHUNK) {
        let text = "";
        for (let i = from, to = Math.min(from + CHUNK, end); i < to; i++) text += i === at ? this.stepText(i, w) : `,${this.stepText(i, w)}`;
        // Reading a character makes V8 flatten the chunk's tree of small strings into one: the
        // tree of a whole slice outlived young collections and doubled the young heap. A larger
        // chunk is mostly a few large captures' text, flat already: copied, it only grew the heap.
        if (text.length < FLAT_CHUNK) text.charCodeAt(0);
        slice += text;
      }
      yield slice;
    }
  }

  /** Step `i`'s entry as JSON text. */
  private stepText(i: number, w: StepWriter): string {
    const opText = (w.ops[this.op[i]] ??= quoted(this.names[this.op[i]]));
    let text = `{"pc":${this.pc[i]},"op":${opText},"gas":${jsonNumber(this.gas[i])},"gasCost":${jsonNumber(this.gasCost[i])},"depth":${this.depth[i]}`;
    const keep = this.stackKeep[i];
    if (keep >= 0) text += `,"stack":[${w.stack.next(keep, this.stackItems, i === 0 ? 0 : this.stackEnd[i - 1], this.stackEnd[i])}]`;
    if (this.showsAt[i] !== NONE) {
      const s = this.shows[this.showsAt[i]];
      if (s.returnData !== undefined) text += `,"returnData":${w.returnData.of(s.returnData)}`;
      if (s.memory !== undefined) text += `,"memory":${w.memory.of(s.memory)}`;
      if (s.refund !== 0) text += `,"refund":${jsonNumber(s.refund)}`;
      if (s.storage !== undefined) text += `,"storage":${w.storage.of(s.storage)}`;
    }
    const error = this.errors.size === 0 ? undefined : this.errors.get(i);
    return error === undefined ? `${text}}` : `${text},"error":${quoted(error)}}`;
  }

  /** Each kept step in order, as an entry of its own. */
  *entries(): Generator<StructLogJson> {
    const stack: Hex[] = [];
    let from = 0;
    for (let i = 0; i < this.length; i++) {
      const keep = this.stackKeep[i], to = this.stackEnd[i];
      const e: StructLogJson = { pc: this.pc[i], op: this.names[this.op[i]], gas: this.gas[i], gasCost: this.gasCost[i], depth: this.depth[i] };
      if (keep >= 0) {
        stack.length = keep;
        for (let j = from; j < to; j++) stack.push(itemHex(this.stackItems[j]) as Hex);
        e.stack = stack.slice();
      }
      from = to;
      const s = this.showsAt[i] === NONE ? undefined : this.shows[this.showsAt[i]];
      if (s !== undefined) {
        if (s.returnData !== undefined) e.returnData = s.returnData;
        if (s.memory !== undefined) e.memory = s.memory;
        if (s.refund !== 0) e.refund = s.refund;
        if (s.storage !== undefined) e.storage = s.storage;
      }
      const error = this.errors.get(i);
      if (error !== undefined) e.error = error;
      yield e;
    }
  }

  private grow(): void {
    const n = this.capacity * 2;
    this.pc = grown(this.pc, new Int32Array(n));
    this.op = grown(this.op, new Uint8Array(n));
    this.gas = grown(this.gas, new Float64Array(n));
    this.gasCost = grown(this.gasCost, new Float64Array(n));
    this.depth = grown(this.depth, new Int32Array(n));
    this.stackKeep = grown(this.stackKeep, new Int32Array(n));
    this.stackEnd = grown(this.stackEnd, new Int32Array(n));
    this.showsAt = grown(this.showsAt, new Int32Array(n));
    this.capacity = n;
  }
}

/** `into` (a larger column) holding `from`'s values first. */
function grown<T extends Int32Array | Float64Array | Uint8Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
