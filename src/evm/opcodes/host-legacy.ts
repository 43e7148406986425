import { addressAt, setWord, smallAt, wordAt } from "../stack.ts";
import type { Frame } from "../frame.ts";
import {
  GAS_STORAGE_CLEAR_REFUND_BEFORE_LONDON,
  GAS_STORAGE_SET,
  GAS_STORAGE_UPDATE,
} from "../gas.ts";
import { MISS } from "../types.ts";
import { copyToMemory } from "./environment.ts";
import { makeNetSstore } from "./host.ts";
import { charge, halt, suspend } from "./util.ts";

// State access before EIP-2929 (Berlin): no warm or cold, the whole price is the static gas in
// the instruction table. The bodies of Berlin and later are in host.ts.

const CLEAR_REFUND = GAS_STORAGE_CLEAR_REFUND_BEFORE_LONDON;

export function balance(f: Frame): void {
  const i = f.sp - 1;
  const acc = f.ctx.journal.account(addressAt(f, i));
  if (acc === undefined) return suspend(f);
  setWord(f, i, acc.balance);
}

export function extcodesize(f: Frame): void {
  const i = f.sp - 1;
  const acc = f.ctx.journal.accountWithCode(addressAt(f, i));
  if (acc === undefined) return suspend(f);
  f.stack[i] = acc.code!.length;
}

export function extcodecopy(f: Frame): void {
  const sp = f.sp;
  const acc = f.ctx.journal.accountWithCode(addressAt(f, sp - 1));
  if (acc === undefined) return suspend(f);
  f.sp = sp - 4;
  copyToMemory(f, acc.code!, smallAt(f, sp - 2), smallAt(f, sp - 3), smallAt(f, sp - 4));
}

/** EIP-1052 (Constantinople): 0 for an account that does not exist or is empty. */
export function extcodehash(f: Frame): void {
  const i = f.sp - 1;
  const acc = f.ctx.journal.account(addressAt(f, i));
  if (acc === undefined) return suspend(f);
  setWord(f, i, !acc.exists || acc.isEmpty() ? 0n : BigInt(acc.codeHash));
}

export function sload(f: Frame): void {
  const i = f.sp - 1;
  const v = f.ctx.journal.sload(f.account, wordAt(f, i));
  if (v === MISS) return suspend(f);
  setWord(f, i, v);
}

/**
 * SSTORE from Frontier to Byzantium, and in Petersburg: 20,000 to set a zero slot, 5,000 for any
 * other write, 15,000 refunded for clearing one.
 */
export function sstore(f: Frame): void {
  if (f.isStatic) return halt(f, "static_state_change");
  const sp = f.sp;
  const slot = wordAt(f, sp - 1), value = wordAt(f, sp - 2);
  const j = f.ctx.journal, acc = f.account;
  const current = j.sload(acc, slot);
  if (current === MISS) return suspend(f);
  f.sp = sp - 2;
  if (!charge(f, value !== 0n && current === 0n ? GAS_STORAGE_SET : GAS_STORAGE_UPDATE)) return;
  if (value === 0n && current !== 0n) j.addRefund(CLEAR_REFUND);
  if (value !== current) j.sstore(acc, slot, value);
}

// Net gas metering before Berlin: EIP-1283 (Constantinople) and EIP-2200 (Istanbul) differ in
// the price of a dirty write (SLOAD's price at the time) and in EIP-2200's stipend guard.
const NET = { update: GAS_STORAGE_UPDATE, clearRefund: CLEAR_REFUND, coldSlots: false };
export const sstoreEip1283 = makeNetSstore({ ...NET, dirty: 200, stipendGuard: false });
export const sstoreEip2200 = makeNetSstore({ ...NET, dirty: 800, stipendGuard: true });
