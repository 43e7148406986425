/**
 * The development project and key of a local database, and how the local tools run offline:
 * shared by `npm run dev` (scripts/dev.ts) and the console's browser tests, which start their
 * own `wrangler dev` on a fresh database.
 */
import { createKeyStatements } from "../src/db/keys.ts";
import { inlineSql } from "./inline-sql.ts";

/** Valid only in your local database: nothing else ever stores it. */
export const DEV_KEY = "sk_dev_local_only_0000000000000000";
export const DEV_KEY_ID = "key_dev";
export const DEV_SCOPES = "read simulate send admin";
/** One million currency units, in micro-units. */
export const DEV_CREDIT = 1_000_000_000_000;
/** High enough that local benchmarks (scripts/latency.ts) are never throttled. */
export const DEV_RATE = 60_000;

/** No telemetry, and no fetch of the `Request.cf` placeholder from workers.cloudflare.com. */
export const offline = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

/** SQL that makes the development project and key, or brings an older database's up to date. */
export function devProjectSql(chainId: number): string {
  const statements = createKeyStatements({ projectId: "proj_dev", projectName: "development", chainId, keyId: DEV_KEY_ID, key: DEV_KEY, scopes: DEV_SCOPES, credit: DEV_CREDIT });
  // A database made before metering existed: give the development key its scopes and credit.
  const upgrade = [
    `UPDATE api_keys SET scopes = '${DEV_SCOPES}' WHERE id = '${DEV_KEY_ID}';`,
    `UPDATE projects SET credit = ${DEV_CREDIT} WHERE id = 'proj_dev' AND credit < 1000000;`,
    `UPDATE projects SET requests_per_minute = ${DEV_RATE} WHERE id = 'proj_dev';`,
  ];
  return [...statements.map((s) => `${inlineSql(s.sql, s.params)};`), ...upgrade].join("\n");
}
