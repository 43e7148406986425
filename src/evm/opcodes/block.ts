import { addressToBigInt } from "../../primitives/hex.ts";
import type { Frame } from "../frame.ts";
import { MISS } from "../types.ts";
import { suspend } from "./util.ts";

export function blockhash(f: Frame): void {
  f.ctx.readsBlock = true;
  const i = f.sp - 1;
  const n = f.stack[i];
  const current = f.ctx.block.number;
  if (n >= current || n + 256n < current) {
    f.stack[i] = 0n;
    return;
  }
  const h = f.ctx.journal.blockHash(n);
  if (h === MISS) return suspend(f);
  f.stack[i] = h;
}

export function coinbase(f: Frame): void {
  f.stack[f.sp++] = addressToBigInt(f.ctx.block.coinbase);
}

export function timestamp(f: Frame): void {
  f.ctx.readsBlock = true;
  f.stack[f.sp++] = f.ctx.block.timestamp;
}

export function number(f: Frame): void {
  f.ctx.readsBlock = true;
  f.stack[f.sp++] = f.ctx.block.number;
}

export function prevrandao(f: Frame): void {
  f.ctx.readsBlock = true;
  f.stack[f.sp++] = f.ctx.block.prevRandao;
}

/** The same opcode before the Merge: the block's proof-of-work difficulty. */
export function difficulty(f: Frame): void {
  f.ctx.readsBlock = true;
  f.stack[f.sp++] = f.ctx.block.difficulty ?? 0n;
}

export function gaslimit(f: Frame): void {
  f.stack[f.sp++] = f.ctx.block.gasLimit;
}

export function chainid(f: Frame): void {
  f.stack[f.sp++] = f.ctx.block.chainId;
}

export function selfbalance(f: Frame): void {
  f.stack[f.sp++] = f.account.balance;
}

export function basefee(f: Frame): void {
  f.stack[f.sp++] = f.ctx.block.baseFee;
}

export function blobhash(f: Frame): void {
  const i = f.sp - 1;
  const index = f.stack[i];
  const hashes = f.ctx.blobHashes;
  f.stack[i] = index < BigInt(hashes.length) ? hashes[Number(index)] : 0n;
}

export function blobbasefee(f: Frame): void {
  f.stack[f.sp++] = f.ctx.blobBaseFee;
}
