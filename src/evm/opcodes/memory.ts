import type { Frame } from "../frame.ts";
import { loadWord, storeWord } from "../memory.ts";
import { expand, expandForCopy } from "./util.ts";

// Offsets within the memory already paid for skip the expansion arithmetic on bigints: Number()
// of an offset is exact below 2^53, and anything larger fails the bound and takes the full path.

export function mload(f: Frame): void {
  const s = f.stack, i = f.sp - 1;
  const o = Number(s[i]);
  if (o + 32 > f.memory.size && !expand(f, s[i], 32n)) return;
  s[i] = loadWord(f.memory, o);
}

export function mstore(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2);
  const o = Number(s[sp + 1]);
  if (o + 32 > f.memory.size && !expand(f, s[sp + 1], 32n)) return;
  storeWord(f.memory, o, s[sp]);
}

export function mstore8(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2);
  const o = Number(s[sp + 1]);
  if (o + 1 > f.memory.size && !expand(f, s[sp + 1], 1n)) return;
  f.memory.buf[o] = Number(s[sp] & 0xffn);
}

export function msize(f: Frame): void {
  f.stack[f.sp++] = BigInt(f.memory.size);
}

/** MCOPY (EIP-5656): memory expands to cover both ranges; overlapping copies are exact. */
export function mcopy(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 3);
  const dst = s[sp + 2], src = s[sp + 1], size = s[sp];
  if (size === 0n) return;
  const end = dst > src ? dst : src;
  if (!expandForCopy(f, end, size)) return;
  const d = Number(dst), o = Number(src), n = Number(size);
  f.memory.buf.copyWithin(d, o, o + n);
}
