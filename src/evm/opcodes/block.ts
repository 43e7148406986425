import { addressToBigInt } from "../../primitives/hex.ts";
import type { Frame } from "../frame.ts";
import { MISS } from "../types.ts";
import { pushWord, setWord, wordAt } from "../stack.ts";
import { suspend } from "./util.ts";

export function blockhash(f: Frame): void {
  f.ctx.readsBlock = true;
  const i = f.sp - 1;
  const n = wordAt(f, i);
  const current = f.ctx.block.number;
  if (n >= current || n + 256n < current) {
    f.stack[i] = 0;
    return;
  }
  const h = f.ctx.journal.blockHash(n);
  if (h === MISS) return suspend(f);
  setWord(f, i, h);
}

export function coinbase(f: Frame): void {
  pushWord(f, addressToBigInt(f.ctx.block.coinbase));
}

export function timestamp(f: Frame): void {
  f.ctx.readsBlock = true;
  pushWord(f, f.ctx.block.timestamp);
}

export function number(f: Frame): void {
  f.ctx.readsBlock = true;
  pushWord(f, f.ctx.block.number);
}

export function prevrandao(f: Frame): void {
  f.ctx.readsBlock = true;
  pushWord(f, f.ctx.block.prevRandao);
}

/** The same opcode before the Merge: the block's proof-of-work difficulty. */
export function difficulty(f: Frame): void {
  f.ctx.readsBlock = true;
  pushWord(f, f.ctx.block.difficulty ?? 0n);
}

export function gaslimit(f: Frame): void {
  pushWord(f, f.ctx.block.gasLimit);
}

export function chainid(f: Frame): void {
  pushWord(f, f.ctx.block.chainId);
}

export function selfbalance(f: Frame): void {
  pushWord(f, f.account.balance);
}

export function basefee(f: Frame): void {
  pushWord(f, f.ctx.block.baseFee);
}

export function blobhash(f: Frame): void {
  const i = f.sp - 1;
  const index = f.stack[i];
  const hashes = f.ctx.blobHashes;
  setWord(f, i, index >= 0 && index < hashes.length ? hashes[index] : 0n);
}

export function blobbasefee(f: Frame): void {
  pushWord(f, f.ctx.blobBaseFee);
}
