import { describe, expect, it } from "vitest";
import { Fork } from "../../src/evm/fork.ts";
import { TxRun, runTxSync, type RunLimits } from "../../src/evm/run.ts";
import type { TxExecuted } from "../../src/evm/types.ts";
import { asm } from "../../src/cli/asm.ts";
import { block, CONTRACT, expectValid, stateWith, tx } from "../helpers/exec.ts";
import { LazySource } from "../helpers/lazy-source.ts";

function runWith(code: Uint8Array, limits: RunLimits, gasLimit = 5_000_000n): TxExecuted {
  return expectValid(runTxSync({ source: stateWith(code), tx: tx({ gasLimit }), block: block(), fork: Fork.Osaka, limits }));
}

/** A clock that moves one ms each time it is read. */
function ticking(): () => number {
  let t = 0;
  return () => t++;
}

describe("memory cap", () => {
  it("stops the whole run with memory_cap when one frame grows past it, committing nothing", () => {
    // SSTORE first, so a revert of everything is visible; then touch memory at 128 KiB.
    const code = asm("PUSH 1 PUSH 0 SSTORE PUSH 1 PUSH3 0x020000 MSTORE STOP");
    const capped = runWith(code, { memoryBytes: 64 * 1024 });
    expect(capped.status).toBe("halted");
    expect(capped.haltReason).toBe("memory_cap");
    expect(capped.changes.find((c) => c.address === CONTRACT)?.storage?.size ?? 0).toBe(0);
    // Gas used is what was spent, not the whole limit.
    expect(capped.gasUsed).toBeLessThan(100_000n);
    const free = runWith(code, { memoryBytes: 256 * 1024 });
    expect(free.status).toBe("success");
  });

  it("counts memory over all live frames", () => {
    // Each level grows its memory to 40 KiB, then calls itself with its depth-count calldata
    // minus one until 0: three levels hold 120 KiB at once.
    const code = asm(`
      PUSH 1 PUSH2 0x9fe0 MSTORE
      PUSH 0 CALLDATALOAD DUP1 ISZERO @done JUMPI
      PUSH 1 SWAP1 SUB PUSH 0 MSTORE
      PUSH 0 PUSH 0 PUSH 32 PUSH 0 PUSH 0 ADDRESS GAS CALL POP STOP
      :done STOP`);
    const levels = (n: number) => {
      const data = new Uint8Array(32);
      data[31] = n;
      return data;
    };
    const run = (n: number, cap: number) =>
      expectValid(runTxSync({ source: stateWith(code), tx: tx({ data: levels(n), gasLimit: 5_000_000n }), block: block(), fork: Fork.Osaka, limits: { memoryBytes: cap } }));
    expect(run(0, 100 * 1024).status).toBe("success");
    expect(run(1, 100 * 1024).status).toBe("success");
    const deep = run(2, 100 * 1024);
    expect(deep.status).toBe("halted");
    expect(deep.haltReason).toBe("memory_cap");
    // Memory of finished frames is given back: many sequential calls stay under the cap.
    expect(run(2, 128 * 1024).status).toBe("success");
  });
});

describe("memory shared by the runs of an isolate", () => {
  /** Grows memory to 600 KiB, then reads a balance the lazy source must load (the run suspends). */
  const holder = asm("PUSH 1 PUSH3 0x095fe0 MSTORE PUSH2 0x1234 BALANCE POP STOP");
  const waitsOnBalance = (r: ReturnType<TxRun["step"]>) => !r.done && r.needs.some((n) => n.kind === "account" && n.address.endsWith("1234"));
  const grower = asm("PUSH 1 PUSH3 0x095fe0 MSTORE STOP");
  const lazyRun = (code: Uint8Array, pool: { left: number }) => new TxRun({ source: new LazySource(stateWith(code)), tx: tx(), block: block(), fork: Fork.Osaka, limits: { memoryPool: pool } });
  const loadAll = (run: TxRun, r: ReturnType<TxRun["step"]>) => {
    const source = (run as unknown as { opts: { source: LazySource } }).opts.source;
    while (!r.done) {
      source.load(r.needs);
      r = run.step();
    }
    return expectValid(r.result);
  };

  it("halts a run with isolate_memory while a suspended run holds the pool, and lets it through once given back", () => {
    const pool = { left: 1024 * 1024 };
    const a = lazyRun(holder, pool);
    let ra = a.step();
    // a needs its account and code first, then the slot: step until it waits on the slot, holding its memory.
    const source = (a as unknown as { opts: { source: LazySource } }).opts.source;
    while (!ra.done && !waitsOnBalance(ra)) {
      source.load(ra.needs);
      ra = a.step();
    }
    expect(ra.done).toBe(false);
    expect(pool.left).toBe(1024 * 1024 - 0x096000);
    const b = runTxSync({ source: stateWith(grower), tx: tx(), block: block(), fork: Fork.Osaka, limits: { memoryPool: pool } });
    expect(expectValid(b).haltReason).toBe("isolate_memory");
    expect(pool.left).toBe(1024 * 1024 - 0x096000);
    expect(loadAll(a, ra).status).toBe("success");
    expect(pool.left).toBe(1024 * 1024);
    const again = runTxSync({ source: stateWith(grower), tx: tx(), block: block(), fork: Fork.Osaka, limits: { memoryPool: pool } });
    expect(expectValid(again).status).toBe("success");
    expect(pool.left).toBe(1024 * 1024);
  });

  it("gets the memory of a run given up mid-way back with release()", () => {
    const pool = { left: 1024 * 1024 };
    const a = lazyRun(holder, pool);
    const source = (a as unknown as { opts: { source: LazySource } }).opts.source;
    let r = a.step();
    while (!r.done && !waitsOnBalance(r)) {
      source.load(r.needs);
      r = a.step();
    }
    expect(pool.left).toBeLessThan(1024 * 1024);
    a.release();
    expect(pool.left).toBe(1024 * 1024);
  });
});

describe("time cap", () => {
  it("stops an endless loop with time_cap, long before its gas runs out", () => {
    const loop = asm(":top PUSH 1 PUSH 0 SSTORE @top JUMP");
    const r = runWith(loop, { deadline: 50, now: ticking() }, 16_000_000n);
    expect(r.status).toBe("halted");
    expect(r.haltReason).toBe("time_cap");
    expect(r.gasUsed).toBeLessThan(16_000_000n);
    expect(r.changes.find((c) => c.address === CONTRACT)?.storage?.size ?? 0).toBe(0);
  });

  it("is checked when a run resumes after loading state", () => {
    const code = asm("PUSH 7 SLOAD PUSH 8 SLOAD ADD PUSH 0 SSTORE STOP");
    let now = 0;
    const run = new TxRun({ source: new LazySource(stateWith(code)), tx: tx(), block: block(), fork: Fork.Osaka, limits: { deadline: 100, now: () => now } });
    const source = (run as unknown as { opts: { source: LazySource } }).opts.source;
    let r = run.step();
    while (!r.done && now < 1000) {
      source.load(r.needs);
      now += 60; // each round trip of loads takes 60 ms
      r = run.step();
    }
    expect(r.done).toBe(true);
    const result = r.done ? expectValid(r.result) : undefined;
    expect(result?.haltReason).toBe("time_cap");
  });

  it("looks at the clock at every precompile call, which can each take milliseconds", () => {
    // sha256 of nothing, again and again: a few hundred calls, fewer than 1,024 jumps.
    const code = asm(":top PUSH 32 PUSH0 PUSH0 PUSH0 PUSH 2 GAS STATICCALL POP @top JUMP");
    let reads = 0;
    const r = runWith(code, { deadline: 20, now: () => reads++ }, 500_000n);
    expect(r.haltReason).toBe("time_cap");
    expect(reads).toBeLessThan(40);
  });

  it("leaves a run within its deadline alone", () => {
    const loop = asm("PUSH 100 :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP");
    expect(runWith(loop, { deadline: 1e15 }).status).toBe("success");
  });
});
