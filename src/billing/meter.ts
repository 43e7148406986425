import type { RunKind } from "../db/runs.ts";
import { reserve, settlement } from "./credit.ts";
import { costOf, pricesOf, type PriceVars } from "./prices.ts";
import { usageStatement } from "./usage.ts";

/** A run's credit, held while it runs; `close` gives the statements that settle it. */
export interface Meter {
  /**
   * The run's charge for the gas it used (never more than was reserved), and the statements to
   * write in the same D1 batch as, and after, the run's row: the settlement and the usage rollup.
   */
  close(runId: string, gasUsed: bigint): { charge: bigint; statements: D1PreparedStatement[] };
}

/**
 * Reserves the most a run of `kind` with `gasLimit` can cost from the project's credit, or
 * answers undefined when the credit does not cover it (nothing may run then).
 */
export async function openMeter(db: D1Database, vars: PriceVars, projectId: string, kind: RunKind, gasLimit: bigint): Promise<Meter | undefined> {
  const prices = pricesOf(vars);
  const held = await reserve(db, projectId, costOf(prices, kind, gasLimit));
  if (held === undefined) return undefined;
  return {
    close(runId, gasUsed) {
      const { charge, statements } = settlement(db, held, runId, costOf(prices, kind, gasUsed));
      // The rollup copies the run's row as settled (its charge already final).
      return { charge, statements: [...statements, usageStatement(db, runId)] };
    },
  };
}
