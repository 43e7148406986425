import { afterEach, describe, expect, it, vi } from "vitest";
import { runInDurableObject } from "cloudflare:test";
import type { Scope } from "../../src/durable/ledger/protocol.ts";
import { keyPrefix } from "../../src/records/api-key.ts";
import Counter from "../contracts/Counter.json";
import { api, ledgerOf, logCaughtUp, newProject, sleep, testEnv, type TestKey } from "./helpers.ts";
import { adminProject, expectError, ledgerSql, operator, rpc } from "./metering-helpers.ts";

async function keyWith(admin: TestKey, scopes: Scope[]): Promise<string> {
  const r = await api(admin, "POST", "/v1/keys", { scopes });
  expect(r.status).toBe(201);
  return r.json.key;
}

/** A key's last use as the operator's view in D1 has it, once the ledger's writes have arrived there. */
async function lastUsed(k: TestKey, keyId = k.keyId): Promise<number | null> {
  await logCaughtUp(k, []);
  return (await testEnv.DB.prepare(`SELECT last_used_at FROM api_keys WHERE id = ?`).bind(keyId).first<{ last_used_at: number | null }>())?.last_used_at ?? null;
}

afterEach(() => vi.restoreAllMocks());

describe("admin: keys and credit", () => {
  it("creates a key (the secret once, stored as a hash), lists keys by prefix only, adds credit", async () => {
    const admin = await adminProject();
    const created = await api(admin, "POST", "/v1/keys", { scopes: ["read", "simulate"] });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ prefix: keyPrefix(created.json.key), scopes: ["read", "simulate"], lastUsedAt: null, revokedAt: null });
    // A key names its project (sk_<project>_<48 hex digits>): admission goes straight to its ledger.
    expect(created.json.key).toMatch(new RegExp(`^sk_${admin.projectId.slice(5)}_[0-9a-f]{48}$`));
    await logCaughtUp(admin, []);
    const stored = await testEnv.DB.prepare(`SELECT * FROM api_keys WHERE id = ?`).bind(created.json.id).first();
    expect(stored).toMatchObject({ project_id: admin.projectId, prefix: created.json.prefix });
    expect(JSON.stringify(stored)).not.toContain(created.json.key);
    const listed = (await api(admin, "GET", "/v1/keys")).json.keys;
    expect(listed.map((x: any) => x.id).sort()).toEqual([admin.keyId, created.json.id].sort());
    expect(JSON.stringify(listed)).not.toContain(created.json.key);
    expect(Object.keys(listed[0]).sort()).toEqual(["address", "createdAt", "id", "lastUsedAt", "prefix", "revokedAt", "scopes"]);
    expect((await api(created.json.key, "GET", "/v1/project")).json.id).toBe(admin.projectId);

    expectError(await api(admin, "POST", "/v1/keys", { scopes: ["root"] }), 400, "invalid_scopes");
  });

  it("grants credit only to the operator: every project key, whatever its scopes, is refused", async () => {
    const admin = await adminProject();
    const before = (await api(admin, "GET", "/v1/project")).json.credit;
    const all: Scope[] = ["read", "simulate", "send", "admin"];
    const keys = [admin.key, ...(await Promise.all(all.map((s) => keyWith(admin, [s]))))];
    for (const key of keys) {
      expectError(await api(key, "POST", "/v1/project/credit", { amount: "2000000000000000000" }), 403, "operator_only");
      // A project key is not the operator's secret either.
      expectError(await api(key, "POST", `/operator/projects/${admin.projectId}/credit`, { amount: "5000" }), 401, "invalid_operator_secret");
    }
    expectError(await api(undefined, "POST", `/operator/projects/${admin.projectId}/credit`, { amount: "5000" }), 401, "invalid_operator_secret");
    expect((await api(admin, "GET", "/v1/project")).json.credit).toBe(before);

    const granted = await operator("POST", `/operator/projects/${admin.projectId}/credit`, { amount: "5000" });
    expect(granted.status).toBe(200);
    expect(granted.json.credit).toBe(before + 5000);
    expectError(await operator("POST", `/operator/projects/${admin.projectId}/credit`, { amount: -1 }), 400, "invalid_quantity");
    expectError(await operator("POST", `/operator/projects/${admin.projectId}/credit`, { amount: 0 }), 400, "invalid_amount");
    expectError(await operator("POST", "/operator/projects/proj_nope/credit", { amount: 1 }), 404, "project_not_found");
    await logCaughtUp(admin, []);
    const grants = await testEnv.DB.prepare(`SELECT amount, key_id FROM credit_grants WHERE project_id = ?`).bind(admin.projectId).all();
    expect(grants.results).toEqual([{ amount: 5000, key_id: null }]);
  });

  it("revokes a key at once: REST, JSON-RPC by header and in the URL all refuse its next request", async () => {
    const admin = await adminProject();
    const key = await keyWith(admin, ["read", "simulate", "send"]);
    const id = (await api(admin, "GET", "/v1/keys")).json.keys.find((x: any) => x.prefix === keyPrefix(key)).id;
    expect((await api(key, "GET", "/v1/project")).status).toBe(200);
    expect((await api(key, "POST", `/rpc/${key}`, { jsonrpc: "2.0", id: 1, method: "eth_chainId" })).status).toBe(200);
    expect((await api(admin, "DELETE", `/v1/keys/${id}`)).json).toEqual({ id, revoked: true });
    expectError(await api(key, "GET", "/v1/project"), 401, "invalid_api_key");
    expectError(await api(key, "POST", "/v1/call", { to: admin.address }), 401, "invalid_api_key");
    expect((await rpc(key, "eth_chainId")).status).toBe(401);
    const inUrl = await api(undefined, "POST", `/rpc/${key}`, { jsonrpc: "2.0", id: 1, method: "eth_chainId" });
    expect(inUrl.status).toBe(401);
    expect(JSON.stringify(inUrl.json)).not.toContain(key);
    expectError(await api(admin, "DELETE", `/v1/keys/${id}`), 404, "key_not_found");
    expect((await api(admin, "GET", "/v1/keys")).json.keys.find((x: any) => x.id === id).revokedAt).toMatch(/^\d{4}-/);
  });

  it("checks the key's scope on every REST route (403 insufficient_scope) and JSON-RPC method", async () => {
    const admin = await adminProject();
    const counter = (await api(admin, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const routes: [Scope, string, string, unknown?][] = [
      ["read", "GET", `/v1/accounts/${counter}`],
      ["read", "GET", `/v1/accounts/${counter}/code`],
      ["read", "GET", `/v1/accounts/${counter}/storage/0`],
      ["read", "POST", "/v1/call", { to: counter }],
      ["read", "GET", "/v1/runs"],
      ["read", "GET", "/v1/usage"],
      ["read", "GET", "/v1/project"],
      ["simulate", "POST", "/v1/simulate", { transactions: [{ to: counter }] }],
      ["send", "POST", "/v1/send", { to: counter }],
      ["send", "POST", "/v1/contracts", { bytecode: "0x00" }],
      ["admin", "GET", "/v1/keys"],
      ["admin", "POST", "/v1/keys", { scopes: ["read"] }],
      ["admin", "DELETE", "/v1/keys/key_none"],
    ];
    const all: Scope[] = ["read", "simulate", "send", "admin"];
    for (const scope of all) {
      const key = await keyWith(admin, all.filter((s) => s !== scope));
      const only = await keyWith(admin, [scope]);
      for (const [need, method, path, body] of routes) {
        const without = await api(key, method, path, body);
        if (need === scope) expectError(without, 403, "insufficient_scope");
        else expect(without.status, `${method} ${path} without ${scope}`).not.toBe(403);
        const withOnly = await api(only, method, path, body);
        if (need === scope) expect(withOnly.status, `${method} ${path} with only ${scope}`).not.toBe(403);
        else expectError(withOnly, 403, "insufficient_scope");
      }
    }
    const readOnly = await keyWith(admin, ["read"]);
    expect((await rpc(readOnly, "eth_call", [{ to: counter, data: "0x06661abd" }, "latest"])).json.result).toMatch(/^0x[0-9a-f]{64}$/);
    expect((await rpc(readOnly, "eth_estimateGas", [{ to: counter }])).json.error.data.code).toBe("insufficient_scope");
    expect((await rpc(readOnly, "eth_sendRawTransaction", ["0x00"])).json.error.data.code).toBe("insufficient_scope");
  });

  it("records a key's last use at most once a minute, written through to D1", async () => {
    const k = await newProject();
    expect(await lastUsed(k)).toBeNull();
    await api(k, "GET", "/v1/project");
    const first = await lastUsed(k);
    expect(first).toBeGreaterThan(Date.now() - 60_000);
    for (let i = 0; i < 5; i++) await api(k, "GET", "/v1/project");
    expect(await lastUsed(k)).toBe(first);
    // A minute later (moved back by hand in the ledger), the next request writes it again.
    await ledgerSql(k.projectId, `UPDATE keys SET last_used_at = last_used_at - 61000`);
    await api(k, "GET", "/v1/project");
    expect(await lastUsed(k)).toBeGreaterThanOrEqual(first!);
    expect(await lastUsed(k)).not.toBe(first);
  });

  it("never writes a key into a log line, an error or an answer", async () => {
    const admin = await adminProject();
    const key = await keyWith(admin, ["read", "simulate", "send"]);
    const lines: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) vi.spyOn(console, level).mockImplementation((...args) => void lines.push(args.map(String).join(" ")));
    const answers = [
      await api(key, "GET", "/v1/nope"),
      await api(undefined, "GET", `/rpc/${key}`),
      await api(undefined, "POST", `/rpc/${key}x`, { jsonrpc: "2.0", id: 1, method: "eth_chainId" }),
      await api(`${key}x`, "GET", "/v1/project"),
      await api(undefined, "GET", "/v1/project", undefined, { authorization: `Basic ${key}` }),
      await api(undefined, "POST", `/rpc/${key}`, { jsonrpc: "2.0", id: 1, method: "eth_nope" }),
      await api(key, "POST", "/v1/send", { to: admin.address, data: "0xd09de08a", gas: 100_000 }, { "x-fault": "die-after-prepare" }),
      await api(undefined, "POST", `/rpc/${key}`, { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: "0xzz" }] }),
    ];
    for (const a of answers) expect(JSON.stringify(a.json)).not.toContain(key.slice(12));
    // The spies do see the Worker's log lines (the injected fault is logged with its path).
    expect(lines.some((l) => l.includes("fault injected"))).toBe(true);
    expect(lines.join("\n")).not.toContain(key.slice(12));
  });
});
