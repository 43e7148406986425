import { addressToBigInt } from "../../primitives/hex.ts";
import type { Frame } from "../frame.ts";
import { expandForCopy, halt, loadPaddedWord } from "./util.ts";

export function address(f: Frame): void {
  f.stack[f.sp++] = addressToBigInt(f.address);
}

export function origin(f: Frame): void {
  f.stack[f.sp++] = addressToBigInt(f.ctx.origin);
}

export function caller(f: Frame): void {
  f.stack[f.sp++] = addressToBigInt(f.caller);
}

export function callvalue(f: Frame): void {
  f.stack[f.sp++] = f.value;
}

export function calldataload(f: Frame): void {
  const i = f.sp - 1;
  f.stack[i] = loadPaddedWord(f.input, f.stack[i]);
}

export function calldatasize(f: Frame): void {
  f.stack[f.sp++] = BigInt(f.input.length);
}

/** Copies `data[src, src+size)` (zero past its end) to memory: CALLDATACOPY, CODECOPY. */
export function copyToMemory(f: Frame, data: Uint8Array, dst: bigint, src: bigint, size: bigint): void {
  if (!expandForCopy(f, dst, size) || size === 0n) return;
  const from = src > BigInt(data.length) ? data.length : Number(src);
  f.memory.writePadded(Number(dst), data, from, Number(size));
}

export function calldatacopy(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 3);
  copyToMemory(f, f.input, s[sp + 2], s[sp + 1], s[sp]);
}

export function codesize(f: Frame): void {
  f.stack[f.sp++] = BigInt(f.code.length);
}

export function codecopy(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 3);
  copyToMemory(f, f.code.padded.subarray(0, f.code.length), s[sp + 2], s[sp + 1], s[sp]);
}

export function gasprice(f: Frame): void {
  f.stack[f.sp++] = f.ctx.gasPrice;
}

export function returndatasize(f: Frame): void {
  f.stack[f.sp++] = BigInt(f.returnData.length);
}

export function returndatacopy(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 3);
  const dst = s[sp + 2], src = s[sp + 1], size = s[sp];
  if (src + size > BigInt(f.returnData.length)) return halt(f, "return_data_out_of_bounds");
  copyToMemory(f, f.returnData, dst, src, size);
}
