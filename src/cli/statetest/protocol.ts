import type { CaseResult, FileSummary } from "./run-file.ts";

/** Messages between the pool (main thread) and its workers. */

export interface WorkerConfig {
  forks: string[];
  /** RegExp source. */
  filter?: string;
}

export interface ToWorker {
  path: string;
  rel: string;
  skip: number;
}

export type FromWorker =
  | { kind: "ready" }
  /** Sent before each case, so the pool can time it out or blame it for a crash. */
  | { kind: "start"; index: number; case: Omit<CaseResult, "pass"> }
  | { kind: "result"; result: CaseResult }
  | { kind: "file-done"; summary: FileSummary };
