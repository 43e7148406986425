import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCase } from "../../src/cli/fuzz/run.ts";
import { hexToBytes } from "../../src/primitives/hex.ts";

/** The bench corpus, when the shared folder is there: real contracts to mutate. */
function corpus(): Uint8Array[] {
  try {
    const dir = "../shared/bench/corpus";
    return readdirSync(dir).map((f) => hexToBytes(`0x${JSON.parse(readFileSync(join(dir, f), "utf8")).code}`));
  } catch {
    return [];
  }
}

describe("differential fuzzing against @ethereumjs/evm (seeded)", () => {
  it("agrees on status, return data, gas, logs and storage for 1,500 generated cases", async () => {
    const seeds = corpus();
    const divergences = [];
    const statuses = new Set<string>();
    for (let seed = 1; seed <= 1500; seed++) {
      const r = await runCase(seed, seeds);
      statuses.add(r.status);
      if (r.divergence !== undefined) divergences.push(r.divergence);
    }
    expect(divergences).toEqual([]);
    // The generator reaches every way a run can end.
    expect([...statuses].sort()).toEqual(["halt", "revert", "success"]);
  }, 120_000);
});
