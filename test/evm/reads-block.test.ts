import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { runCode } from "../helpers/exec.ts";

// A send that did not read its block commits in whatever block its decision falls; one that did
// must commit in the block it ran in. The EVM says which.
describe("readsBlock", () => {
  it("is set by NUMBER, TIMESTAMP, PREVRANDAO and BLOCKHASH, also in a reverted frame", () => {
    for (const op of ["NUMBER", "TIMESTAMP", "PREVRANDAO", "PUSH1 1 BLOCKHASH"]) {
      expect(runCode(asm(`${op} POP STOP`)).result.readsBlock, op).toBe(true);
      expect(runCode(asm(`${op} POP PUSH0 PUSH0 REVERT`)).result.readsBlock, `${op} then REVERT`).toBe(true);
    }
  });

  it("is not set by code that reads nothing of its block (block constants included)", () => {
    expect(runCode(asm(`PUSH1 1 PUSH1 0 SSTORE CHAINID COINBASE GASLIMIT BASEFEE POP POP POP POP STOP`)).result.readsBlock).toBe(false);
  });
});
