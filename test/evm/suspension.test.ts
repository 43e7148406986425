import { describe, expect, it } from "vitest";
import type { Address } from "../../src/primitives/hex.ts";
import { Fork } from "../../src/evm/fork.ts";
import { TxRun, runTxSync } from "../../src/evm/run.ts";
import type { TxResult } from "../../src/evm/types.ts";
import { MemoryState } from "../../src/state/memory.ts";
import { asm } from "../../src/cli/asm.ts";
import { LazySource } from "../helpers/lazy-source.ts";
import { giveBackLimbRegions, takeLimbRegions } from "../helpers/limb-regions.ts";
import { block, CONTRACT, SENDER, tx } from "../helpers/exec.ts";

const OTHER = "0x4000000000000000000000000000000000000004" as Address;

function world(): MemoryState {
  const s = new MemoryState();
  s.setAccount(SENDER, { balance: 10n ** 21n });
  // CONTRACT: reads slot 7, adds OTHER's balance and slot 1 of itself, stores the sum in slot 2,
  // calls OTHER (which stores CALLER in its slot 0), logs, returns the sum.
  const code = asm(`
    PUSH 7 SLOAD PUSH 1 SLOAD ADD PUSH20 ${BigInt(OTHER)} BALANCE ADD
    DUP1 PUSH 2 SSTORE
    PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH20 ${BigInt(OTHER)} GAS CALL POP
    PUSH 1 NUMBER SUB BLOCKHASH PUSH 0 PUSH 0 LOG1
    PUSH 0 MSTORE PUSH 32 PUSH 0 RETURN`);
  s.setAccount(CONTRACT, { code, nonce: 1n, storage: new Map([[7n, 40n], [1n, 2n]]) });
  s.setAccount(OTHER, { balance: 100n, code: asm(`CALLER PUSH 0 SSTORE STOP`) });
  s.blockHashes = (n) => n * 1000n;
  return s;
}

function runLazily(source: LazySource, state: MemoryState): TxResult {
  const run = new TxRun({ source, tx: tx(), block: block(), fork: Fork.Osaka });
  for (let i = 0; i < 100; i++) {
    const r = run.step();
    if (r.done) return r.result;
    expect(r.needs.length).toBeGreaterThan(0);
    source.load(r.needs);
  }
  throw new Error("did not finish");
}

describe("suspend and resume on missing state", () => {
  it("gives the same result as a fully loaded source", () => {
    const eager = runTxSync({ source: world(), tx: tx(), block: block(), fork: Fork.Osaka });
    const state = world();
    const lazy = new LazySource(state);
    const result = runLazily(lazy, state);
    expect(result).toEqual(eager);
    expect(result.valid && result.status).toBe("success");
    // Every kind of state was fetched on demand, in several round trips.
    const kinds = new Set(lazy.requests.flat().map((n) => n.kind));
    expect([...kinds].sort()).toEqual(["account", "blockHash", "code", "storage"]);
    expect(lazy.requests.length).toBeGreaterThan(4);
  });
});

describe("lazyCoinbase", () => {
  const code = asm("PUSH 1 PUSH0 SSTORE STOP");
  const run = (tip: bigint, lazyCoinbase: boolean) => {
    const state = new MemoryState();
    state.setAccount(SENDER, { balance: 10n ** 21n });
    state.setAccount(CONTRACT, { code, nonce: 1n });
    const source = new LazySource(state);
    const r = new TxRun({ source, tx: tx({ maxFeePerGas: 7n + tip, maxPriorityFeePerGas: tip }), block: block({ baseFee: 7n }), fork: Fork.Osaka, lazyCoinbase });
    let s = r.step();
    while (!s.done) {
      source.load(s.needs);
      s = r.step();
    }
    return { result: s.result, asked: source.requests.flat().some((n) => "address" in n && n.address === block().coinbase) };
  };

  it("never asks for the coinbase when the transaction pays it no tip", () => {
    const lazy = run(0n, true), eager = run(0n, false);
    expect(lazy.asked).toBe(false);
    expect(eager.asked).toBe(true);
    const strip = (r: TxResult) => (r.valid ? { ...r, changes: r.changes.filter((c) => c.address !== block().coinbase) } : r);
    expect(strip(lazy.result)).toEqual(strip(eager.result));
  });

  it("loads and pays the coinbase when there is a tip", () => {
    const paid = run(2n, true);
    expect(paid.asked).toBe(true);
    expect(paid.result.valid && paid.result.changes.find((c) => c.address === block().coinbase)?.balance).toBeGreaterThan(0n);
  });
});

describe("lazySender", () => {
  const FRESH = "0x5000000000000000000000000000000000000005" as Address;
  const SUB = "0x6000000000000000000000000000000000000006" as Address;
  /** Runs a call (unvalidated, no fee, no value) from `from` to CONTRACT running `code`, lazily or not. */
  const run = (code: string, from: Address, lazySender: boolean, value = 0n) => {
    const state = new MemoryState();
    state.setAccount(SENDER, { balance: 10n ** 21n, nonce: 5n });
    state.setAccount(CONTRACT, { code: asm(code), nonce: 1n });
    // SUB looks at the origin's code hash, stores it, and reverts: the view from a failed frame.
    state.setAccount(SUB, { code: asm(`ORIGIN EXTCODEHASH PUSH 0 MSTORE PUSH 32 PUSH 0 REVERT`) });
    const source = new LazySource(state);
    const r = new TxRun({ source, tx: tx({ from, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n, value }), block: block({ baseFee: 0n }), fork: Fork.Osaka, validate: false, lazyCoinbase: true, lazySender });
    let s = r.step();
    while (!s.done) {
      source.load(s.needs);
      s = r.step();
    }
    const asked = source.requests.flat().some((n) => "address" in n && n.address === from);
    const out = s.result.valid ? { status: s.result.status, output: s.result.output, gasUsed: s.result.gasUsed, logs: s.result.logs } : s.result;
    return { out, asked, sender: s.result.valid ? s.result.changes.find((c) => c.address === from) : undefined };
  };
  const ret = "PUSH 0 MSTORE PUSH 32 PUSH 0 RETURN";
  const cases: [string, string][] = [
    ["never looks at its sender", `PUSH 42 ${ret}`],
    ["reads its sender's balance", `CALLER BALANCE ${ret}`],
    ["reads its sender's code hash (a fresh sender is not empty: its nonce was incremented)", `CALLER EXTCODEHASH ${ret}`],
    ["first looks at its sender in a frame that reverts, then again", `PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH20 ${BigInt(SUB)} GAS CALL POP PUSH 32 PUSH 0 PUSH 0 RETURNDATACOPY ORIGIN EXTCODEHASH PUSH 0 MLOAD EQ ${ret}`],
  ];

  for (const [what, code] of cases) {
    it(`answers as the eager run when the call ${what}`, () => {
      for (const from of [SENDER, FRESH]) {
        const lazy = run(code, from, true), eager = run(code, from, false);
        expect(lazy.out).toEqual(eager.out);
        expect(eager.asked).toBe(true);
        // Loaded only when looked at; then with its nonce incremented, as the eager run left it.
        expect(lazy.asked).toBe(!what.startsWith("never"));
        if (lazy.asked) expect(lazy.sender?.nonce).toBe(eager.sender?.nonce);
      }
    });
  }

  it("loads the sender at the start when the call moves value from it", () => {
    const lazy = run(`PUSH 42 ${ret}`, SENDER, true, 1n);
    expect(lazy.asked).toBe(true);
    expect(lazy.out).toEqual(run(`PUSH 42 ${ret}`, SENDER, false, 1n).out);
  });
});

describe("a run given up while suspended", () => {
  /** How many limb regions of evm.wasm's memory the pool can give now (taken, then given back). */
  function freeRegions(): number {
    const taken = takeLimbRegions();
    giveBackLimbRegions(taken);
    return taken.length;
  }

  it("gives its frames' limbs back when released, so runs dropped on a failed load leak no region", () => {
    const free = freeRegions();
    expect(free).toBeGreaterThan(0);
    // A wide word held as limbs (its frame takes a region), then a slot never loaded: suspended.
    const state = new MemoryState();
    state.setAccount(SENDER, { balance: 10n ** 21n });
    state.setAccount(CONTRACT, { code: asm(`PUSH32 ${2n ** 255n + 7n} NOT PUSH 9 SLOAD STOP`), nonce: 1n, storage: new Map([[9n, 1n]]) });
    for (let i = 0; i < free + 5; i++) {
      const source = new LazySource(state);
      const run = new TxRun({ source, tx: tx(), block: block(), fork: Fork.Osaka });
      let r = run.step();
      while (!r.done && !r.needs.some((n) => n.kind === "storage")) {
        source.load(r.needs);
        r = run.step();
      }
      expect(r.done).toBe(false);
      run.release();
    }
    expect(freeRegions()).toBe(free);
  });
});
