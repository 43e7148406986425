import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileContracts } from "./contracts/compile.ts";

const dir = fileURLToPath(new URL("./contracts/", import.meta.url));

describe("test contract artifacts", () => {
  it("match a fresh solc-js compilation of the committed sources", () => {
    const sources = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".sol")).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
    const fresh = compileContracts(sources);
    const committed = readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
    expect(committed).toEqual(Object.keys(fresh).sort());
    for (const [name, artifact] of Object.entries(fresh)) {
      expect(JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")), `${name}.json is stale: npx tsx scripts/compile-test-contracts.ts`).toEqual(artifact);
    }
  });
});
