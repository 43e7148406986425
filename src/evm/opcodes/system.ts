import type { Address } from "../../primitives/hex.ts";
import { addressAt, smallAt, wordAt } from "../stack.ts";
import { create2Address, createAddress } from "../address.ts";
import { analyse } from "../analysis.ts";
import { delegationTarget } from "../delegation.ts";
import { Fork } from "../fork.ts";
import { CALL, FRAME_CALL, FRAME_CREATE, STOP, type Frame } from "../frame.ts";
import { newFrame, deliverCallResult } from "../frames.ts";
import {
  CALL_DEPTH_LIMIT,
  GAS_CALL_EIP150,
  GAS_CALL_FRONTIER,
  GAS_CALL_STIPEND,
  GAS_CALL_VALUE,
  GAS_COLD_ACCOUNT_ACCESS,
  GAS_INIT_CODE_WORD,
  GAS_KECCAK_WORD,
  GAS_NEW_ACCOUNT,
  GAS_SELFDESTRUCT_NEW_ACCOUNT,
  GAS_WARM_ACCESS,
  MAX_INIT_CODE_SIZE,
  REFUND_SELFDESTRUCT,
} from "../gas.ts";
import type { JAccount, Journal } from "../journal.ts";
import type { CallKind } from "../inspector.ts";
import { addGas, MAX_PRECOMPILE_GAS, refill, setGas, totalGas } from "../gas-counter.ts";
import { charge, costToCover, growMemory, halt, lookAtClock, memoryExpansionCost, resize, spendWork, suspend, tick } from "./util.ts";
import { precompileCallWork } from "../work.ts";

const EMPTY = new Uint8Array(0);
const MAX_NONCE = (1n << 64n) - 1n;
const STIPEND = BigInt(GAS_CALL_STIPEND);
const MAX_PRECOMPILE_GAS_N = BigInt(MAX_PRECOMPILE_GAS);
const RIPEMD160 = "0x0000000000000000000000000000000000000003";

export const KIND_CALL = 0;
export const KIND_CALLCODE = 1;
export const KIND_DELEGATECALL = 2;
export const KIND_STATICCALL = 3;
const CALL_KINDS: CallKind[] = ["CALL", "CALLCODE", "DELEGATECALL", "STATICCALL"];

/** Memory cost to cover two ranges at once (the CALL family's input and output). */
function twoRangeEnd(o1: number, s1: number, o2: number, s2: number): number {
  let end = 0;
  if (s1 !== 0) end = o1 + s1;
  if (s2 !== 0 && o2 + s2 > end) end = o2 + s2;
  return end;
}

/** Whether a CALL pays for a new account: EIP-161 counts only value sent to a dead account. */
function createsAccount(fork: Fork, to: JAccount, value: bigint): boolean {
  if (fork >= Fork.SpuriousDragon) return value !== 0n && !to.isAlive();
  return !to.exists;
}

function makeCall(kind: number): (f: Frame) => void {
  const hasValue = kind === KIND_CALL || kind === KIND_CALLCODE;
  return function call(f: Frame): void {
    const sp = f.sp, ctx = f.ctx, j = ctx.journal;
    const gasArg = wordAt(f, sp - 1);
    const target = addressAt(f, sp - 2);
    const value = hasValue ? wordAt(f, sp - 3) : kind === KIND_DELEGATECALL ? f.value : 0n;
    const base = hasValue ? sp - 4 : sp - 3;
    const inOff = smallAt(f, base), inSize = smallAt(f, base - 1), outOff = smallAt(f, base - 2), outSize = smallAt(f, base - 3);

    // Load everything this call can touch before changing anything (it may suspend).
    const codeAcc = j.accountWithCode(target);
    if (codeAcc === undefined) return suspend(f);
    const delegate = ctx.fork >= Fork.Prague ? delegationTarget(codeAcc.code!) : undefined;
    let runAcc = codeAcc;
    if (delegate !== undefined) {
      const d = j.accountWithCode(delegate);
      if (d === undefined) return suspend(f);
      runAcc = d;
    }
    f.sp = base - 3;

    const memEnd = twoRangeEnd(inOff, inSize, outOff, outSize);
    const memCost = memEnd === 0 ? 0 : costToCover(f, memEnd);
    if (memCost < 0) return halt(f, "out_of_gas");
    const fork = ctx.fork;
    let extra: number;
    if (fork >= Fork.Berlin) {
      extra = j.warmAddress(target) ? GAS_COLD_ACCOUNT_ACCESS : GAS_WARM_ACCESS;
      if (delegate !== undefined) extra += j.warmAddress(delegate) ? GAS_COLD_ACCOUNT_ACCESS : GAS_WARM_ACCESS;
    } else extra = fork >= Fork.TangerineWhistle ? GAS_CALL_EIP150 : GAS_CALL_FRONTIER;
    const transfers = hasValue && value !== 0n;
    if (transfers) extra += GAS_CALL_VALUE;
    if (kind === KIND_CALL && createsAccount(fork, codeAcc, value)) extra += GAS_NEW_ACCOUNT;
    const total = totalGas(f), fixed = BigInt(extra + memCost);
    // Before EIP-150 the caller pays for all the gas it asks for, or runs out.
    if (total < (fork >= Fork.TangerineWhistle ? fixed : fixed + gasArg)) return halt(f, "out_of_gas");
    // Caps stop the run before the callee's gas leaves this frame, so gas used stays exact.
    if ((memEnd !== 0 && !resize(f, Math.ceil(memEnd / 32) * 32)) || !tick(f)) return;
    // EIP-150: the callee gets at most all but a 64th of what is left after the fixed costs.
    const avail = total - fixed, cap = fork >= Fork.TangerineWhistle ? avail - avail / 64n : avail;
    const subGas = gasArg < cap ? gasArg : cap;
    setGas(f, avail - subGas);
    f.workMark -= Number(subGas);
    if (f.isStatic && kind === KIND_CALL && value !== 0n) return halt(f, "static_state_change");

    const childGas = subGas + (transfers ? STIPEND : 0n);
    f.returnData = EMPTY;
    const input = inSize === 0 ? EMPTY : f.memory.read(inOff, inSize);
    const insp = ctx.inspector;
    if (insp !== undefined) insp.enter?.({ kind: CALL_KINDS[kind], from: f.address, to: target, value, gas: childGas, input, depth: f.depth + 1 });
    if ((hasValue && f.account.balance < value) || f.depth + 1 > CALL_DEPTH_LIMIT) {
      if (insp !== undefined) insp.exit?.({ status: "halted", early: f.depth + 1 > CALL_DEPTH_LIMIT ? "call_depth_exceeded" : "insufficient_balance", output: EMPTY, gasLeft: childGas });
      addGas(f, childGas);
      f.stack[f.sp++] = 0;
      return;
    }
    const toSelf = kind === KIND_CALLCODE || kind === KIND_DELEGATECALL;
    const toAcc = toSelf ? f.account : codeAcc;
    const checkpoint = j.checkpoint();
    // Before Paris a message to an account that does not exist creates it, empty.
    if (fork < Fork.Paris) j.materialize(toAcc);
    if (hasValue && value !== 0n) j.transfer(f.account, toAcc, value);
    const retOffset = outSize === 0 ? 0 : outOff;
    const retSize = outSize;

    const precompile = delegate === undefined ? ctx.precompiles.get(target) : undefined;
    if (precompile !== undefined) {
      // One precompile call can take milliseconds (ecrecover, pairings): look at the clock each time.
      if (!lookAtClock(f)) return;
      const r = precompile(input, childGas > MAX_PRECOMPILE_GAS_N ? MAX_PRECOMPILE_GAS : Number(childGas), ctx.fork);
      if (r === null) {
        j.revert(checkpoint);
        // EIP-716: a failed call still touches RIPEMD-160 (the journal keeps only that one).
        if (target === RIPEMD160) j.touch(toAcc);
        if (insp !== undefined) insp.exit?.({ status: "halted", haltReason: "precompile_failure", early: "precompile_failure", output: EMPTY, gasLeft: 0n });
        deliverCallResult(f, false, 0n, EMPTY, retOffset, retSize);
      } else {
        j.touch(toAcc);
        if (insp !== undefined) insp.exit?.({ status: "success", output: r.output, gasLeft: childGas - BigInt(r.gasUsed) });
        deliverCallResult(f, true, childGas - BigInt(r.gasUsed), r.output, retOffset, retSize);
      }
      spendWork(f, precompileCallWork(precompile, r === null ? null : r.gasUsed, Number(childGas)));
      return;
    }
    const code = runAcc.code!;
    if (code.length === 0) {
      j.touch(toAcc);
      if (insp !== undefined) insp.exit?.({ status: "success", output: EMPTY, gasLeft: childGas });
      return deliverCallResult(f, true, childGas, EMPTY, retOffset, retSize);
    }

    const caller = kind === KIND_DELEGATECALL ? f.caller : f.address;
    const isStatic = f.isStatic || kind === KIND_STATICCALL;
    const child = newFrame(ctx, FRAME_CALL, analyse(code, runAcc.codeHash), childGas, caller, toAcc, value, input, isStatic, f.depth + 1, checkpoint);
    child.retOffset = retOffset;
    child.retSize = retSize;
    ctx.child = child;
    f.status = CALL;
  };
}

export const call = makeCall(KIND_CALL);
export const callcode = makeCall(KIND_CALLCODE);
export const delegatecall = makeCall(KIND_DELEGATECALL);
export const staticcall = makeCall(KIND_STATICCALL);

function readPadded(f: Frame, o: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const mem = f.memory;
  if (o < mem.size) out.set(mem.buf.subarray(o, Math.min(mem.size, o + out.length)));
  return out;
}

function makeCreate(isCreate2: boolean): (f: Frame) => void {
  return function create(f: Frame): void {
    const sp = f.sp, ctx = f.ctx, j = ctx.journal;
    const value = wordAt(f, sp - 1), offset = smallAt(f, sp - 2), size = smallAt(f, sp - 3);
    const salt = isCreate2 ? wordAt(f, sp - 4) : 0n;
    const fork = ctx.fork;
    // EIP-3860 (Shanghai) limits init code and charges for its words.
    const shanghai = fork >= Fork.Shanghai;
    if (shanghai && size > MAX_INIT_CODE_SIZE) return halt(f, "out_of_gas");
    const memCost = memoryExpansionCost(f, offset, size);
    if (memCost < 0) return halt(f, "out_of_gas");
    const codeWords = Math.ceil(size / 32);
    const cost = memCost + (shanghai ? GAS_INIT_CODE_WORD * codeWords : 0) + (isCreate2 ? GAS_KECCAK_WORD * codeWords : 0);
    if (f.gas < cost && !refill(f, cost)) return halt(f, "out_of_gas");
    if (f.isStatic) return halt(f, "static_state_change");

    const initCode = size === 0 ? EMPTY : readPadded(f, offset, size);
    const self = f.account;
    const newAddress: Address = isCreate2 ? create2Address(f.address, salt, initCode) : createAddress(f.address, self.nonce);
    const newAcc = j.account(newAddress);
    if (newAcc === undefined) return suspend(f);

    f.sp = sp - (isCreate2 ? 4 : 3);
    f.gas -= cost;
    if (!growMemory(f, offset, size) || !tick(f)) return;
    // EIP-150: all but a 64th of the gas left; all of it before.
    const total = totalGas(f), createGas = fork >= Fork.TangerineWhistle ? total - total / 64n : total;
    setGas(f, total - createGas);
    f.workMark -= Number(createGas);
    f.returnData = EMPTY;
    const insp = ctx.inspector;
    if (insp !== undefined) insp.enter?.({ kind: isCreate2 ? "CREATE2" : "CREATE", from: f.address, to: newAddress, value, gas: createGas, input: initCode, depth: f.depth + 1 });
    if (self.balance < value || self.nonce === MAX_NONCE || f.depth + 1 > CALL_DEPTH_LIMIT) {
      const early = f.depth + 1 > CALL_DEPTH_LIMIT ? "call_depth_exceeded" : self.balance < value ? "insufficient_balance" : "nonce_overflow";
      if (insp !== undefined) insp.exit?.({ status: "halted", early, output: EMPTY, gasLeft: createGas });
      addGas(f, createGas);
      f.stack[f.sp++] = 0;
      return;
    }
    j.warmAddress(newAddress);
    if (newAcc.blocksCreation()) {
      if (insp !== undefined) insp.exit?.({ status: "halted", haltReason: "create_collision", early: "create_collision", output: EMPTY, gasLeft: 0n });
      j.incrementNonce(self);
      f.stack[f.sp++] = 0;
      return;
    }
    j.incrementNonce(self);
    const checkpoint = j.checkpoint();
    startCreation(j, fork, newAcc);
    if (value !== 0n) j.transfer(self, newAcc, value);
    ctx.child = newFrame(ctx, FRAME_CREATE, analyse(initCode), createGas, f.address, newAcc, value, EMPTY, false, f.depth + 1, checkpoint);
    f.status = CALL;
  };
}

/** A new contract's account: marked created, nonce 1 since EIP-161 (Spurious Dragon), else 0. */
export function startCreation(j: Journal, fork: Fork, acc: JAccount): void {
  j.markCreated(acc);
  if (fork >= Fork.SpuriousDragon) j.incrementNonce(acc);
  else j.materialize(acc);
}

export const create = makeCreate(false);
export const create2 = makeCreate(true);

export function selfdestruct(f: Frame): void {
  if (f.isStatic) return halt(f, "static_state_change");
  const j = f.ctx.journal, fork = f.ctx.fork;
  const beneficiary = addressAt(f, f.sp - 1);
  const ben = j.account(beneficiary);
  if (ben === undefined) return suspend(f);
  f.sp--;
  const self = f.account;
  let cost = fork >= Fork.Berlin && j.warmAddress(beneficiary) ? GAS_COLD_ACCOUNT_ACCESS : 0;
  // EIP-150 charges for a new beneficiary; EIP-161 only when value goes to a dead one.
  if (fork >= Fork.SpuriousDragon ? !ben.isAlive() && self.balance !== 0n : fork >= Fork.TangerineWhistle && !ben.exists) cost += GAS_SELFDESTRUCT_NEW_ACCOUNT;
  // Before EIP-3529 (London), the first SELFDESTRUCT of an account in a transaction refunds.
  if (fork < Fork.London && !j.destructs.has(self.address)) j.addRefund(REFUND_SELFDESTRUCT);
  if (!charge(f, cost)) return;
  const insp = f.ctx.inspector;
  if (insp !== undefined) {
    insp.enter?.({ kind: "SELFDESTRUCT", from: f.address, to: beneficiary, value: self.balance, gas: 0n, input: EMPTY, depth: f.depth + 1 });
    insp.exit?.({ status: "success", output: EMPTY, gasLeft: 0n });
  }
  if (fork >= Fork.Cancun) {
    j.transfer(self, ben, self.balance);
    // EIP-6780: only an account created in this transaction is deleted.
    if (self.created) {
      j.setBalance(self, 0n);
      j.scheduleDestruct(self);
    }
  } else {
    // The beneficiary is written even for nothing: before Paris that creates it if missing.
    const balance = self.balance;
    j.setBalance(ben, ben.balance + balance);
    j.setBalance(self, 0n);
    j.scheduleDestruct(self);
    j.touch(ben);
  }
  f.status = STOP;
}
