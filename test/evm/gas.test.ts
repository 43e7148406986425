import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { runCode, stateWith } from "../helpers/exec.ts";

const INTRINSIC = 21000n;

function gasOf(code: string): bigint {
  return runCode(asm(code)).result.gasUsed - INTRINSIC;
}

describe("static gas", () => {
  it("charges the very-low tier for PUSH and ADD", () => {
    expect(gasOf(`PUSH 1 PUSH 2 ADD STOP`)).toBe(9n);
    expect(gasOf(`PUSH0 STOP`)).toBe(2n);
  });
});

describe("memory expansion", () => {
  it("charges 3 per word plus words squared over 512", () => {
    // MSTORE at 0: 3 + 3 (one word) + PUSH costs
    expect(gasOf(`PUSH 1 PUSH 0 MSTORE STOP`)).toBe(3n + 3n + 3n + 3n);
    // MSTORE at 1024-32: 32 words -> 96 + 2
    expect(gasOf(`PUSH 1 PUSH 992 MSTORE STOP`)).toBe(6n + 3n + 96n + 2n);
  });
  it("halts out of gas for offsets beyond any payable memory", () => {
    const { result } = runCode(asm(`PUSH 1 PUSH32 ${1n << 200n} MSTORE STOP`));
    expect(result.status).toBe("halted");
    expect(result.haltReason).toBe("out_of_gas");
  });
});

describe("storage (EIP-2929, EIP-2200, EIP-3529)", () => {
  it("charges a cold SLOAD 2100 then warm 100", () => {
    expect(gasOf(`PUSH 0 SLOAD PUSH 0 SLOAD STOP`)).toBe(3n + 2100n + 3n + 100n);
  });
  it("charges 22100 to set a fresh slot cold", () => {
    expect(gasOf(`PUSH 1 PUSH 0 SSTORE STOP`)).toBe(6n + 22100n);
  });
  it("refunds clearing a slot, capped at a fifth of gas used", () => {
    const { result } = runCode(asm(`PUSH 0 PUSH 0 SSTORE STOP`), { state: stateWith(asm(`PUSH 0 PUSH 0 SSTORE STOP`), new Map([[0n, 5n]])) });
    // 2100 cold + 2900 update; the 4800 refund is below the cap of (21000 + 5006) / 5
    expect(result.gasRefunded).toBe(4800n);
    expect(result.gasUsed).toBe(21000n + 6n + 5000n - 4800n);
  });
  it("refuses SSTORE with 2300 gas or less left", () => {
    const { result } = runCode(asm(`PUSH 1 PUSH 0 SSTORE STOP`), { tx: { gasLimit: 21000n + 6n + 2300n } });
    expect(result.status).toBe("halted");
  });
});
