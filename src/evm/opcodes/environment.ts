import { addressToBigInt } from "../../primitives/hex.ts";
import type { Frame } from "../frame.ts";
import { pushWord, smallAt } from "../stack.ts";
import { expandForCopy, halt, loadPaddedWord } from "./util.ts";

export function address(f: Frame): void {
  pushWord(f, addressToBigInt(f.address));
}

export function origin(f: Frame): void {
  pushWord(f, addressToBigInt(f.ctx.origin));
}

export function caller(f: Frame): void {
  pushWord(f, addressToBigInt(f.caller));
}

export function callvalue(f: Frame): void {
  pushWord(f, f.value);
}

export function calldataload(f: Frame): void {
  const i = f.sp - 1;
  loadPaddedWord(f, i, f.input, smallAt(f, i));
}

export function calldatasize(f: Frame): void {
  f.stack[f.sp++] = f.input.length;
}

/**
 * Copies `data[src, src+size)` (zero past its end) to memory: CALLDATACOPY, CODECOPY. Numbers
 * as smallAt gives them: a wide source is past the end of any data.
 */
export function copyToMemory(f: Frame, data: Uint8Array, dst: number, src: number, size: number): void {
  if (!expandForCopy(f, dst, size) || size === 0) return;
  const from = src > data.length ? data.length : src;
  f.memory.writePadded(dst, data, from, size);
}

export function calldatacopy(f: Frame): void {
  const sp = (f.sp -= 3);
  copyToMemory(f, f.input, smallAt(f, sp + 2), smallAt(f, sp + 1), smallAt(f, sp));
}

export function codesize(f: Frame): void {
  f.stack[f.sp++] = f.code.length;
}

export function codecopy(f: Frame): void {
  const sp = (f.sp -= 3);
  copyToMemory(f, f.code.padded.subarray(0, f.code.length), smallAt(f, sp + 2), smallAt(f, sp + 1), smallAt(f, sp));
}

export function gasprice(f: Frame): void {
  pushWord(f, f.ctx.gasPrice);
}

export function returndatasize(f: Frame): void {
  f.stack[f.sp++] = f.returnData.length;
}

export function returndatacopy(f: Frame): void {
  const sp = (f.sp -= 3);
  const dst = smallAt(f, sp + 2), src = smallAt(f, sp + 1), size = smallAt(f, sp);
  // Exact below 2^53; a wide source or size is past the end either way.
  if (src + size > f.returnData.length) return halt(f, "return_data_out_of_bounds");
  copyToMemory(f, f.returnData, dst, src, size);
}
