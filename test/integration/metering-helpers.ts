import { expect } from "vitest";
import { api, newProject, testEnv, type Answer, type TestKey } from "./helpers.ts";

/** The project's credit as D1 holds it. */
export async function credit(k: TestKey): Promise<number> {
  return (await testEnv.DB.prepare(`SELECT credit FROM projects WHERE id = ?`).bind(k.projectId).first<{ credit: number }>())!.credit;
}

/** Sets plan fields of the key's project directly in D1 (operators do this; no endpoint does). */
export async function setProject(k: TestKey, fields: string, ...params: (number | null)[]): Promise<void> {
  await testEnv.DB.prepare(`UPDATE projects SET ${fields} WHERE id = ?`).bind(...params, k.projectId).run();
}

/** Every run of the key's project, through /v1/runs (all pages). */
export async function allRuns(k: TestKey | string): Promise<any[]> {
  const out: any[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: any = (await api(k, "GET", `/v1/runs?limit=100${cursor ? `&cursor=${cursor}` : ""}`)).json;
    out.push(...page.runs);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
}

export const sumCharges = (runs: { charge: number }[]) => runs.reduce((n, r) => n + r.charge, 0);

/** An admin key (read, simulate, send, admin) of a new project. */
export async function adminProject(): Promise<TestKey> {
  const k = await newProject();
  await testEnv.DB.prepare(`UPDATE api_keys SET scopes = 'read simulate send admin' WHERE id = ?`).bind(k.keyId).run();
  return k;
}

/** A request to an operator route, with the test configuration's OPERATOR_SECRET. */
export function operator(method: string, path: string, body?: unknown): Promise<Answer> {
  return api(testEnv.OPERATOR_SECRET, method, path, body);
}

/** A JSON-RPC request with the key in the Authorization header. */
export function rpc(k: TestKey | string, method: string, params: unknown[] = []): Promise<Answer> {
  return api(k, "POST", "/rpc", { jsonrpc: "2.0", id: 1, method, params });
}

export function expectError(a: Answer, status: number, code: string): void {
  expect({ status: a.status, code: a.json.error?.code }).toEqual({ status, code });
}
