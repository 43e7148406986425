import { describe, expect, it } from "vitest";
import Counter from "../contracts/Counter.json";
import { encodeCall } from "./abi.ts";
import { runInDurableObject } from "cloudflare:test";
import { api, ledgerOf, logCaughtUp, newProject } from "./helpers.ts";
import { allRuns, expectError } from "./metering-helpers.ts";

const HOUR = 3_600_000;

/** The raw run log summed per bucket start and kind, as /v1/usage should report it. */
function rollUp(runs: any[], bucketMs: number): Map<string, { runs: number; gas: number; charge: number }> {
  const out = new Map<string, { runs: number; gas: number; charge: number }>();
  for (const r of runs) {
    const start = new Date(Math.floor(Date.parse(r.createdAt) / bucketMs) * bucketMs).toISOString();
    const t = out.get(`${start} ${r.kind}`) ?? { runs: 0, gas: 0, charge: 0 };
    out.set(`${start} ${r.kind}`, { runs: t.runs + 1, gas: t.gas + r.gasUsed, charge: t.charge + r.charge });
  }
  return out;
}

const asMap = (rows: any[]) => new Map(rows.map((r) => [`${r.start} ${r.kind}`, { runs: r.runs, gas: r.gas, charge: r.charge }]));

describe("usage", () => {
  it("equals the raw run log per hour and per day, by kind, with totals", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    for (let i = 0; i < 3; i++) await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") });
    await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("count()") });
    await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("fail(string)", { string: "x" }) });
    await api(k, "POST", "/v1/simulate", { transactions: [{ to: counter, data: encodeCall("increment()") }] });
    await api(k, "POST", "/rpc", { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: counter, data: encodeCall("count()") }, "latest"] });
    const runs = await allRuns(k);
    expect(runs).toHaveLength(8);
    const hourly = (await api(k, "GET", "/v1/usage?granularity=hour")).json;
    expect(asMap(hourly.usage)).toEqual(rollUp(runs, HOUR));
    const daily = (await api(k, "GET", "/v1/usage?granularity=day")).json;
    expect(asMap(daily.usage)).toEqual(rollUp(runs, 24 * HOUR));
    for (const row of daily.usage) expect(row.start).toMatch(/T00:00:00.000Z$/);
    const sum = (f: (r: any) => number) => runs.reduce((n, r) => n + f(r), 0);
    expect(daily.total).toEqual({ runs: 8, gas: sum((r) => r.gasUsed), charge: sum((r) => r.charge) });
    expect(hourly.total).toEqual(daily.total);
  });

  it("filters by from and to (ISO 8601 or epoch ms) and refuses bad parameters", async () => {
    const k = await newProject();
    await api(k, "POST", "/v1/call", { to: k.address });
    await logCaughtUp(k);
    // Two earlier hours of usage, as rollups of older runs would be.
    const now = Date.now();
    const hour = Math.floor(now / HOUR);
    for (const [h, charge] of [[hour - 30, 7], [hour - 2, 11]]) {
      await runInDurableObject(ledgerOf(k.projectId), (_o, state) => void state.storage.sql.exec(`INSERT INTO usage (hour, kind, runs, gas, charge) VALUES (?, 'send', 1, 21000, ?)`, h, charge));
    }
    const last24 = (await api(k, "GET", "/v1/usage")).json;
    expect(last24.total.runs).toBe(2);
    const from = new Date((hour - 2) * HOUR).toISOString();
    const window = (await api(k, "GET", `/v1/usage?from=${from}&to=${(hour - 1) * HOUR}`)).json;
    expect(window.usage).toEqual([{ start: from, kind: "send", runs: 1, gas: 21000, charge: 11 }]);
    const all = (await api(k, "GET", `/v1/usage?from=${(hour - 48) * HOUR}&granularity=day`)).json;
    expect(all.total.runs).toBe(3);
    expectError(await api(k, "GET", "/v1/usage?granularity=week"), 400, "invalid_granularity");
    expectError(await api(k, "GET", "/v1/usage?from=yesterday"), 400, "invalid_time");
    expectError(await api(k, "GET", `/v1/usage?from=${now}&to=${now - 1}`), 400, "invalid_time_range");
    expectError(await api(k, "GET", "/v1/usage?project=proj_other"), 400, "unknown_parameter");
  });
});
