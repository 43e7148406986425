import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * Runs `make` and answers how much heap what it returns keeps alive (MiB), measured between two
 * full collections: what a trace holds once its run is over, garbage left out.
 */
export function retainedMiB<T>(make: () => T): { value: T; mib: number } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const value = make();
  gc();
  return { value, mib: (process.memoryUsage().heapUsed - before) / 2 ** 20 };
}
