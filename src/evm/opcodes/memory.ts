import type { Frame } from "../frame.ts";
import { loadWord, storeWord } from "../memory.ts";
import { smallAt, WIDE } from "../stack.ts";
import { andLow } from "../../primitives/word-bytes.ts";
import { expand, expandForCopy } from "./util.ts";

// Offsets within the memory already paid for skip the expansion arithmetic; a wide offset
// (WIDE, negative) fails the first test and counts as BEYOND in the second.

export function mload(f: Frame): void {
  const i = f.sp - 1;
  const o = f.stack[i];
  if (!(o >= 0 && o + 32 <= f.memory.size) && !expand(f, smallAt(f, i), 32)) return;
  loadWord(f, i, o);
}

export function mstore(f: Frame): void {
  const sp = (f.sp -= 2);
  const o = f.stack[sp + 1];
  if (!(o >= 0 && o + 32 <= f.memory.size) && !expand(f, smallAt(f, sp + 1), 32)) return;
  storeWord(f, sp, o);
}

export function mstore8(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2);
  const o = s[sp + 1];
  if (!(o >= 0 && o + 1 <= f.memory.size) && !expand(f, smallAt(f, sp + 1), 1)) return;
  const v = s[sp];
  f.memory.buf[o] = v >= 0 ? v % 256 : v === WIDE ? andLow(f.wide[sp], 0xff) : f.limbs[8 * sp] & 0xff;
}

export function msize(f: Frame): void {
  f.stack[f.sp++] = f.memory.size;
}

/** MCOPY (EIP-5656): memory expands to cover both ranges; overlapping copies are exact. */
export function mcopy(f: Frame): void {
  const sp = (f.sp -= 3);
  const dst = smallAt(f, sp + 2), src = smallAt(f, sp + 1), size = smallAt(f, sp);
  if (size === 0) return;
  if (!expandForCopy(f, Math.max(dst, src), size)) return;
  f.memory.buf.copyWithin(dst, src, src + size);
}
