import { wordToHex } from "../../primitives/hex.ts";
import { addressAt, setWord, smallAt, wordAt } from "../stack.ts";
import { keccak256Word } from "../../primitives/keccak.ts";
import type { Frame } from "../frame.ts";
import {
  GAS_CALL_STIPEND,
  GAS_COLD_ACCOUNT_ACCESS,
  GAS_COLD_SLOAD,
  GAS_KECCAK_WORD,
  GAS_LOG_DATA,
  GAS_STORAGE_CLEAR_REFUND,
  GAS_STORAGE_CLEAR_REFUND_BEFORE_LONDON,
  GAS_STORAGE_SET,
  GAS_STORAGE_UPDATE,
  GAS_WARM_ACCESS,
} from "../gas.ts";
import { MISS } from "../types.ts";
import { copyToMemory } from "./environment.ts";
import { charge, expand, halt, spendWork, suspend } from "./util.ts";
import { WORK_KECCAK_EXTRA } from "../work.ts";

// Account-reading instructions carry the warm cost (100) in the static table; a cold access adds
// the rest (EIP-2929).
const COLD_EXTRA = GAS_COLD_ACCOUNT_ACCESS - GAS_WARM_ACCESS;

export function balance(f: Frame): void {
  const i = f.sp - 1;
  const addr = addressAt(f, i);
  const acc = f.ctx.journal.account(addr);
  if (acc === undefined) return suspend(f);
  if (f.ctx.journal.warmAddress(addr) && !charge(f, COLD_EXTRA)) return;
  setWord(f, i, acc.balance);
}

export function extcodesize(f: Frame): void {
  const i = f.sp - 1;
  const addr = addressAt(f, i);
  const acc = f.ctx.journal.accountWithCode(addr);
  if (acc === undefined) return suspend(f);
  if (f.ctx.journal.warmAddress(addr) && !charge(f, COLD_EXTRA)) return;
  f.stack[i] = acc.code!.length;
}

export function extcodecopy(f: Frame): void {
  const sp = f.sp;
  const addr = addressAt(f, sp - 1);
  const acc = f.ctx.journal.accountWithCode(addr);
  if (acc === undefined) return suspend(f);
  f.sp = sp - 4;
  if (f.ctx.journal.warmAddress(addr) && !charge(f, COLD_EXTRA)) return;
  copyToMemory(f, acc.code!, smallAt(f, sp - 2), smallAt(f, sp - 3), smallAt(f, sp - 4));
}

export function extcodehash(f: Frame): void {
  const i = f.sp - 1;
  const addr = addressAt(f, i);
  const acc = f.ctx.journal.account(addr);
  if (acc === undefined) return suspend(f);
  if (f.ctx.journal.warmAddress(addr) && !charge(f, COLD_EXTRA)) return;
  setWord(f, i, !acc.exists || acc.isEmpty() ? 0n : BigInt(acc.codeHash));
}

export function sload(f: Frame): void {
  const i = f.sp - 1;
  const slot = wordAt(f, i);
  const j = f.ctx.journal;
  const v = j.sload(f.account, slot);
  if (v === MISS) return suspend(f);
  if (j.warmSlot(f.account, slot) && !charge(f, GAS_COLD_SLOAD - GAS_WARM_ACCESS)) return;
  setWord(f, i, v);
}

/** The prices of net-metered SSTORE, which changed fork by fork. */
export interface SstorePrices {
  /** A write that changes nothing, or to a slot already written in this transaction. */
  dirty: number;
  /** The first change of a non-zero slot (setting a zero slot costs GAS_STORAGE_SET). */
  update: number;
  /** Refunded for clearing a slot. */
  clearRefund: number;
  /** EIP-2929 (Berlin): a slot's first access in the transaction costs GAS_COLD_SLOAD more. */
  coldSlots: boolean;
  /** EIP-2200 (Istanbul): no SSTORE with the call stipend or less left. */
  stipendGuard: boolean;
}

/** Net-metered SSTORE (EIP-1283, EIP-2200, EIP-2929, EIP-3529); static gas is 0, all of it is here. */
export function makeNetSstore(p: SstorePrices): (f: Frame) => void {
  const { dirty, update, clearRefund, coldSlots, stipendGuard } = p;
  return function sstore(f: Frame): void {
    if (f.isStatic) return halt(f, "static_state_change");
    if (stipendGuard && f.gas <= GAS_CALL_STIPEND && f.gasHi === 0n) return halt(f, "out_of_gas");
    const sp = f.sp;
    const slot = wordAt(f, sp - 1), value = wordAt(f, sp - 2);
    const j = f.ctx.journal, acc = f.account;
    const current = j.sload(acc, slot);
    if (current === MISS) return suspend(f);
    const original = j.original(acc, slot);
    if (original === MISS) return suspend(f);
    f.sp = sp - 2;
    let cost = coldSlots && j.warmSlot(acc, slot) ? GAS_COLD_SLOAD : 0;
    if (original === current && current !== value) cost += original === 0n ? GAS_STORAGE_SET : update;
    else cost += dirty;
    if (!charge(f, cost) || current === value) return;
    let refund = 0;
    if (original !== 0n && current !== 0n && value === 0n) refund += clearRefund;
    if (original !== 0n && current === 0n) refund -= clearRefund;
    if (original === value) refund += (original === 0n ? GAS_STORAGE_SET : update) - dirty;
    if (refund !== 0) j.addRefund(refund);
    j.sstore(acc, slot, value);
  };
}

const BERLIN: SstorePrices = { dirty: GAS_WARM_ACCESS, update: GAS_STORAGE_UPDATE - GAS_COLD_SLOAD, clearRefund: GAS_STORAGE_CLEAR_REFUND_BEFORE_LONDON, coldSlots: true, stipendGuard: true };
export const sstore = makeNetSstore({ ...BERLIN, clearRefund: GAS_STORAGE_CLEAR_REFUND });
export const sstoreBerlin = makeNetSstore(BERLIN);

export function tload(f: Frame): void {
  const i = f.sp - 1;
  setWord(f, i, f.ctx.journal.tload(f.address, wordAt(f, i)));
}

export function tstore(f: Frame): void {
  if (f.isStatic) return halt(f, "static_state_change");
  const sp = (f.sp -= 2);
  f.ctx.journal.tstore(f.account, wordAt(f, sp + 1), wordAt(f, sp));
}

export function keccak(f: Frame): void {
  const sp = --f.sp;
  const o = smallAt(f, sp), n = smallAt(f, sp - 1);
  if (n > 0xffffffff) return halt(f, "out_of_gas");
  const wordGas = GAS_KECCAK_WORD * Math.ceil(n / 32);
  if (!charge(f, wordGas) || (o + n > f.memory.size && !expand(f, o, n))) return;
  if (!spendWork(f, (wordGas + f.ctx.table.gas[0x20]) * WORK_KECCAK_EXTRA)) return;
  setWord(f, sp - 1, keccak256Word(f.memory.buf, o, n));
}

export function makeLog(topics: number): (f: Frame) => void {
  return function log(f: Frame): void {
    if (f.isStatic) return halt(f, "static_state_change");
    let sp = f.sp;
    const offset = smallAt(f, --sp), size = smallAt(f, --sp);
    if (size > 0xffffffff) return halt(f, "out_of_gas");
    if (!charge(f, GAS_LOG_DATA * size) || !expand(f, offset, size)) return;
    const t: `0x${string}`[] = [];
    for (let k = 0; k < topics; k++) t.push(wordToHex(wordAt(f, --sp)));
    f.sp = sp;
    const data = size === 0 ? new Uint8Array(0) : f.memory.read(offset, size);
    const entry = { address: f.address, topics: t, data };
    f.ctx.journal.log(entry);
    if (f.ctx.inspector !== undefined) f.ctx.inspector.log?.(entry, f.depth, f.ctx.journal.logs.length - 1);
  };
}
