import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCase } from "../../src/cli/statetest/case.ts";
import { selectCases } from "../../src/cli/statetest/cases.ts";
import { caseLabel, collectFixtureFiles } from "../../src/cli/statetest/files.ts";
import { isStateTestFile } from "../../src/cli/statetest/fixture.ts";
import { KnownFailures, loadKnownFailures } from "../../src/cli/statetest/known.ts";
import { FORK_NAMES } from "../../src/evm/fork.ts";

// A varied sample of the Ethereum Foundation state tests, run in-process through the same code as
// `npm run statetest`; the full suite lives outside the repository.
const FIXTURES = fileURLToPath(new URL("../fixtures/statetests", import.meta.url));
const KNOWN = fileURLToPath(new URL("../statetest-known-failures.json", import.meta.url));
const FORKS = Object.values(FORK_NAMES);
const known = new KnownFailures(loadKnownFailures(KNOWN));

describe("Ethereum state tests (sample)", () => {
  for (const file of collectFixtureFiles([FIXTURES])) {
    it(file.rel, () => {
      const json = JSON.parse(readFileSync(file.path, "utf8")) as unknown;
      expect(isStateTestFile(json)).toBe(true);
      if (!isStateTestFile(json)) return;
      const { cases } = selectCases(json, FORKS);
      const failures: string[] = [];
      for (const c of cases) {
        const verdict = runCase(c.fixture, c.fork, c.entry);
        const key = { test: c.test, label: caseLabel(file.rel, c.test), fork: c.fork, indexes: c.indexes };
        if (!verdict.pass && known.match(key, false) === undefined) {
          const { data, gas, value } = c.indexes;
          failures.push(`${key.label} ${c.fork} d=${data} g=${gas} v=${value}: ${verdict.reason}`);
        }
      }
      expect(failures, `${failures.length} of ${cases.length} cases failed`).toEqual([]);
    });
  }
});
