import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { blake2fInput, hexBytes } from "../../src/cli/bench/worst-inputs.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync, type RunLimits } from "../../src/evm/run.ts";
import type { TxExecuted } from "../../src/evm/types.ts";
import { blake2f } from "../../src/evm/precompiles/09-blake2f.ts";
import { FAILED_CALL_WORK_GAS, precompileWork, WORK_PLAIN, workBudget, type WorkBudget } from "../../src/evm/work.ts";
import { block, CONTRACT, expectValid, stateWith, tx } from "../helpers/exec.ts";

const GAS = 16_000_000n;

function runWith(code: Uint8Array, limits: RunLimits, data = new Uint8Array(0)): TxExecuted {
  return expectValid(runTxSync({ source: stateWith(code), tx: tx({ gasLimit: GAS, data }), block: block(), fork: Fork.Osaka, limits }));
}

/** A clock that never moves, as in a deployed Worker while a run only computes. */
const frozen = { deadline: 0, now: () => 0 };

/** JUMPDEST PUSH2 JUMP for ever, with an SSTORE first so that a revert of everything shows. */
const PLAIN_LOOP = asm("PUSH 1 PUSH0 SSTORE :top @top JUMP");
/** blake2f of 1,000 rounds (1,000 gas) again and again. */
const BLAKE2F_LOOP = asm("CALLDATASIZE PUSH0 PUSH0 CALLDATACOPY :top PUSH 64 PUSH 0x100 CALLDATASIZE PUSH0 PUSH 9 GAS STATICCALL POP @top JUMP");
const BLAKE2F_DATA = hexBytes(blake2fInput(1_000));

describe("work meter", () => {
  it("stops a plain loop at its budget with time_cap, though the clock stands still", () => {
    const budget = 20_000_000;
    const r = runWith(PLAIN_LOOP, { ...frozen, work: { left: budget } });
    expect(r.status).toBe("halted");
    expect(r.haltReason).toBe("time_cap");
    expect(r.changes.find((c) => c.address === CONTRACT)?.storage?.size ?? 0).toBe(0);
    // It ran up to the budget, not far past it: 1,024 turns of 12 gas between two charges.
    expect(r.work).toBeGreaterThan(budget);
    expect(r.work).toBeLessThanOrEqual(budget + 1024 * 12 * WORK_PLAIN + 30_000 * WORK_PLAIN);
    expect(r.gasUsed).toBeLessThan(GAS);
    const again = runWith(PLAIN_LOOP, { ...frozen, work: { left: budget } });
    expect([again.gasUsed, again.work]).toEqual([r.gasUsed, r.work]);
  });

  it("weighs precompile gas at its own rate: a blake2f loop stops at the budget, the same count every run", () => {
    const budget = 200_000_000;
    const r = runWith(BLAKE2F_LOOP, { ...frozen, work: { left: budget } }, BLAKE2F_DATA);
    expect(r.haltReason).toBe("time_cap");
    // Its rounds weigh their own rate (less than plain code's, on WebAssembly), the call around
    // them the plain rate: more gas than a plain loop gets for the same budget, less than all.
    expect(precompileWork(blake2f)).toBeLessThan(WORK_PLAIN);
    const plain = runWith(PLAIN_LOOP, { ...frozen, work: { left: budget } });
    expect(r.gasUsed).toBeGreaterThan(plain.gasUsed);
    expect(r.gasUsed).toBeLessThan((plain.gasUsed * BigInt(WORK_PLAIN)) / BigInt(precompileWork(blake2f)));
    expect(r.work).toBeGreaterThan(budget);
    const again = runWith(BLAKE2F_LOOP, { ...frozen, work: { left: budget } }, BLAKE2F_DATA);
    expect([again.gasUsed, again.work]).toEqual([r.gasUsed, r.work]);
  });

  it("is shared by the runs given one budget: the second stops where the two together reach it", () => {
    const countdown = asm("PUSH2 5000 :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP");
    const alone = runWith(countdown, {});
    expect(alone.status).toBe("success");
    expect(alone.work).toBeGreaterThan(0);

    const shared: WorkBudget = { left: alone.work * 1.5 };
    const first = runWith(countdown, { ...frozen, work: shared });
    expect(first.status).toBe("success");
    expect(first.work).toBe(alone.work);
    expect(shared.left).toBe(alone.work * 0.5);
    const second = runWith(countdown, { ...frozen, work: shared });
    expect(second.haltReason).toBe("time_cap");
    expect(shared.left).toBeLessThan(0);
    // A third run on the spent budget stops before it does anything.
    const third = runWith(countdown, { ...frozen, work: shared });
    expect(third.haltReason).toBe("time_cap");
    expect(third.work).toBe(0);
  });

  it("counts the gas of every frame, a callee's too", () => {
    // Calls itself once (calldata empty → call with one byte → count down), so the callee runs the loop.
    const code = asm("CALLDATASIZE @loop JUMPI PUSH0 PUSH0 PUSH 1 PUSH0 PUSH0 ADDRESS GAS CALL STOP :loop PUSH2 3000 :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP");
    const viaCall = runWith(code, {});
    const direct = runWith(code, {}, Uint8Array.of(1));
    expect(viaCall.status).toBe("success");
    expect(viaCall.work).toBeGreaterThan(direct.work);
    expect(viaCall.work).toBeLessThan(direct.work + 5_000 * WORK_PLAIN);
  });

  it("weighs a transaction sent straight to a precompile, and stops it past the budget", () => {
    const call = (work: WorkBudget) =>
      expectValid(runTxSync({ source: stateWith(PLAIN_LOOP), tx: tx({ to: "0x0000000000000000000000000000000000000009", gasLimit: 200_000n, data: hexBytes(blake2fInput(100_000)) }), block: block(), fork: Fork.Osaka, limits: { ...frozen, work } }));
    const free = call({ left: Infinity });
    expect(free.status).toBe("success");
    expect(free.work).toBe(100_000 * precompileWork(blake2f));
    const capped = call({ left: free.work - 1 });
    expect([capped.status, capped.haltReason]).toEqual(["halted", "time_cap"]);
  });

  it("counts a failed precompile call's gas at the precompile's rate only up to what a valid call could cost", () => {
    // blake2f refuses a 1-byte input, consuming all the gas the call was given.
    const code = asm("PUSH0 PUSH0 PUSH 1 PUSH0 PUSH 9 GAS STATICCALL STOP");
    const r = runWith(code, { ...frozen, work: workBudget(5_000) });
    expect(r.status).toBe("success");
    expect(r.gasUsed).toBeGreaterThan(GAS - GAS / 50n);
    expect(r.work).toBeLessThanOrEqual(FAILED_CALL_WORK_GAS * precompileWork(blake2f) + 1_000 * WORK_PLAIN);
  });

  it("gives a budget equal to a time cap", () => {
    expect(workBudget(5_000).left).toBe(5e9);
  });
});
