import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM, type EVM } from "@ethereumjs/evm";
import { Account, createAddressFromString } from "@ethereumjs/util";
import { decodeErrorResult } from "viem";
import { bytesToHex, type Address } from "../../src/primitives/hex.ts";

/** A call frame reduced to what two independent EVMs must agree on (geth's callTracer fields). */
export interface RefFrame {
  type: string;
  from: string;
  to?: string;
  value?: string;
  gas: string;
  gasUsed: string;
  input: string;
  output?: string;
  error?: string;
  revertReason?: string;
  calls?: RefFrame[];
}

/** Solidity's Error(string) and Panic(uint256), decoded by viem (not by our code), in geth's words. */
function revertReasonOf(out: Uint8Array): string | undefined {
  try {
    const e = decodeErrorResult({ abi: [], data: bytesToHex(out) });
    if (e.errorName === "Error") return e.args[0] as string;
    if (e.errorName === "Panic") return GETH_PANICS[Number(e.args[0])];
  } catch {
    return undefined;
  }
  return undefined;
}

const GETH_PANICS: Record<number, string> = { 0x01: "assert(false)", 0x11: "arithmetic underflow or overflow", 0x12: "division or modulo by zero", 0x32: "out-of-bounds access of an array or bytesN" };

/** @ethereumjs/evm's exception names, in geth's words. */
const ERRORS: Record<string, string> = {
  revert: "execution reverted",
  "out of gas": "out of gas",
  "invalid JUMP": "invalid jump destination",
  "invalid opcode": "invalid opcode",
  "static state change": "write protection",
  "stack underflow": "stack underflow",
  "stack overflow": "stack overflow",
  "code store out of gas": "out of gas",
};

const hex = (v: bigint) => `0x${v.toString(16)}`;

interface Open {
  frame: RefFrame;
  isStatic: boolean;
}

/**
 * A reference call tree built from @ethereumjs/evm's message events: an EVM written by another
 * team, so that our callTracer is checked against an independent execution, not against itself.
 */
export class EjsReference {
  private constructor(readonly evm: EVM) {}

  static async create(): Promise<EjsReference> {
    return new EjsReference(await createEVM({ common: new Common({ chain: Mainnet, hardfork: Hardfork.Prague }) }));
  }

  async fund(address: Address, wei: bigint): Promise<void> {
    await this.evm.stateManager.putAccount(createAddressFromString(address), new Account(0n, wei));
  }

  async deploy(from: Address, code: Uint8Array, value: bigint): Promise<Address> {
    const caller = createAddressFromString(from);
    const r = await this.evm.runCall({ caller, origin: caller, data: code, value, gasLimit: 10_000_000n });
    if (r.createdAddress === undefined || r.execResult.exceptionError) throw new Error("ejs deploy failed");
    // A transaction boundary: what the deployment warmed is cold again (EIP-2929).
    await this.evm.journal.cleanup();
    return r.createdAddress.toString() as Address;
  }

  /** Runs a call as a transaction's message (sender, recipient and precompiles warm); returns its tree. */
  async trace(from: Address, to: Address, data: Uint8Array, value: bigint, gas: bigint): Promise<RefFrame> {
    const stack: Open[] = [];
    let root: RefFrame | undefined;
    // ejs marks every message under a static one as static: only the first is a STATICCALL.
    const onBefore = (m: any) => {
      const parentStatic = stack.length > 0 && stack[stack.length - 1].isStatic;
      const type = m.to === undefined ? (m.salt !== undefined ? "CREATE2" : "CREATE") : m.delegatecall ? "DELEGATECALL" : m.isStatic && !parentStatic ? "STATICCALL" : "CALL";
      const frame: RefFrame = {
        type,
        from: m.delegatecall ? m.to.toString() : m.caller.toString(),
        to: m.to === undefined ? undefined : m.delegatecall ? m.codeAddress.toString() : m.to.toString(),
        gas: hex(m.gasLimit),
        gasUsed: "0x0",
        input: bytesToHex(m.data?.length ? m.data : (m.code ?? new Uint8Array(0))),
      };
      if (type !== "STATICCALL") frame.value = hex(m.value);
      stack.push({ frame, isStatic: m.isStatic === true });
    };
    const onAfter = (r: any) => {
      const { frame } = stack.pop()!;
      const e = r.execResult.exceptionError?.error as string | undefined;
      const out = r.execResult.returnValue as Uint8Array;
      frame.gasUsed = hex(r.execResult.executionGasUsed);
      if (frame.type.startsWith("CREATE") && r.createdAddress) frame.to = r.createdAddress.toString();
      if (e === undefined) {
        if (out.length > 0) frame.output = bytesToHex(out);
      } else {
        frame.error = ERRORS[e] ?? e;
        if (frame.type.startsWith("CREATE")) delete frame.to;
        if (e === "revert" && out.length > 0) {
          frame.output = bytesToHex(out);
          const reason = revertReasonOf(out);
          if (reason !== undefined) frame.revertReason = reason;
        }
      }
      const parent = stack[stack.length - 1];
      if (parent === undefined) root = frame;
      else (parent.frame.calls ??= []).push(frame);
    };
    this.evm.events.on("beforeMessage", onBefore);
    this.evm.events.on("afterMessage", onAfter);
    try {
      this.evm.journal.addAlwaysWarmAddress(from);
      this.evm.journal.addAlwaysWarmAddress(to);
      for (let i = 1; i <= 0x11; i++) this.evm.journal.addAlwaysWarmAddress(`0x${i.toString(16).padStart(40, "0")}`);
      const caller = createAddressFromString(from);
      await this.evm.runCall({ caller, origin: caller, to: createAddressFromString(to), data, value, gasLimit: gas });
    } finally {
      this.evm.events.removeListener("beforeMessage", onBefore);
      this.evm.events.removeListener("afterMessage", onAfter);
    }
    if (root === undefined) throw new Error("ejs: no message ran");
    return root;
  }
}

/** One step as @ethereumjs/evm reports it, in the struct logger's terms. */
export interface RefStep {
  pc: number;
  op: string;
  gas: number;
  depth: number;
  stack: string[];
}

/** Steps of a message on @ethereumjs/evm (the same warm set as `trace`). */
export async function ejsSteps(ejs: EjsReference, from: Address, to: Address, data: Uint8Array, value: bigint, gas: bigint): Promise<RefStep[]> {
  const steps: RefStep[] = [];
  const onStep = (s: any) => {
    steps.push({ pc: s.pc, op: s.opcode.name, gas: Number(s.gasLeft), depth: s.depth + 1, stack: s.stack.map((v: bigint) => `0x${v.toString(16)}`) });
  };
  ejs.evm.events.on("step", onStep);
  try {
    await ejs.trace(from, to, data, value, gas);
  } finally {
    ejs.evm.events.removeListener("step", onStep);
  }
  return steps;
}
