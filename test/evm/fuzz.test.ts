import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { runEjs, runOurs } from "../../src/cli/fuzz/engines.ts";
import { difference } from "../../src/cli/fuzz/outcome.ts";
import { runCase, type Divergence } from "../../src/cli/fuzz/run.ts";
import { loadSeeds } from "../../src/cli/fuzz/seeds.ts";
import { shrinkBytes } from "../../src/cli/fuzz/shrink.ts";
import { ALL_FORKS, Fork, FORK_NAMES } from "../../src/evm/fork.ts";

/** Runs `count` seeded cases from `first`: the divergences, and which generator ended how. */
async function fuzz(first: number, count: number, fork: Fork): Promise<{ divergences: Divergence[]; outcomes: Set<string> }> {
  const seeds = loadSeeds();
  const divergences: Divergence[] = [];
  const outcomes = new Set<string>();
  for (let seed = first; seed < first + count; seed++) {
    const r = await runCase(seed, seeds, fork);
    outcomes.add(`${r.kind.replace(/ of .*/, "")}/${r.status}`);
    if (r.divergence !== undefined) divergences.push(r.divergence);
  }
  return { divergences, outcomes };
}

describe("differential fuzzing against @ethereumjs/evm (seeded)", () => {
  it("agrees on status, output, gas, refund, logs and the whole resulting state for 1,200 Osaka cases", async () => {
    const { divergences, outcomes } = await fuzz(1, 1200, Fork.Osaka);
    expect(divergences).toEqual([]);
    // Every generator runs, and the structured programs reach every way a run can end.
    for (const o of ["program/success", "program/revert", "program/halt", "soup/halt", "random bytes/halt", "mutation/halt"]) expect(outcomes).toContain(o);
  }, 120_000);

  it("agrees on 300 Prague cases", async () => {
    expect((await fuzz(100_000, 300, Fork.Prague)).divergences).toEqual([]);
  }, 60_000);

  it("agrees on 12 cases of each fork from Frontier to Cancun", async () => {
    for (const fork of ALL_FORKS.filter((f) => f < Fork.Prague)) {
      const { divergences } = await fuzz(200_000 + 1000 * fork, 12, fork);
      expect(divergences, FORK_NAMES[fork]).toEqual([]);
    }
  }, 120_000);
});

describe("the fuzzer's comparison and shrinking", () => {
  const gas = 100_000;
  const none = new Uint8Array(0);

  it("sees a difference in storage, balances and logs", async () => {
    // The same code with a different word of calldata: only what the word controls differs.
    const run = (code: string, word: number) => runOurs(asm(code), Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? word : 0)), gas, Fork.Osaka);
    expect(difference(run("PUSH0 CALLDATALOAD PUSH0 SSTORE STOP", 1), run("PUSH0 CALLDATALOAD PUSH0 SSTORE STOP", 2))).toMatch(/^storage:/);
    const send = "PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 CALLDATALOAD PUSH 0x1234 PUSH 0xffff CALL STOP";
    expect(difference(run(send, 1), run(send, 2))).toMatch(/^accounts:/);
    expect(difference(run("PUSH0 CALLDATALOAD PUSH0 MSTORE8 PUSH 1 PUSH0 LOG0 STOP", 1), run("PUSH0 CALLDATALOAD PUSH0 MSTORE8 PUSH 1 PUSH0 LOG0 STOP", 2))).toMatch(/^logs:/);
  });

  it("sees a difference in status", async () => {
    // CLZ exists since Osaka: the same code ends differently on the two forks.
    const clz = asm("PUSH 1 CLZ STOP");
    expect(difference(runOurs(clz, none, gas, Fork.Osaka), await runEjs(clz, none, gas, Fork.Prague))).toMatch(/^status:/);
    expect(difference(runOurs(clz, none, gas, Fork.Osaka), await runEjs(clz, none, gas, Fork.Osaka))).toBeUndefined();
  });

  it("shrinks bytes to the smallest input that still shows the property", async () => {
    const input = Uint8Array.from({ length: 200 }, (_, i) => (i === 77 ? 0xaa : i === 150 ? 0xbb : i % 7));
    const small = await shrinkBytes(input, async (b) => b.includes(0xaa) && b.includes(0xbb));
    expect(Array.from(small)).toEqual([0xaa, 0xbb]);
  });
});
