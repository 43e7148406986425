import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One benchmark workload of the shared corpus (see shared/bench/corpus). */
export interface Workload {
  name: string;
  category: string;
  code: string;
  calldata: string;
  gasLimit: number;
  expectedOutput: string | null;
  observed?: { output: string; execGas: number; gasRefund: number };
}

export function loadCorpus(dir: string, filter?: RegExp): Workload[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Workload)
    .filter((w) => filter === undefined || filter.test(w.name));
}
