import type { Frame } from "../evm/frame.ts";
import { STACK_LIMIT } from "../evm/gas.ts";
import { LIMBS } from "../evm/stack.ts";
import { bytesToHex, wordToHex, type Address } from "../primitives/hex.ts";
import { memberBytes, objectBytes, WORD_BYTES } from "./json-size.ts";
import { asciiOf, COMMA, ITEM_BYTES, putItem, putLimbs, SHARED, SLACK } from "./struct-log-bytes.ts";

/** A captured item held as limbs, or as a bigint (in `bigints`): never a small word, which is not negative. */
const IN_LIMBS = -1;
const IN_BIGINT = -2;

/** How many items at the top of a deep stack are not part of its shared bottom: what a few steps may change. */
const TOP = 32;

/** Where a capture's text and limbs live when another writer reads them (src/trace/struct-log-wasm.ts), and its writer of a wide item's text. */
export interface StackText {
  text: Uint8Array;
  limbs: Int32Array;
  putLimbs(at: number, o: number): number;
}

/**
 * The struct logger's stack captures, as the text the answer shows (items joined by commas).
 * Between two steps only the top of the stack changes: a capture keeps the text of the items of
 * the last one up to the first that differs, and writes the items above.
 *
 * A deep stack's bottom (all but its TOP items) is frozen, SHARED bytes or more at a time, into
 * segments every step keeping them shares: a loop over a thousand words writes their text once,
 * not once a step, and a stack growing to that depth freezes each part of it once.
 */
export class StackCaptures {
  /**
   * The last capture's items: a small word, or IN_LIMBS for a word kept as its limbs (in `limbs`),
   * or IN_BIGINT for one kept as its bigint (in `bigints`). Numbers in a Float64Array: no
   * HeapNumber made to keep one, no polymorphic comparison.
   */
  private readonly values = new Float64Array(STACK_LIMIT);
  private readonly bigints: bigint[] = [];
  private readonly limbs: Int32Array;
  /** Writes the text of the item whose limbs are at `8 * i` of `limbs` (StackText's). */
  private readonly putWide: ((at: number, o: number) => number) | undefined;
  /** The text of the last capture's items (and SLACK bytes past it), a view of it, and where the text of items [0, i) ends. */
  text: Uint8Array;
  view: DataView;
  readonly ends = new Int32Array(STACK_LIMIT + 1);
  length = 0;
  /** Items the last capture kept from the one before (the same text). */
  kept = 0;
  /** The last capture's step was not kept: the next keeps nothing (its stack is written whole). */
  private stale = true;
  /** The frame of the last capture, and the items its instruction cannot change. */
  private frame: Frame | undefined;
  private untouched = 0;
  /** The text of items [0, frozenItems) in segments, shared by the captures that kept them since. */
  readonly frozen: Uint8Array[] = [];
  /** Items up to the end of each frozen segment. */
  private readonly frozenEnds: number[] = [];
  frozenItems = 0;
  /** Bytes of the frozen text (the text of items [0, frozenItems)). */
  frozenBytes = 0;

  /**
   * `fixed`, when given, holds the text and the limbs (views of the WebAssembly writer's memory,
   * which reads the text and writes wide items' text there): a full stack's text and its slack,
   * as it never grows.
   */
  constructor(private readonly fixed?: StackText) {
    this.text = fixed?.text ?? new Uint8Array(16 * ITEM_BYTES);
    this.view = new DataView(this.text.buffer, this.text.byteOffset, this.text.byteLength);
    this.limbs = fixed?.limbs ?? new Int32Array(8 * STACK_LIMIT);
    this.putWide = fixed?.putLimbs;
  }

  /**
   * Captures the stack of `f`, whose next instruction may change its top `changes` items; answers
   * the length of its text. In the frame of the last capture, the items below what the last
   * instruction could change are the same: only the ones above are compared.
   */
  capture(f: Frame, changes: number): number {
    const sp = f.sp, stack = f.stack, values = this.values, ends = this.ends;
    let i = 0;
    if (!this.stale) {
      const same = Math.min(sp, this.length);
      if (f === this.frame) i = Math.min(this.untouched, same);
      while (i < same && this.same(f, i)) i++;
    }
    this.kept = i;
    // Segments holding an item that changed are frozen no more.
    while (this.frozenItems > i) {
      this.frozen.pop();
      this.frozenEnds.pop();
      this.frozenItems = this.frozenEnds.length === 0 ? 0 : this.frozenEnds[this.frozenEnds.length - 1];
    }
    this.frozenBytes = ends[this.frozenItems];
    let at = ends[i];
    if (at + (sp - i) * (ITEM_BYTES + 1) + SLACK > this.text.length) this.grow(at + (sp - i) * (ITEM_BYTES + 1) + SLACK);
    const view = this.view;
    for (; i < sp; i++) {
      const n = stack[i];
      if (i > 0) view.setUint8(at++, COMMA);
      if (n <= LIMBS) {
        // Kept as its limbs, written from them: no bigint made.
        values[i] = IN_LIMBS;
        const l = f.limbs, o = 8 * i, seen = this.limbs;
        for (let k = 0; k < 8; k++) seen[o + k] = l[o + k];
        at = this.putWide === undefined ? putLimbs(view, at, l, o) : this.putWide(at, o);
      } else if (n >= 0) {
        values[i] = n;
        at = putItem(view, at, n);
      } else {
        const v = f.wide[i];
        values[i] = IN_BIGINT;
        this.bigints[i] = v;
        at = putItem(view, at, v);
      }
      ends[i + 1] = at;
    }
    this.length = sp;
    this.stale = false;
    this.frame = f;
    this.untouched = Math.max(0, sp - changes);
    if (sp > TOP && ends[sp - TOP] - this.frozenBytes >= SHARED) {
      this.frozen.push(this.text.slice(this.frozenBytes, ends[sp - TOP]));
      this.frozenEnds.push((this.frozenItems = sp - TOP));
      this.frozenBytes = ends[sp - TOP];
    }
    return ends[sp];
  }

  /** Whether item `i` of `f` is the last capture's: the same number or bigint, or the same limbs. */
  private same(f: Frame, i: number): boolean {
    const n = f.stack[i], seen = this.values[i];
    if (n >= 0) return seen === n;
    if (seen === IN_LIMBS) {
      if (n > LIMBS) return false;
      const l = f.limbs, kept = this.limbs;
      for (let k = 8 * i, end = k + 8; k < end; k++) if (l[k] !== kept[k]) return false;
      return true;
    }
    return seen === IN_BIGINT && n !== LIMBS && this.bigints[i] === f.wide[i];
  }

  /** The last capture's step is not kept. */
  forget(): void {
    this.stale = true;
  }

  private grow(size: number): void {
    if (this.fixed !== undefined) throw new Error(`stack text of ${size} bytes past its fixed ${this.fixed.text.length}`);
    const text = new Uint8Array(Math.max(size, 2 * this.text.length));
    text.set(this.text);
    this.text = text;
    this.view = new DataView(text.buffer);
  }
}

/**
 * The struct logger's memory captures, as a step's `,"memory":[…]` member. A step whose memory is
 * what the last capture saw (the common case: most instructions do not write memory) shows the
 * same text: the answer repeats it, the heap holds it once. Comparing costs a pass over the
 * memory, which the answer's size (counted and capped) bounds anyway.
 */
export class MemoryCaptures {
  private seen: Uint8Array = new Uint8Array(0);
  private text: Uint8Array = new Uint8Array(0);

  /** JSON bytes of the memory of `f` as a step's `"memory":[…]` member. */
  static bytes(f: Frame): number {
    return memberBytes("memory", objectBytes((f.memory.size / 32) * (WORD_BYTES + 1)));
  }

  capture(f: Frame): Uint8Array {
    const { buf, size } = f.memory;
    if (!sameBytes(this.seen, buf, size)) {
      this.seen = buf.slice(0, size);
      let text = ',"memory":[';
      for (let i = 0; i < size; i += 32) text += `${i === 0 ? "" : ","}"${bytesToHex(buf.subarray(i, i + 32))}"`;
      this.text = asciiOf(`${text}]`);
    }
    return this.text;
  }
}

function sameBytes(seen: Uint8Array, buf: Uint8Array, size: number): boolean {
  if (seen.length !== size) return false;
  for (let i = 0; i < size; i++) if (seen[i] !== buf[i]) return false;
  return true;
}

/** A `"0x…":"0x…"` member of a storage map. */
const SLOT_BYTES = memberBytes("0x".padEnd(66), WORD_BYTES);

interface Slot {
  /** Its `"0x…":` text. */
  key: string;
  value: bigint;
}

/** One contract's slots seen so far, and the text of their members. */
interface Slots {
  slots: Map<bigint, Slot>;
  /** JSON bytes of the whole map. */
  bytes: number;
  /**
   * The members' text (`"0x…":"0x…"` joined by commas) in `members[0, length)`. A new slot is
   * appended in place, so the views earlier captures handed out stay what they were; a changed
   * value writes the text again into a new array.
   */
  members: Uint8Array;
  length: number;
  /** The last view handed out, while no slot changed since. */
  view: Uint8Array | undefined;
}

/**
 * geth's storage captures: at each SLOAD and SSTORE, every slot of the running contract seen so
 * far in the transaction, as the text of a step's `"storage":{…}` members. The answer grows with
 * the square of the slots a contract touches (geth answers the same); the tracer counts it before
 * building each capture and stops at the cap. The memory held grows only with the slots: a
 * capture is a view of the contract's members' text, which a new slot extends in place, so each
 * capture shares the text of the ones before.
 */
export class StorageCaptures {
  private readonly contracts = new Map<Address, Slots>();

  /** Notes `slot = value` of `address`; answers the JSON bytes of a `"storage":{…}` member after it. */
  note(address: Address, slot: bigint, value: bigint): number {
    let c = this.contracts.get(address);
    if (c === undefined) this.contracts.set(address, (c = { slots: new Map(), bytes: 0, members: new Uint8Array(0), length: 0, view: undefined }));
    const seen = c.slots.get(slot);
    if (seen === undefined) {
      c.slots.set(slot, { key: `"${wordToHex(slot)}":`, value });
      c.bytes += SLOT_BYTES;
      this.append(c, slot, value);
    } else if (seen.value !== value) {
      seen.value = value;
      // Earlier views keep the old array; the text is written again into a new one.
      c.members = new Uint8Array(c.members.length);
      c.length = 0;
      for (const [k, s] of c.slots) this.append(c, k, s.value);
    }
    return memberBytes("storage", objectBytes(c.bytes));
  }

  /** The text of the members of `address`'s map as it stands (after `note`), for `,"storage":{` … `}`. */
  capture(address: Address): Uint8Array {
    const c = this.contracts.get(address)!;
    return (c.view ??= c.members.subarray(0, c.length));
  }

  private append(c: Slots, slot: bigint, value: bigint): void {
    const text = `${c.length === 0 ? "" : ","}${c.slots.get(slot)!.key}"${wordToHex(value)}"`;
    if (c.length + text.length > c.members.length) {
      const members = new Uint8Array(Math.max(2 * c.members.length, c.length + text.length, 1024));
      members.set(c.members.subarray(0, c.length));
      c.members = members;
    }
    for (let i = 0; i < text.length; i++) c.members[c.length + i] = text.charCodeAt(i);
    c.length += text.length;
    c.view = undefined;
  }
}
