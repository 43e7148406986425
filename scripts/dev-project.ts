/**
 * The development project and key, and how the local tools run offline: shared by `npm run dev`
 * (scripts/dev.ts) and the console's browser tests, which start their own `wrangler dev` on a
 * fresh database. The project is made through the operator's route, in its Ledger object.
 */
import { readFileSync } from "node:fs";

/** Valid only in your local database: nothing else ever stores it (`sk_<project>_<secret>`, project proj_dev). */
export const DEV_KEY = `sk_dev_${"0".repeat(48)}`;
export const DEV_KEY_ID = "key_dev";
export const DEV_SCOPES = "read simulate send admin";
/** One million currency units, in micro-units. */
export const DEV_CREDIT = 1_000_000_000_000;
/** High enough that local benchmarks (npm run loadtest) are never throttled. */
export const DEV_RATE = 1_000_000;

/** No telemetry, and no fetch of the `Request.cf` placeholder from workers.cloudflare.com. */
export const offline = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

/** The chain id of the development project (wrangler.toml's CHAIN_ID). */
export const devChainId = (): number => Number(/^CHAIN_ID\s*=\s*"(\d+)"/m.exec(readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8"))?.[1] ?? "31337");

/**
 * Makes the development project and key on the server at `url` (idempotent: the same id and key
 * again change nothing), retrying while the server starts.
 */
export async function createDevProject(url: string, operatorSecret: string, chainId = devChainId()): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${url}/operator/projects`, {
        method: "POST",
        headers: { authorization: `Bearer ${operatorSecret}`, "content-type": "application/json" },
        body: JSON.stringify({ id: "proj_dev", name: "development", key: DEV_KEY, chainId, credit: DEV_CREDIT, requestsPerMinute: DEV_RATE }),
      });
      if (res.ok) return;
      throw new Error(`${res.status} ${await res.text()}`);
    } catch (e) {
      if (attempt > 180) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
