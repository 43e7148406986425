import "../wasm.ts";
import { readFileSync } from "node:fs";
import type { Indexes } from "./fixture.ts";
import { isStateTestFile } from "./fixture.ts";
import { runCase } from "./case.ts";
import { selectCases } from "./cases.ts";
import { caseLabel } from "./files.ts";

export interface CaseResult {
  rel: string;
  test: string;
  label: string;
  fork: string;
  indexes: Indexes;
  pass: boolean;
  reason?: string;
}

export interface FileSummary {
  rel: string;
  cases: number;
  notRun: Record<string, number>;
  /** Set when the file was not run at all. */
  skipped?: string;
  /** The skip is a problem (unreadable, a crash), not just JSON of another kind. */
  error?: boolean;
}

export interface RunFileOptions {
  forks: readonly string[];
  filter?: RegExp;
  /** Cases before this position were run by an earlier worker (see the timeout restart). */
  skip?: number;
  onStart?: (index: number, c: Omit<CaseResult, "pass">) => void;
  onResult: (r: CaseResult) => void;
}

/** Runs the selected cases of one fixture file, reporting each as it finishes. */
export function runFile(path: string, rel: string, opts: RunFileOptions): FileSummary {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return { rel, cases: 0, notRun: {}, skipped: `unreadable: ${(e as Error).message}`, error: true };
  }
  if (!isStateTestFile(json)) return { rel, cases: 0, notRun: {}, skipped: "not a state-test file" };
  const filter = opts.filter;
  const include = filter === undefined ? undefined : (test: string) => filter.test(test) || filter.test(caseLabel(rel, test));
  const { cases, notRun } = selectCases(json, opts.forks, include);
  for (let i = opts.skip ?? 0; i < cases.length; i++) {
    const c = cases[i];
    const id = { rel, test: c.test, label: caseLabel(rel, c.test), fork: c.fork, indexes: c.indexes };
    opts.onStart?.(i, id);
    opts.onResult({ ...id, ...runCase(c.fixture, c.fork, c.entry) });
  }
  return { rel, cases: cases.length, notRun };
}
