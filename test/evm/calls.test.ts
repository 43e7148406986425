import { describe, expect, it } from "vitest";
import type { Address } from "../../src/primitives/hex.ts";
import { bytesToBigInt } from "../../src/primitives/bytes.ts";
import { createAddress } from "../../src/evm/address.ts";
import { MemoryState } from "../../src/state/memory.ts";
import { asm } from "../../src/cli/asm.ts";
import { CONTRACT, runCode, SENDER, stateWith } from "../helpers/exec.ts";

const CALLEE = "0x5000000000000000000000000000000000000005" as Address;

function withCallee(caller: string, callee: string, calleeBalance = 0n): MemoryState {
  const s = stateWith(asm(caller));
  s.setAccount(CALLEE, { code: asm(callee), balance: calleeBalance });
  return s;
}

const callCallee = (kind: "CALL" | "STATICCALL" | "DELEGATECALL", value = 0) =>
  kind === "CALL"
    ? `PUSH 32 PUSH 0 PUSH 0 PUSH 0 PUSH ${value} PUSH20 ${BigInt(CALLEE)} GAS CALL`
    : `PUSH 32 PUSH 0 PUSH 0 PUSH 0 PUSH20 ${BigInt(CALLEE)} GAS ${kind}`;

describe("message calls", () => {
  it("returns the callee's output into memory and pushes 1", () => {
    const state = withCallee(`${callCallee("CALL")} PUSH 32 MSTORE PUSH 64 PUSH 0 RETURN`, `PUSH 42 PUSH 0 MSTORE PUSH 32 PUSH 0 RETURN`);
    const { result } = runCode(new Uint8Array(), { state });
    expect(bytesToBigInt(result.output.subarray(0, 32))).toBe(42n);
    expect(bytesToBigInt(result.output.subarray(32))).toBe(1n);
  });

  it("reverts the callee's writes but keeps the caller's", () => {
    const state = withCallee(`PUSH 1 PUSH 0 SSTORE ${callCallee("CALL")} PUSH 1 SSTORE STOP`, `PUSH 9 PUSH 0 SSTORE PUSH 0 PUSH 0 REVERT`);
    const { state: after } = runCode(new Uint8Array(), { state });
    expect(after.storage(CONTRACT, 0n)).toBe(1n);
    expect(after.storage(CONTRACT, 1n)).toBe(0n); // CALL pushed 0
    expect(after.storage(CALLEE, 0n)).toBe(0n);
  });

  it("forbids state changes under STATICCALL", () => {
    const state = withCallee(`${callCallee("STATICCALL")} PUSH 0 SSTORE STOP`, `PUSH 1 PUSH 0 SSTORE STOP`);
    const { state: after } = runCode(new Uint8Array(), { state });
    expect(after.storage(CONTRACT, 0n)).toBe(0n);
    expect(after.storage(CALLEE, 0n)).toBe(0n);
  });

  it("runs DELEGATECALL code against the caller's storage with the original sender", () => {
    const state = withCallee(`${callCallee("DELEGATECALL")} POP STOP`, `CALLER PUSH 5 SSTORE STOP`);
    const { state: after } = runCode(new Uint8Array(), { state });
    expect(after.storage(CONTRACT, 5n)).toBe(BigInt(SENDER));
    expect(after.storage(CALLEE, 5n)).toBe(0n);
  });

  it("transfers value and fails the call when the balance is short", () => {
    const state = withCallee(`${callCallee("CALL", 3)} PUSH 0 SSTORE STOP`, `STOP`);
    const { state: after } = runCode(new Uint8Array(), { state, tx: { value: 2n } });
    expect(after.storage(CONTRACT, 0n)).toBe(0n);
    expect(after.account(CALLEE)!.balance).toBe(0n);
    const rich = withCallee(`${callCallee("CALL", 3)} PUSH 0 SSTORE STOP`, `STOP`);
    const { state: paid } = runCode(new Uint8Array(), { state: rich, tx: { value: 5n } });
    expect(paid.storage(CONTRACT, 0n)).toBe(1n);
    expect(paid.account(CALLEE)!.balance).toBe(3n);
  });

  it("passes at most all but one 64th of the gas (EIP-150)", () => {
    // The callee stores the gas it received; the caller asks for everything.
    const state = withCallee(`${callCallee("CALL")} STOP`, `GAS PUSH 0 SSTORE STOP`);
    const { state: after } = runCode(new Uint8Array(), { state, tx: { gasLimit: 121_000n } });
    const seen = after.storage(CALLEE, 0n);
    // 100000 minus the caller's six pushes, GAS, one word of output memory and the 2600 cold
    // access; then minus a 64th; then the callee's own GAS (2).
    const avail = 100_000n - 6n * 3n - 2n - 3n - 2600n;
    expect(seen).toBe(avail - avail / 64n - 2n);
  });
});

describe("contract creation", () => {
  it("deploys the returned code at the CREATE address", () => {
    // init code: returns the 2-byte runtime 0x6001 (PUSH1 01)
    const init = asm(`PUSH2 0x6001 PUSH 0 MSTORE PUSH 2 PUSH 30 RETURN`);
    const hex = [...init].map((b) => b.toString(16).padStart(2, "0")).join("");
    const creator = `PUSH32 0x${hex.padEnd(64, "0")} PUSH 0 MSTORE PUSH ${init.length} PUSH 0 PUSH 0 CREATE PUSH 0 SSTORE STOP`;
    const { state } = runCode(asm(creator));
    const created = createAddress(CONTRACT, 1n);
    expect(state.storage(CONTRACT, 0n)).toBe(BigInt(created));
    expect([...state.code(created)]).toEqual([0x60, 0x01]);
    expect(state.account(created)!.nonce).toBe(1n);
    expect(state.account(CONTRACT)!.nonce).toBe(2n);
  });

  it("rejects code starting with 0xEF (EIP-3541)", () => {
    const init = asm(`PUSH 0xef PUSH 0 MSTORE8 PUSH 1 PUSH 0 RETURN`);
    const hex = [...init].map((b) => b.toString(16).padStart(2, "0")).join("");
    const creator = `PUSH32 0x${hex.padEnd(64, "0")} PUSH 0 MSTORE PUSH ${init.length} PUSH 0 PUSH 0 CREATE PUSH 0 SSTORE STOP`;
    const { state } = runCode(asm(creator));
    expect(state.storage(CONTRACT, 0n)).toBe(0n);
    expect(state.account(createAddress(CONTRACT, 1n))).toBeNull();
  });

  it("creates from a transaction without a recipient", () => {
    const { result, state } = runCode(new Uint8Array(), { tx: { to: null, data: asm(`PUSH 0 PUSH 0 RETURN`) } });
    expect(result.status).toBe("success");
    expect(result.createdAddress).toBe(createAddress(SENDER, 0n));
    expect(state.account(createAddress(SENDER, 0n))!.nonce).toBe(1n);
  });
});
