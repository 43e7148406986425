import { existsSync, readFileSync } from "node:fs";
import type { Indexes } from "./fixture.ts";

/** A failure we know about and accept for now, with the reason (test/statetest-known-failures.json). */
export interface KnownFailure {
  /** The fixture's test name, or the runner's label for it (`folder/file` or `folder/file:test`). */
  test: string;
  fork: string;
  /** Absent: every post entry of that test and fork. */
  indexes?: Indexes;
  reason: string;
}

export interface CaseKey {
  test: string;
  label: string;
  fork: string;
  indexes: Indexes;
}

export function loadKnownFailures(path: string): KnownFailure[] {
  if (!existsSync(path)) return [];
  const list = JSON.parse(readFileSync(path, "utf8")) as unknown;
  if (!Array.isArray(list)) throw new Error(`${path}: expected a JSON array of { test, fork, indexes?, reason }`);
  for (const k of list as KnownFailure[]) {
    if (typeof k.test !== "string" || typeof k.fork !== "string") throw new Error(`${path}: entry without test or fork: ${JSON.stringify(k)}`);
  }
  return list as KnownFailure[];
}

/** Tracks which listed failures still fail, so that entries which now pass can be trimmed. */
export class KnownFailures {
  private readonly failed = new Set<KnownFailure>();
  private readonly passed = new Set<KnownFailure>();

  constructor(readonly list: KnownFailure[]) {}

  /** The entry covering this case, if any; records whether it passed. */
  match(c: CaseKey, pass: boolean): KnownFailure | undefined {
    const k = this.list.find((k) => matches(k, c));
    if (k !== undefined) (pass ? this.passed : this.failed).add(k);
    return k;
  }

  /** Entries that matched cases in this run and none of them failed. */
  nowPassing(): KnownFailure[] {
    return this.list.filter((k) => this.passed.has(k) && !this.failed.has(k));
  }
}

function matches(k: KnownFailure, c: CaseKey): boolean {
  if (k.fork !== c.fork || (k.test !== c.test && k.test !== c.label)) return false;
  const i = k.indexes;
  return i === undefined || (i.data === c.indexes.data && i.gas === c.indexes.gas && i.value === c.indexes.value);
}
