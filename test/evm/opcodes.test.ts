import { describe, expect, it } from "vitest";
import { bytesToBigInt } from "../../src/primitives/bytes.ts";
import { asm } from "../../src/cli/asm.ts";
import { CONTRACT, runCode } from "../helpers/exec.ts";

/** Runs `body` then returns the top of the stack as a 32-byte word. */
function top(body: string): bigint {
  const { result } = runCode(asm(`${body} PUSH 0 MSTORE PUSH 32 PUSH 0 RETURN`));
  expect(result.status).toBe("success");
  return bytesToBigInt(result.output);
}

const MAX = (1n << 256n) - 1n;

describe("arithmetic", () => {
  it("wraps ADD, SUB and MUL modulo 2^256", () => {
    expect(top(`PUSH 2 PUSH 3 ADD`)).toBe(5n);
    expect(top(`PUSH32 ${MAX} PUSH 2 ADD`)).toBe(1n);
    expect(top(`PUSH 3 PUSH 2 SUB`)).toBe(MAX);
    expect(top(`PUSH32 ${MAX} PUSH32 ${MAX} MUL`)).toBe(1n);
  });
  it("divides with zero divisors giving zero", () => {
    expect(top(`PUSH 3 PUSH 10 DIV`)).toBe(3n);
    expect(top(`PUSH 0 PUSH 10 DIV`)).toBe(0n);
    expect(top(`PUSH 0 PUSH 10 MOD`)).toBe(0n);
    expect(top(`PUSH 3 PUSH 10 MOD`)).toBe(1n);
  });
  it("handles signed division and modulo", () => {
    // -10 / 3 = -3 (truncation), -10 % 3 = -1
    expect(top(`PUSH 3 PUSH32 ${MAX - 9n} SDIV`)).toBe(MAX - 2n);
    expect(top(`PUSH 3 PUSH32 ${MAX - 9n} SMOD`)).toBe(MAX);
    // -2^255 / -1 overflows back to -2^255
    expect(top(`PUSH32 ${MAX} PUSH32 ${1n << 255n} SDIV`)).toBe(1n << 255n);
  });
  it("computes ADDMOD and MULMOD without intermediate overflow", () => {
    expect(top(`PUSH 7 PUSH32 ${MAX} PUSH32 ${MAX} ADDMOD`)).toBe((MAX + MAX) % 7n);
    expect(top(`PUSH 7 PUSH32 ${MAX} PUSH32 ${MAX} MULMOD`)).toBe((MAX * MAX) % 7n);
    expect(top(`PUSH 0 PUSH 5 PUSH 5 MULMOD`)).toBe(0n);
  });
  it("exponentiates modulo 2^256", () => {
    expect(top(`PUSH 10 PUSH 2 EXP`)).toBe(1024n);
    expect(top(`PUSH 256 PUSH 2 EXP`)).toBe(0n);
    expect(top(`PUSH 0 PUSH 0 EXP`)).toBe(1n);
    expect(top(`PUSH 3 PUSH 3 EXP`)).toBe(27n);
  });
  it("sign-extends", () => {
    expect(top(`PUSH 0xff PUSH 0 SIGNEXTEND`)).toBe(MAX);
    expect(top(`PUSH 0x7f PUSH 0 SIGNEXTEND`)).toBe(0x7fn);
    expect(top(`PUSH 0xff PUSH 31 SIGNEXTEND`)).toBe(0xffn);
  });
});

describe("bitwise and comparison", () => {
  it("compares signed and unsigned", () => {
    expect(top(`PUSH 2 PUSH 1 LT`)).toBe(1n);
    expect(top(`PUSH 1 PUSH32 ${MAX} SLT`)).toBe(1n);
    expect(top(`PUSH 1 PUSH32 ${MAX} GT`)).toBe(1n);
    expect(top(`PUSH 0 ISZERO`)).toBe(1n);
  });
  it("shifts", () => {
    expect(top(`PUSH 1 PUSH 4 SHL`)).toBe(16n);
    expect(top(`PUSH 1 PUSH 256 SHL`)).toBe(0n);
    expect(top(`PUSH32 ${MAX} PUSH 4 SAR`)).toBe(MAX);
    expect(top(`PUSH32 ${1n << 255n} PUSH 300 SAR`)).toBe(MAX);
    expect(top(`PUSH 0x100 PUSH 4 SHR`)).toBe(0x10n);
  });
  it("extracts bytes", () => {
    expect(top(`PUSH 0xabcd PUSH 31 BYTE`)).toBe(0xcdn);
    expect(top(`PUSH 0xabcd PUSH 32 BYTE`)).toBe(0n);
  });
  it("counts leading zeros (CLZ, Osaka)", () => {
    expect(top(`PUSH 0 CLZ`)).toBe(256n);
    expect(top(`PUSH 1 CLZ`)).toBe(255n);
    expect(top(`PUSH32 ${MAX} CLZ`)).toBe(0n);
  });
});

describe("environment", () => {
  it("pushes ADDRESS, CALLDATALOAD past the end as zero padding", () => {
    expect(top(`ADDRESS`)).toBe(BigInt(CONTRACT));
    const { result } = runCode(asm(`PUSH 1 CALLDATALOAD PUSH 0 MSTORE PUSH 32 PUSH 0 RETURN`), { tx: { data: Uint8Array.of(0xaa, 0xbb) } });
    expect(bytesToBigInt(result.output)).toBe(0xbbn << 248n);
  });
});
