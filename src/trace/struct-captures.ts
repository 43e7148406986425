import type { Frame } from "../evm/frame.ts";
import { bytesToHex, wordToHex, type Address, type Hex } from "../primitives/hex.ts";
import { memberBytes, objectBytes, WORD_BYTES } from "./json-size.ts";
import { hexDigits, type StackItem } from "./struct-log-text.ts";

/**
 * The struct logger's stack captures. Between two steps only the top of the stack changes: a
 * step keeps the items of the step before up to the first that differs (`kept`), and only the
 * items above are written (`pushChanged`), as values: their hex is made when the answer is
 * written, and only counted here.
 */
export class StackCaptures {
  private readonly values: StackItem[] = [];
  /** JSON bytes of items [0, i) of the last capture, separators included. */
  private readonly below: number[] = [0];
  private length = 0;
  /** Items the last capture kept from the last step kept in the log. */
  kept = 0;
  /** The last capture's step was not kept: the next keeps nothing (its stack is written whole). */
  private stale = true;
  /** The frame of the last capture, and the items its instruction cannot change. */
  private frame: Frame | undefined;
  private untouched = 0;

  /**
   * Captures the stack of `f`, whose next instruction may change its top `changes` items; answers
   * the JSON bytes of its items. In the frame of the last capture, the items below what the last
   * instruction could change are the same: only the ones above are compared.
   */
  capture(f: Frame, changes: number): number {
    const sp = f.sp, stack = f.stack, wide = f.wide, values = this.values, below = this.below;
    let i = 0;
    if (!this.stale) {
      const same = Math.min(sp, this.length);
      if (f === this.frame) i = Math.min(this.untouched, same);
      while (i < same) {
        const n = stack[i];
        if (values[i] !== (n >= 0 ? n : wide[i])) break;
        i++;
      }
    }
    this.kept = i;
    let bytes = below[i];
    for (; i < sp; i++) {
      const n = stack[i];
      const v = n >= 0 ? n : wide[i];
      values[i] = v;
      // Its quotes, "0x" and separator around the digits.
      below[i + 1] = bytes += hexDigits(v) + 5;
    }
    this.length = sp;
    this.stale = false;
    this.frame = f;
    this.untouched = Math.max(0, sp - changes);
    return bytes;
  }

  /** Writes the items above the kept ones to the step started in `logs`, as values: their hex is made when the answer is written. */
  pushChanged(logs: { pushItem(item: StackItem): void }): void {
    for (let i = this.kept; i < this.length; i++) logs.pushItem(this.values[i]);
  }

  /** The last capture's step is not kept. */
  forget(): void {
    this.stale = true;
  }
}

/**
 * The struct logger's memory captures. A step whose memory is what the last capture saw (the
 * common case: most instructions do not write memory) gets the same array: the answer repeats
 * it, the heap holds it once. Comparing costs a pass over the memory, which the answer's size
 * (counted and capped) bounds anyway.
 */
export class MemoryCaptures {
  private seen = new Uint8Array(0);
  private words: Hex[] = [];

  /** JSON bytes of the memory of `f` as a step's `"memory":[…]` member. */
  static bytes(f: Frame): number {
    return memberBytes("memory", objectBytes((f.memory.size / 32) * (WORD_BYTES + 1)));
  }

  capture(f: Frame): Hex[] {
    const { buf, size } = f.memory;
    if (!sameBytes(this.seen, buf, size)) {
      this.seen = buf.slice(0, size);
      const words: Hex[] = new Array(size / 32);
      for (let i = 0; i < size; i += 32) words[i / 32] = bytesToHex(buf.subarray(i, i + 32));
      this.words = words;
    }
    return this.words;
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
  key: Hex;
  value: bigint;
  hex: Hex;
}

/** One contract's slots seen so far, and its last capture while no slot changed since. */
interface Slots {
  slots: Map<bigint, Slot>;
  /** JSON bytes of the whole map. */
  bytes: number;
  capture: Record<Hex, Hex> | undefined;
}

/**
 * geth's storage captures: at each SLOAD and SSTORE, every slot of the running contract seen so
 * far in the transaction. The answer grows with the square of the slots a contract touches (geth
 * answers the same); the tracer counts it before building each capture and stops at the cap. The
 * heap shares what it can: a capture is reused while the map has not changed, and the hex of each
 * key and value is made once.
 */
export class StorageCaptures {
  private readonly contracts = new Map<Address, Slots>();

  /** Notes `slot = value` of `address`; answers the JSON bytes of a `"storage":{…}` member after it. */
  note(address: Address, slot: bigint, value: bigint): number {
    let c = this.contracts.get(address);
    if (c === undefined) this.contracts.set(address, (c = { slots: new Map(), bytes: 0, capture: undefined }));
    const seen = c.slots.get(slot);
    if (seen === undefined) {
      c.slots.set(slot, { key: wordToHex(slot), value, hex: wordToHex(value) });
      c.bytes += SLOT_BYTES;
      c.capture = undefined;
    } else if (seen.value !== value) {
      seen.value = value;
      seen.hex = wordToHex(value);
      c.capture = undefined;
    }
    return memberBytes("storage", objectBytes(c.bytes));
  }

  /** The map of `address` as it stands (after `note`). */
  capture(address: Address): Record<Hex, Hex> {
    const c = this.contracts.get(address)!;
    if (c.capture === undefined) {
      const capture: Record<Hex, Hex> = {};
      for (const s of c.slots.values()) capture[s.key] = s.hex;
      c.capture = capture;
    }
    return c.capture;
  }
}
