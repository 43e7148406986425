import type { Address } from "../primitives/hex.ts";
import type { AnalysedCode } from "./analysis.ts";
import type { Context } from "./context.ts";
import { Frame, FRAME_CREATE, HALT, REVERT } from "./frame.ts";
import { releaseLimbs, releaseMemory, releaseStack, takeStack, takeWide } from "./pool.ts";
import { GAS_CODE_DEPOSIT, MAX_CODE_SIZE } from "./gas.ts";
import { addGas, refill, setGas, totalGas } from "./gas-counter.ts";
import type { CallEnd } from "./inspector.ts";
import type { JAccount } from "./journal.ts";
import { addressToBigInt } from "../primitives/hex.ts";
import { Fork } from "./fork.ts";
import { pushWord } from "./stack.ts";

const EMPTY = new Uint8Array(0);

export function newFrame(
  ctx: Context,
  kind: number,
  code: AnalysedCode,
  gas: bigint,
  caller: Address,
  account: JAccount,
  value: bigint,
  input: Uint8Array,
  isStatic: boolean,
  depth: number,
  checkpoint: number,
): Frame {
  const f = new Frame(ctx, kind, code, 0, takeStack(), takeWide(), caller, account.address, account, value, input, isStatic, depth, checkpoint);
  setGas(f, gas);
  f.workMark = f.gas;
  return f;
}

/** Gives a finished frame's stack and memory back to the pool. */
export function releaseFrame(f: Frame): void {
  f.ctx.memoryLive -= f.memory.size;
  f.ctx.memoryPool.left += f.memory.size;
  releaseStack(f.stack, f.wide);
  releaseLimbs(f);
  releaseMemory(f.memory);
}

/** Hands a finished call's outcome to the calling frame: gas back, return data, success flag. */
export function deliverCallResult(
  parent: Frame,
  success: boolean,
  gasLeft: bigint,
  output: Uint8Array,
  retOffset: number,
  retSize: number,
): void {
  addGas(parent, gasLeft);
  parent.returnData = output;
  parent.stack[parent.sp++] = success ? 1 : 0;
  const n = Math.min(retSize, output.length);
  if (n > 0) parent.memory.buf.set(output.subarray(0, n), retOffset);
}

/**
 * Settles a finished frame: reverts its changes on failure, deposits the code of a successful
 * creation (EIP-170 size from Spurious Dragon, EIP-3541 prefix from London, 200 gas a byte).
 * Returns whether it succeeded.
 */
export function settleFrame(f: Frame): boolean {
  const j = f.ctx.journal;
  if (f.status === HALT || f.status === REVERT) {
    j.revert(f.checkpoint);
    return false;
  }
  if (f.kind !== FRAME_CREATE) return true;
  const code = f.output;
  const deposit = GAS_CODE_DEPOSIT * code.length;
  const fork = f.ctx.fork;
  const badPrefix = fork >= Fork.London && code.length > 0 && code[0] === 0xef;
  const tooLarge = fork >= Fork.SpuriousDragon && code.length > MAX_CODE_SIZE;
  const short = f.gas < deposit && !refill(f, deposit);
  // Frontier: a creation that cannot pay for its code succeeds without code, keeping its gas.
  if (short && !badPrefix && !tooLarge && fork === Fork.Frontier) {
    f.output = EMPTY;
    return true;
  }
  if (badPrefix || tooLarge || short) {
    f.status = HALT;
    f.haltReason = tooLarge ? "code_size_exceeded" : badPrefix ? "invalid_code_prefix" : "out_of_gas";
    f.gas = 0;
    f.gasHi = 0n;
    f.output = EMPTY;
    j.revert(f.checkpoint);
    return false;
  }
  f.gas -= deposit;
  j.setCode(f.account, code);
  return true;
}

/** A settled frame's end, as an inspector sees it. */
export function frameEnd(f: Frame, success: boolean): CallEnd {
  if (success) return { status: "success", output: f.output, gasLeft: totalGas(f) };
  if (f.status === REVERT) return { status: "reverted", output: f.output, gasLeft: totalGas(f) };
  return { status: "halted", haltReason: f.haltReason, output: EMPTY, gasLeft: 0n };
}

/** Passes a settled child frame's result to its parent, as the CALL/CREATE instruction's result. */
export function returnToParent(parent: Frame, child: Frame, success: boolean): void {
  releaseFrame(child);
  if (child.kind === FRAME_CREATE) {
    addGas(parent, totalGas(child));
    parent.returnData = success || child.status === HALT ? EMPTY : child.output;
    if (success) pushWord(parent, addressToBigInt(child.address));
    else parent.stack[parent.sp++] = 0;
    return;
  }
  deliverCallResult(parent, success, totalGas(child), child.status === HALT ? EMPTY : child.output, child.retOffset, child.retSize);
}
