import { env, exports } from "cloudflare:workers";
import { SCOPES, type Scope } from "../../src/durable/ledger/protocol.ts";
import { hashKey, keyAddress, keyPrefix } from "../../src/records/api-key.ts";
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

/** The Ledger object of a project. */
export const ledgerOf = (projectId: string) => testEnv.LEDGERS.get(testEnv.LEDGERS.idFromName(projectId));

const hex = () => crypto.randomUUID().replaceAll("-", "");

/**
 * A new project (with its own chain and a million units of credit) and one API key in it, with
 * the scopes read, simulate and send unless others are asked for. Made directly in its ledger,
 * as the operator's route does.
 */
export async function newProject(name = "test", scopes: Scope[] = ["read", "simulate", "send"]): Promise<TestKey> {
  const id = hex();
  const projectId = `proj_${id}`;
  const key = `sk_${id}_${hex()}`;
  const keyId = `key_${id}`;
  const chainId = nextChain++;
  await ledgerOf(projectId).init({ id: projectId, name, chainId, credit: 1_000_000_000_000, key: { id: keyId, hash: hashKey(key), prefix: keyPrefix(key), scopes } });
  return { key, keyId, projectId, chainId, address: keyAddress(keyId) };
}

/** Another key of the same project (same chain, its own account). */
export async function anotherKey(of: TestKey, scopes: Scope[] = ["read", "simulate", "send"]): Promise<TestKey> {
  const keyId = `key_${hex()}`;
  const key = `sk_${of.projectId.slice(5)}_${hex()}`;
  await ledgerOf(of.projectId).createKey({ id: keyId, hash: hashKey(key), prefix: keyPrefix(key), scopes });
  return { ...of, key, keyId, address: keyAddress(keyId) };
}

export { SCOPES };

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

/**
 * Waits until the run log has caught up with a project: every request settled with its ledger
 * (no reservation open) and every outbox (the ledger's, and those of `senders`' accounts,
 * the key's own by default) confirmed written to D1 by the queue's consumer.
 */
export async function logCaughtUp(k: TestKey, senders: Address[] = [k.address], opts: { reservations?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const until = Date.now() + (opts.timeoutMs ?? 15_000);
  for (;;) {
    const l = await ledgerOf(k.projectId).inspect();
    const outboxes = await Promise.all(senders.map(async (a) => (await accountOf(k, a).inspect()).outbox));
    if (l.outbox === 0 && (opts.reservations === false || l.reservations === 0) && outboxes.every((n) => n === 0)) return;
    if (Date.now() > until) throw new Error(`the run log did not catch up: ${JSON.stringify({ ledger: l, outboxes })}`);
    await sleep(50);
  }
}
