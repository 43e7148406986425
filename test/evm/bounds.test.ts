import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runCode } from "../helpers/exec.ts";

describe("stack bounds", () => {
  it("halts on underflow and consumes all gas", () => {
    const { result } = runCode(asm(`PUSH 1 ADD STOP`));
    expect(result.status).toBe("halted");
    expect(result.haltReason).toBe("stack_underflow");
    expect(result.gasUsed).toBe(1_000_000n);
  });
  it("allows 1024 items and halts on the 1025th", () => {
    const ok = runCode(asm(`${"PUSH0 ".repeat(1024)} STOP`)).result;
    expect(ok.status).toBe("success");
    const over = runCode(asm(`${"PUSH0 ".repeat(1025)} STOP`)).result;
    expect(over.haltReason).toBe("stack_overflow");
  });
  it("checks DUP16 and SWAP16 depth", () => {
    expect(runCode(asm(`${"PUSH0 ".repeat(15)} DUP16`)).result.haltReason).toBe("stack_underflow");
    expect(runCode(asm(`${"PUSH0 ".repeat(16)} DUP16 STOP`)).result.status).toBe("success");
    expect(runCode(asm(`${"PUSH0 ".repeat(16)} SWAP16`)).result.haltReason).toBe("stack_underflow");
  });
});

describe("code bounds", () => {
  it("rejects jumps into PUSH data and outside the code", () => {
    expect(runCode(asm(`PUSH 4 JUMP PUSH1 0x5b STOP`)).result.haltReason).toBe("invalid_jump");
    expect(runCode(asm(`PUSH 100 JUMP`)).result.haltReason).toBe("invalid_jump");
    expect(runCode(asm(`PUSH 3 JUMP JUMPDEST STOP`)).result.status).toBe("success");
  });
  it("treats a truncated PUSH at the end as zero-padded, then STOP", () => {
    const code = Uint8Array.of(0x61, 0x01); // PUSH2 with one byte
    expect(runCode(code).result.status).toBe("success");
  });
  it("halts on undefined opcodes, and on CLZ before Osaka", () => {
    expect(runCode(Uint8Array.of(0x0c)).result.haltReason).toBe("invalid_opcode");
    expect(runCode(asm(`PUSH 1 CLZ STOP`), { fork: Fork.Prague }).result.haltReason).toBe("invalid_opcode");
  });
});

describe("memory bounds", () => {
  it("reads zeros past the end of returndata only within bounds", () => {
    expect(runCode(asm(`PUSH 1 PUSH 0 PUSH 0 RETURNDATACOPY STOP`)).result.haltReason).toBe("return_data_out_of_bounds");
    expect(runCode(asm(`PUSH 0 PUSH 0 PUSH 0 RETURNDATACOPY STOP`)).result.status).toBe("success");
  });
  it("ignores the offset of a zero-length range", () => {
    expect(runCode(asm(`PUSH 0 PUSH32 ${(1n << 256n) - 1n} RETURN`)).result.status).toBe("success");
  });
  it("copies overlapping ranges exactly with MCOPY", () => {
    const { result } = runCode(asm(`PUSH 0x0102030405 PUSH 0 MSTORE PUSH 5 PUSH 27 PUSH 28 MCOPY PUSH 32 PUSH 0 RETURN`));
    expect([...result.output.subarray(27)]).toEqual([1, 1, 2, 3, 4]);
  });
});
