import { runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import { api, ledgerOf, logCaughtUp, newProject, testEnv, type Answer, type TestKey } from "./helpers.ts";

/**
 * The project's credit as its ledger holds it once no request holds any of it: settlements reach
 * the ledger shortly after their answers (src/exec/settlements.ts).
 */
export async function credit(k: TestKey, settled = true): Promise<number> {
  const until = Date.now() + 5_000;
  for (;;) {
    const p = (await ledgerOf(k.projectId).project())!;
    if (!settled || p.reserved === 0 || Date.now() > until) return p.credit;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sets the plan limits of the key's project (the operator's route). */
export async function setLimits(k: TestKey, limits: { maxGasPerRun?: number | null; requestsPerMinute?: number; retentionDays?: number }): Promise<void> {
  const r = await operator("POST", `/operator/projects/${k.projectId}/limits`, limits);
  expect(r.status).toBe(200);
}

/** Sets the project's credit to `amount` exactly (tests only: the ledger's grant can add what is missing, not take). */
export async function setCredit(k: TestKey, amount: number): Promise<void> {
  await ledgerSql(k.projectId, `UPDATE project SET credit = ?`, amount);
}

/** Every run of the key's project, through /v1/runs (all pages), once the run log has caught up. */
export async function allRuns(k: TestKey | string): Promise<any[]> {
  if (typeof k !== "string") await logCaughtUp(k);
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
export function adminProject(): Promise<TestKey> {
  return newProject("test", ["read", "simulate", "send", "admin"]);
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

/** Runs SQL in a project's ledger as a test's hand change, and makes the ledger read its rows again. */
export async function ledgerSql(projectId: string, query: string, ...params: unknown[]): Promise<void> {
  await runInDurableObject(ledgerOf(projectId), (o, state) => {
    state.storage.sql.exec(query, ...params);
    (o as unknown as { store: { forget(): void } }).store.forget();
  });
}
