import { HALT, type Frame } from "../../src/evm/frame.ts";
import { gasNumber } from "../../src/evm/gas-counter.ts";
import type { Inspector } from "../../src/evm/inspector.ts";
import { stackWords, wordAt } from "../../src/evm/stack.ts";
import { bytesToHex, wordToHex, type Hex } from "../../src/primitives/hex.ts";
import type { StructLogJson } from "../../src/trace/struct-log-bytes.ts";
import type { StructLoggerConfig } from "../../src/trace/struct-logger.ts";

const ERRORS: Record<string, string> = { out_of_gas: "out of gas", stack_underflow: "stack underflow", stack_overflow: "stack overflow" };

/**
 * geth's struct logger written the obvious way, as the oracle of the real one's text: an object
 * per step with its whole stack, memory and storage made afresh, in geth's member order, no
 * sharing, no counting, no cap (the runs it checks stay small).
 */
export class ReferenceStructLogger implements Inspector {
  readonly entries: StructLogJson[] = [];
  private pending: StructLogJson | undefined;
  private slot: bigint | undefined;
  private readonly storage = new Map<string, Map<bigint, bigint>>();

  constructor(private readonly config: StructLoggerConfig = {}) {}

  get stepsDone(): boolean {
    return this.entries.length >= (this.config.maxSteps ?? Infinity);
  }

  step(f: Frame): void {
    this.pending = undefined;
    if (this.stepsDone) return;
    const c = this.config;
    const op = f.code.padded[f.pc];
    const e: StructLogJson = { pc: f.pc, op: f.ctx.table.names[op], gas: gasNumber(f), gasCost: 0, depth: f.depth + 1 };
    if (!c.disableStack) e.stack = stackWords(f).map((w) => `0x${w.toString(16)}` as Hex);
    if (c.enableReturnData && f.returnData.length > 0) e.returnData = bytesToHex(f.returnData);
    if (c.enableMemory && f.memory.size > 0) {
      e.memory = [];
      for (let i = 0; i < f.memory.size; i += 32) e.memory.push(bytesToHex(f.memory.buf.slice(i, i + 32)));
    }
    if (f.ctx.journal.refund !== 0) e.refund = f.ctx.journal.refund;
    this.slot = (op === 0x54 && f.sp >= 1) || (op === 0x55 && f.sp >= 2) ? wordAt(f, f.sp - 1) : undefined;
    if (op === 0x55 && this.slot !== undefined && !c.disableStorage) e.storage = this.note(f, this.slot, wordAt(f, f.sp - 2));
    this.pending = e;
  }

  stepEnd(f: Frame): void {
    const e = this.pending;
    if (e === undefined) return;
    this.pending = undefined;
    e.gasCost = e.gas - gasNumber(f);
    if (e.op === "SLOAD" && this.slot !== undefined && f.status !== HALT && !this.config.disableStorage) e.storage = this.note(f, this.slot, wordAt(f, f.sp - 1));
    if (f.status === HALT && f.haltReason !== undefined && ERRORS[f.haltReason] !== undefined) e.error = ERRORS[f.haltReason];
    // geth's member order.
    const { pc, op, gas, gasCost, depth, stack, returnData, memory, refund, storage, error } = e;
    this.entries.push({ pc, op, gas, gasCost, depth, stack, returnData, memory, refund, storage, error });
  }

  stepAbandoned(): void {
    this.pending = undefined;
  }

  /** The contract's slots seen so far, after `slot = value`, in the order first seen. */
  private note(f: Frame, slot: bigint, value: bigint): Record<Hex, Hex> {
    let slots = this.storage.get(f.address);
    if (slots === undefined) this.storage.set(f.address, (slots = new Map()));
    slots.set(slot, value);
    return Object.fromEntries([...slots].map(([k, v]) => [wordToHex(k), wordToHex(v)]));
  }
}
