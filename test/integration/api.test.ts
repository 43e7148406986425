import { describe, expect, it } from "vitest";
import { api, newKey } from "./helpers.ts";
import { COUNTER, REVERTER } from "./contracts.ts";

describe("REST API end to end (workerd, Account DOs, D1)", () => {
  it("deploys a contract, sends to it, calls it and logs every run", async () => {
    const key = await newKey();
    const deployed = await api(key, "POST", "/v1/contracts", { bytecode: COUNTER });
    expect(deployed.status).toBe(201);
    const address = deployed.json.address;
    expect(address).toMatch(/^0x[0-9a-f]{40}$/);

    const sent = await api(key, "POST", "/v1/send", { to: address, data: "0x" });
    expect(sent.status).toBe(200);
    expect(sent.json.status).toBe("success");
    expect(sent.json.txHash).toMatch(/^0x[0-9a-f]{64}$/);

    const got = await api(key, "POST", "/v1/call", { to: address, data: "0x01" });
    expect(BigInt(got.json.returnData)).toBe(1n);

    const slot = await api(key, "GET", `/v1/accounts/${address}/storage/0`);
    expect(BigInt(slot.json.value)).toBe(1n);
    const acct = await api(key, "GET", `/v1/accounts/${address}`);
    expect(acct.json.codeSize).toBeGreaterThan(0);

    const runs = await api(key, "GET", "/v1/runs?limit=10");
    expect(runs.json.runs.map((r: { kind: string }) => r.kind)).toEqual(["call", "send", "deploy"]);
    const one = await api(key, "GET", `/v1/runs/${runs.json.runs[0].id}`);
    expect(one.json.kind).toBe("call");
  });

  it("never lets a call change stored state", async () => {
    const key = await newKey();
    const { json } = await api(key, "POST", "/v1/contracts", { bytecode: COUNTER });
    const call = await api(key, "POST", "/v1/call", { to: json.address, data: "0x" });
    expect(call.json.status).toBe("success");
    const slot = await api(key, "GET", `/v1/accounts/${json.address}/storage/0`);
    expect(BigInt(slot.json.value)).toBe(0n);
  });

  it("loses no update under 100 concurrent sends", async () => {
    const key = await newKey();
    const { json } = await api(key, "POST", "/v1/contracts", { bytecode: COUNTER });
    const results = await Promise.all(Array.from({ length: 100 }, () => api(key, "POST", "/v1/send", { to: json.address, data: "0x" })));
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const slot = await api(key, "GET", `/v1/accounts/${json.address}/storage/0`);
    expect(BigInt(slot.json.value)).toBe(100n);
  });

  it("decodes Error(string) reverts and commits nothing", async () => {
    const key = await newKey();
    const { json } = await api(key, "POST", "/v1/contracts", { bytecode: REVERTER });
    const r = await api(key, "POST", "/v1/call", { to: json.address, data: "0x" });
    expect(r.json.status).toBe("reverted");
    expect(r.json.error.decoded).toEqual({ kind: "error", reason: "nope" });
  });

  it("replays a send with the same Idempotency-Key without executing it again", async () => {
    const key = await newKey();
    const { json } = await api(key, "POST", "/v1/contracts", { bytecode: COUNTER });
    const a = await api(key, "POST", "/v1/send", { to: json.address, data: "0x" }, { "idempotency-key": "k1" });
    const b = await api(key, "POST", "/v1/send", { to: json.address, data: "0x" }, { "idempotency-key": "k1" });
    expect(b.json).toEqual(a.json);
    const slot = await api(key, "GET", `/v1/accounts/${json.address}/storage/0`);
    expect(BigInt(slot.json.value)).toBe(1n);
  });

  it("simulates a bundle on a private overlay with a state diff", async () => {
    const key = await newKey();
    const { json } = await api(key, "POST", "/v1/contracts", { bytecode: COUNTER });
    const sim = await api(key, "POST", "/v1/simulate", { transactions: [{ to: json.address, data: "0x" }, { to: json.address, data: "0x" }, { to: json.address, data: "0x01" }] });
    expect(sim.status).toBe(200);
    expect(BigInt(sim.json.results[2].returnData)).toBe(2n);
    const diff = sim.json.results[1].stateDiff.find((d: { address: string }) => d.address === json.address);
    expect(diff.storage).toEqual([{ slot: "0x0", before: "0x1", after: "0x2" }]);
    const slot = await api(key, "GET", `/v1/accounts/${json.address}/storage/0`);
    expect(BigInt(slot.json.value)).toBe(0n);
  });
});

describe("errors", () => {
  it("answers each client mistake with its code and status", async () => {
    const key = await newKey();
    expect((await api(undefined, "POST", "/v1/call", { to: "0x" + "0".repeat(40) })).json.error.code).toBe("missing_api_key");
    expect((await api("sk_wrong", "POST", "/v1/call", {})).json.error.code).toBe("invalid_api_key");
    expect((await api(key, "POST", "/v1/call", "{not json")).json.error.code).toBe("invalid_json");
    expect((await api(key, "POST", "/v1/call", { to: "0x12" })).json.error.code).toBe("invalid_address");
    expect((await api(key, "POST", "/v1/call", { to: "0x" + "0".repeat(40), extra: 1 })).json.error.code).toBe("unknown_field");
    expect((await api(key, "POST", "/v1/call", { to: "0x" + "0".repeat(40), data: "0xabc" })).json.error.code).toBe("invalid_hex");
    expect((await api(key, "POST", "/v1/call", { to: "0x" + "0".repeat(40), value: -1 })).json.error.code).toBe("invalid_quantity");
    expect((await api(key, "GET", "/v1/runs/nope")).status).toBe(404);
    expect((await api(key, "GET", "/v1/nothing")).json.error.code).toBe("not_found");
  });
});
