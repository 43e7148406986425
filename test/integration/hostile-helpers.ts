import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { api, ledgerOf, logCaughtUp, newProject, testEnv, type TestKey } from "./helpers.ts";
import { credit, setLimits } from "./metering-helpers.ts";

const worker = exports as unknown as { default: { fetch(r: Request): Promise<Response> } };

/** A project whose key may do everything, fast: hostile requests must not be stopped by scopes or the rate limit. */
export async function hostileProject(): Promise<TestKey> {
  const k = await newProject("hostile", ["read", "simulate", "send", "admin"]);
  await setLimits(k, { requestsPerMinute: 1_000_000 });
  // A key's first request funds its account (the development faucet): done here, so that the
  // first hostile request is not the one that changes state.
  expect((await api(k, "GET", "/v1/project")).status).toBe(200);
  return k;
}

/** What a refused request must leave as it was: the key's account (code, slot 0, balance, nonce), runs, credit, keys. */
export async function snapshot(k: TestKey): Promise<string> {
  const { readStamp: _when, ...account } = await testEnv.ACCOUNTS.get(testEnv.ACCOUNTS.idFromName(`${k.chainId}:${k.address}`)).load({ code: true, slots: ["0x0"] });
  return JSON.stringify({ account, db: await billing(k) });
}

/**
 * The project's credit and its live keys, as its ledger has them once the requests before have
 * settled (settlements reach the ledger shortly after their answers: src/exec/settlements.ts).
 */
async function billing(k: TestKey) {
  const ledger = ledgerOf(k.projectId);
  return { credit: await credit(k), keys: (await ledger.keys()).filter((x) => x.revokedAt === null).length };
}

/**
 * A transaction the EVM's rules refused (e.g. intrinsic gas too low) was admitted and looked at:
 * it is logged as an `invalid` run and pays its kind's price, by design. Its state must not move.
 */
async function refusedByTxRules(k: TestKey, code: unknown): Promise<boolean> {
  await logCaughtUp(k);
  const last = await testEnv.DB.prepare(`SELECT status, error_code FROM runs WHERE project_id = ? ORDER BY seq DESC LIMIT 1`).bind(k.projectId).first<{ status: string; error_code: string }>();
  return last?.status === "invalid" && last.error_code === code;
}

export interface HostileRequest {
  method: string;
  path: string;
  text?: string;
  contentType?: string;
}

/**
 * Sends `r` and checks the property every hostile request must hold: an answer within 10 s,
 * never a 5xx, always JSON; a REST refusal (also a route /rpc does not have) is
 * `{error: {code, message}}` with a string code and changes nothing; JSON-RPC answers carry a
 * numeric error code.
 */
export async function expectRefusedCleanly(k: TestKey, r: HostileRequest): Promise<number> {
  const before = await snapshot(k);
  const started = Date.now();
  const res = await worker.default.fetch(
    new Request(`http://edge-evm.test${r.path}`, { method: r.method, headers: { authorization: `Bearer ${k.key}`, ...(r.contentType ? { "content-type": r.contentType } : {}) }, body: r.text }),
  );
  const text = await res.text();
  const what = `${r.method} ${r.path.slice(0, 200)} ${r.text?.slice(0, 200) ?? ""} → ${res.status} ${text.slice(0, 200)}`;
  expect(Date.now() - started, what).toBeLessThan(10_000);
  expect(res.status, what).toBeLessThan(500);
  const json = JSON.parse(text);
  if (json.jsonrpc !== undefined || Array.isArray(json)) {
    if (json.error) expect(typeof json.error.code, what).toBe("number");
  } else if (res.status >= 400) {
    expect(typeof json.error.code, what).toBe("string");
    expect(typeof json.error.message, what).toBe("string");
    const after = await snapshot(k);
    if (after !== before && (await refusedByTxRules(k, json.error.code))) expect(JSON.parse(after).account, `${what}: refused but changed state`).toEqual(JSON.parse(before).account);
    else expect(after, `${what}: refused but changed state`).toBe(before);
  }
  return res.status;
}

export { worker };
