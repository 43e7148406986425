import type { RunKind } from "../db/runs.ts";

const HOUR_MS = 3_600_000;

/**
 * The statement adding one logged run to its project's hourly usage, for the run's logging batch.
 * It copies the run's own row (hour of its creation, kind, gas, charge), so the rollups are
 * exactly the sums of the run log.
 */
export function usageStatement(db: D1Database, runId: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO usage_hourly (project_id, hour, kind, runs, gas, charge)
       SELECT project_id, CAST(created_at / ${HOUR_MS} AS INTEGER), kind, 1, gas_used, charge FROM runs WHERE id = ?
       ON CONFLICT (project_id, hour, kind) DO UPDATE SET runs = runs + 1, gas = gas + excluded.gas, charge = charge + excluded.charge`,
    )
    .bind(runId);
}

export interface UsageRow {
  start: string;
  kind: RunKind;
  runs: number;
  gas: number;
  charge: number;
}

/** A project's usage in [from, to), by hour or by day (UTC) and kind. */
export async function usage(db: D1Database, projectId: string, from: number, to: number, granularity: "hour" | "day"): Promise<UsageRow[]> {
  const per = granularity === "hour" ? 1 : 24;
  const { results } = await db
    .prepare(
      `SELECT hour - (hour % ?) AS bucket, kind, SUM(runs) AS runs, SUM(gas) AS gas, SUM(charge) AS charge FROM usage_hourly
       WHERE project_id = ? AND hour >= ? AND hour < ? GROUP BY bucket, kind ORDER BY bucket, kind`,
    )
    .bind(per, projectId, Math.floor(from / HOUR_MS), Math.ceil(to / HOUR_MS))
    .all<{ bucket: number; kind: RunKind; runs: number; gas: number; charge: number }>();
  return results.map((r) => ({ start: new Date(r.bucket * HOUR_MS).toISOString(), kind: r.kind, runs: r.runs, gas: r.gas, charge: r.charge }));
}
