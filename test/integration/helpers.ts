import { exports } from "cloudflare:workers";
import { env } from "cloudflare:workers";
import { createKeySql } from "../../src/db/keys.ts";

/** Creates a project with one API key in the test database and returns the key. */
export async function newKey(name = "test"): Promise<string> {
  const key = `sk_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const id = crypto.randomUUID();
  const db = (env as unknown as { DB: D1Database }).DB;
  await db.batch(createKeySql(`proj_${name}_${id}`, name, `key_${id}`, key).map((q) => db.prepare(q)));
  return key;
}

export async function api(key: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default.fetch(
    new Request(`http://edge-evm.test${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
  return { status: res.status, json: await res.json() };
}
