import type { Indexes, PostEntry, StateTest, StateTestFile } from "./fixture.ts";

export interface CaseRef {
  test: string;
  fork: string;
  indexes: Indexes;
  entry: PostEntry;
  fixture: StateTest;
}

export interface Selection {
  cases: CaseRef[];
  /** Post entries of forks not run, by fork name. */
  notRun: Record<string, number>;
}

/**
 * The cases of one file to run, in a fixed order (tests, then the requested forks in order,
 * then post entries) so that a restarted worker can skip the ones already done.
 */
export function selectCases(file: StateTestFile, forks: readonly string[], include?: (test: string) => boolean): Selection {
  const cases: CaseRef[] = [];
  const notRun: Record<string, number> = {};
  for (const [test, fixture] of Object.entries(file)) {
    if (include !== undefined && !include(test)) continue;
    for (const [fork, entries] of Object.entries(fixture.post)) {
      if (!forks.includes(fork)) notRun[fork] = (notRun[fork] ?? 0) + entries.length;
    }
    for (const fork of forks) {
      for (const entry of fixture.post[fork] ?? []) cases.push({ test, fork, indexes: entry.indexes, entry, fixture });
    }
  }
  return { cases, notRun };
}
