import { describe, expect, it } from "vitest";
import type { Address } from "../../src/primitives/hex.ts";
import { Fork } from "../../src/evm/fork.ts";
import { TxRun, runTxSync } from "../../src/evm/run.ts";
import type { TxResult } from "../../src/evm/types.ts";
import { MemoryState } from "../../src/state/memory.ts";
import { asm } from "../../src/cli/asm.ts";
import { LazySource } from "../helpers/lazy-source.ts";
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
