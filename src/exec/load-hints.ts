import type { Need, Tx } from "../evm/types.ts";

/** Calls remembered per isolate: a least-recently-used map, so memory stays bounded. */
const MAX_ENTRIES = 4096;
/** Needs remembered per call: past it the hint is the last run's needs alone. */
const MAX_NEEDS = 64;

/**
 * The target's storage slots that calls to a contract's function loaded the last times they
 * ran in this isolate: the next call of the same (contract, selector) loads them with the
 * target's account and code, in one round trip instead of one per round of misses. A hint is
 * a guess, never an answer: a hinted slot the run does not read costs bytes, not correctness
 * (it is not in the run's read set, so a commit never conflicts on it).
 */
export class LoadHints {
  private readonly entries = new Map<string, Need[]>();

  /** The needs to load with the transaction's own (none for a creation or a call without data). */
  for(tx: Pick<Tx, "to" | "data">): Need[] {
    const key = keyOf(tx);
    if (key === undefined) return [];
    const needs = this.entries.get(key);
    if (needs === undefined) return [];
    // Most recently used last: the first key is the one to evict.
    this.entries.delete(key);
    this.entries.set(key, needs);
    return needs;
  }

  /** Remembers the target's slots a run of `tx` still had to load after its first round. */
  learn(tx: Tx, loaded: Need[]): void {
    const key = keyOf(tx);
    if (key === undefined || loaded.length === 0) return;
    // Only the target's storage: its account is loaded anyway, so a hint never adds a call.
    const fresh = loaded.filter((n) => n.kind === "storage" && n.address === tx.to);
    if (fresh.length === 0) return;
    const known = this.entries.get(key) ?? [];
    const merged = known.length + fresh.length <= MAX_NEEDS ? [...known, ...fresh] : fresh.slice(0, MAX_NEEDS);
    this.entries.delete(key);
    this.entries.set(key, merged);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }
}

function keyOf(tx: Pick<Tx, "to" | "data">): string | undefined {
  if (tx.to === null || tx.data.length < 4) return undefined;
  const d = tx.data;
  return `${tx.to}:${d[0]},${d[1]},${d[2]},${d[3]}`;
}

/** The isolate's hints: shared by every request it serves (a hint is only ever a guess). */
export const loadHints = new LoadHints();
