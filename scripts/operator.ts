/**
 * Shared by the operator scripts: where the service is and the operator's secret. The secret
 * comes from OPERATOR_SECRET in the environment, else from `.dev.vars` (what `npm run dev` uses).
 */
import { existsSync, readFileSync } from "node:fs";

export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

/** OPERATOR_SECRET from the environment or `.dev.vars`. */
export function operatorSecret(): string | undefined {
  if (process.env.OPERATOR_SECRET) return process.env.OPERATOR_SECRET;
  if (!existsSync(".dev.vars")) return undefined;
  return /^OPERATOR_SECRET\s*=\s*"?([^"\n]+)"?\s*$/m.exec(readFileSync(".dev.vars", "utf8"))?.[1];
}

/** A call to an `/operator` route; exits with the service's error when it refuses. */
export async function operatorCall(path: string, body: unknown): Promise<any> {
  const url = arg("url") ?? `http://localhost:${process.env.PORT ?? "8787"}`;
  const secret = operatorSecret();
  if (secret === undefined) {
    console.error("no operator secret: set OPERATOR_SECRET (or run `npm run dev` once, which writes it to .dev.vars)");
    process.exit(2);
  }
  let res: Response;
  try {
    res = await fetch(`${url}/operator${path}`, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch (e) {
    console.error(`could not reach ${url}: is the service running (npm run dev), or is --url right?`, (e as Error).message);
    process.exit(1);
  }
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    console.error(`${res.status}: ${JSON.stringify(json)}`);
    process.exit(1);
  }
  return json;
}
