import { describe, expect, it } from "vitest";
import { costOf, pricesOf } from "../../src/billing/prices.ts";
import Counter from "../contracts/Counter.json";
import { encodeCall } from "./abi.ts";
import { api, newProject, testEnv, type TestKey } from "./helpers.ts";

const prices = pricesOf(testEnv);

async function credit(k: TestKey): Promise<number> {
  return (await testEnv.DB.prepare(`SELECT credit FROM projects WHERE id = ?`).bind(k.projectId).first<{ credit: number }>())!.credit;
}

async function setProject(k: TestKey, fields: string, ...params: (number | null)[]): Promise<void> {
  await testEnv.DB.prepare(`UPDATE projects SET ${fields} WHERE id = ?`).bind(...params, k.projectId).run();
}

async function allRuns(k: TestKey): Promise<any[]> {
  const out: any[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: any = (await api(k, "GET", `/v1/runs?limit=100${cursor ? `&cursor=${cursor}` : ""}`)).json;
    out.push(...page.runs);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
}

/** An admin key of a new project. */
async function adminProject(): Promise<TestKey> {
  const k = await newProject();
  await testEnv.DB.prepare(`UPDATE api_keys SET scopes = 'read simulate send admin' WHERE id = ?`).bind(k.keyId).run();
  return k;
}

describe("metering", () => {
  it("charges each kind of run exactly its price plus its gas at the gas price, once, and the credit moves by the same", async () => {
    const k = await newProject();
    const before = await credit(k);
    const deploy = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json;
    await api(k, "POST", "/v1/send", { to: deploy.address, data: encodeCall("increment()") });
    await api(k, "POST", "/v1/call", { to: deploy.address, data: encodeCall("count()") });
    await api(k, "POST", "/v1/simulate", { transactions: [{ to: deploy.address, data: encodeCall("increment()") }] });
    await api(k, "POST", "/v1/call", { to: deploy.address, data: encodeCall("fail(string)", { string: "no" }) });
    // JSON-RPC executions are metered the same way.
    await api(k, "POST", "/rpc", { jsonrpc: "2.0", id: 1, method: "eth_estimateGas", params: [{ to: deploy.address, data: encodeCall("increment()") }] });
    const runs = await allRuns(k);
    expect(runs.map((r) => r.kind).sort()).toEqual(["call", "call", "deploy", "send", "simulate", "simulate"]);
    for (const r of runs) expect(BigInt(r.charge), `${r.kind} ${r.status}`).toBe(costOf(prices, r.kind, BigInt(r.gasUsed)));
    const charged = runs.reduce((n, r) => n + r.charge, 0);
    expect(before - (await credit(k))).toBe(charged);
    const project = (await api(k, "GET", "/v1/project")).json;
    expect(project).toMatchObject({ credit: before - charged, reserved: 0, limits: { maxGasPerRun: null, requestsPerMinute: 600 } });
  });

  it("refuses with 402 before anything runs when the credit cannot cover the reservation", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const nonce = (await api(k, "GET", `/v1/accounts/${k.address}`)).json.nonce;
    const runsBefore = (await allRuns(k)).length;
    await setProject(k, "credit = ?", 1000);
    const r = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") });
    expect({ status: r.status, code: r.json.error.code }).toEqual({ status: 402, code: "insufficient_credit" });
    expect((await api(k, "GET", `/v1/accounts/${k.address}`)).json.nonce).toBe(nonce);
    expect((await allRuns(k)).length).toBe(runsBefore);
    expect(await credit(k)).toBe(1000);
    // Asking for less gas makes the reservation fit.
    const cheap = await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("count()"), gas: 100_000 });
    expect(cheap.status).toBe(200);
  });

  it("never drives credit below zero under 50 concurrent requests near the limit; the log holds every charge once", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const gas = 200_000n;
    const hold = Number(costOf(prices, "call", gas));
    const start = hold * 20 + hold / 2;
    await setProject(k, "credit = ?", start);
    const chargedBefore = (await allRuns(k)).reduce((n, r) => n + r.charge, 0);
    const answers = await Promise.all(Array.from({ length: 50 }, () => api(k, "POST", "/v1/call", { to: counter, data: encodeCall("count()"), gas: gas.toString() })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 402)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
    expect(statuses.filter((s) => s === 402).length).toBeGreaterThan(0);
    const left = await credit(k);
    expect(left).toBeGreaterThanOrEqual(0);
    const charged = (await allRuns(k)).reduce((n, r) => n + r.charge, 0) - chargedBefore;
    expect(start - left).toBe(charged);
    expect((await api(k, "GET", "/v1/project")).json.reserved).toBe(0);
  });

  it("keeps usage rollups equal to the raw run log, per kind", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    for (let i = 0; i < 3; i++) await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") });
    await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("count()") });
    const runs = await allRuns(k);
    const u = (await api(k, "GET", "/v1/usage?granularity=day")).json;
    const byKind = (rows: { kind: string; runs?: number; gas?: number; gasUsed?: number; charge: number }[], count: (r: any) => number) =>
      Object.fromEntries(["call", "send", "deploy"].map((kind) => [kind, rows.filter((r) => r.kind === kind).reduce((t, r) => [t[0] + count(r), t[1] + (r.gas ?? r.gasUsed ?? 0), t[2] + r.charge], [0, 0, 0])]));
    expect(byKind(u.usage, (r) => r.runs)).toEqual(byKind(runs, () => 1));
    expect(u.total.charge).toBe(runs.reduce((n, r) => n + r.charge, 0));
    for (const row of u.usage) expect(row.start).toMatch(/T00:00:00.000Z$/);
    const bad = await api(k, "GET", "/v1/usage?granularity=week");
    expect(bad.json.error.code).toBe("invalid_granularity");
  });

  it("enforces the plan's gas cap and request rate (429 with Retry-After)", async () => {
    const k = await newProject();
    await setProject(k, "max_gas_per_run = ?", 100_000);
    const tooMuch = await api(k, "POST", "/v1/call", { to: k.address, gas: 200_000 });
    expect({ status: tooMuch.status, code: tooMuch.json.error.code }).toEqual({ status: 400, code: "gas_limit_too_high" });
    expect((await api(k, "GET", "/v1/project")).json.limits.maxGasPerRun).toBe(100_000);
    const limited = await newProject();
    await setProject(limited, "requests_per_minute = ?", 3);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await api(limited, "GET", `/v1/accounts/${limited.address}`));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[3].json.error.code).toBe("rate_limited");
    expect(Number(answers[3].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});

describe("admin: keys and credit", () => {
  it("creates a key (secret shown once), lists keys by prefix, revokes at once, adds credit; admin scope only", async () => {
    const admin = await adminProject();
    const created = await api(admin, "POST", "/v1/keys", { scopes: ["read"] });
    expect(created.status).toBe(201);
    expect(created.json.key).toMatch(/^sk_live_[0-9a-f]{48}$/);
    const listed = (await api(admin, "GET", "/v1/keys")).json.keys;
    expect(listed.map((x: any) => x.id)).toContain(created.json.id);
    expect(JSON.stringify(listed)).not.toContain(created.json.key);
    expect((await api(created.json.key, "GET", "/v1/project")).status).toBe(200);
    expect((await api(created.json.key, "POST", "/v1/keys", {})).json.error.code).toBe("insufficient_scope");
    expect((await api(admin, "DELETE", `/v1/keys/${created.json.id}`)).json).toEqual({ id: created.json.id, revoked: true });
    const revoked = await api(created.json.key, "GET", "/v1/project");
    expect({ status: revoked.status, code: revoked.json.error.code }).toEqual({ status: 401, code: "invalid_api_key" });
    const before = (await api(admin, "GET", "/v1/project")).json.credit;
    expect((await api(admin, "POST", "/v1/project/credit", { amount: "5000" })).json.credit).toBe(before + 5000);
    expect((await api(admin, "POST", "/v1/project/credit", { amount: -1 })).json.error.code).toBe("invalid_quantity");
  });

  it("keeps projects apart on every endpoint", async () => {
    const a = await adminProject();
    const b = await adminProject();
    const bCounter = (await api(b, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json;
    const bRun = (await allRuns(b))[0];
    const bKey = (await api(b, "POST", "/v1/keys", { scopes: ["read"] })).json;
    expect((await api(a, "GET", `/v1/runs/${bRun.id}`)).status).toBe(404);
    expect((await allRuns(a)).map((r) => r.id)).not.toContain(bRun.id);
    expect((await api(a, "GET", "/v1/keys")).json.keys.map((x: any) => x.id)).not.toContain(bKey.id);
    expect((await api(a, "DELETE", `/v1/keys/${bKey.id}`)).status).toBe(404);
    expect((await api(bKey.key, "GET", "/v1/project")).status).toBe(200);
    expect((await api(a, "GET", `/v1/accounts/${bCounter.address}/code`)).json.code).toBe("0x");
    expect((await api(a, "GET", "/v1/usage")).json.total.runs).toBe(0);
    expect((await api(a, "GET", "/v1/project")).json.id).toBe(a.projectId);
    const rpc = await api(a, "POST", "/rpc", { jsonrpc: "2.0", id: 1, method: "eth_getTransactionReceipt", params: [bCounter.txHash] });
    expect(rpc.json.result).toBeNull();
  });
});
