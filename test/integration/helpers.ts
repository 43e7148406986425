import { env, exports } from "cloudflare:workers";
import { createKeyStatements, keyAddress } from "../../src/db/keys.ts";
import type { Env } from "../../src/env.ts";
import type { Address } from "../../src/primitives/hex.ts";

export const testEnv = env as unknown as Env;

let nextChain = 1_000_000 + Math.floor(Math.random() * 1_000_000) * 100;

export interface TestKey {
  key: string;
  keyId: string;
  projectId: string;
  chainId: number;
  address: Address;
}

/** A new project (with its own chain) and one API key in it. */
export async function newProject(name = "test"): Promise<TestKey> {
  const id = crypto.randomUUID().replaceAll("-", "");
  const k = { projectId: `proj_${id}`, projectName: name, chainId: nextChain++, keyId: `key_${id}`, key: `sk_test_${id}` };
  await testEnv.DB.batch(createKeyStatements(k).map((s) => testEnv.DB.prepare(s.sql).bind(...s.params)));
  return { key: k.key, keyId: k.keyId, projectId: k.projectId, chainId: k.chainId, address: keyAddress(k.keyId) };
}

/** Another key of the same project (same chain, its own account). */
export async function anotherKey(of: TestKey): Promise<TestKey> {
  const id = crypto.randomUUID().replaceAll("-", "");
  const k = { projectId: of.projectId, projectName: "", chainId: of.chainId, keyId: `key_${id}`, key: `sk_test_${id}` };
  await testEnv.DB.batch(createKeyStatements(k).map((s) => testEnv.DB.prepare(s.sql).bind(...s.params)));
  return { ...of, key: k.key, keyId: k.keyId, address: keyAddress(k.keyId) };
}

export interface Answer {
  status: number;
  headers: Headers;
  json: any;
}

/** One request to the Worker, in the same workerd as the tests. */
export async function api(key: TestKey | string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const secret = typeof key === "string" ? key : key?.key;
  const res = await (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default.fetch(
    new Request(`http://edge-evm.test${path}`, {
      method,
      headers: { ...(secret !== undefined ? { authorization: `Bearer ${secret}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
  return { status: res.status, headers: res.headers, json: await res.json() };
}

/** The account object of `address` on the key's chain. */
export function accountOf(k: TestKey, address: Address) {
  return testEnv.ACCOUNTS.get(testEnv.ACCOUNTS.idFromName(`${k.chainId}:${address}`));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
