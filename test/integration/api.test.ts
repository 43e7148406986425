import { describe, expect, it } from "vitest";
import type { Address } from "../../src/primitives/hex.ts";
import { decodeUint, encodeCall } from "./abi.ts";
import { COUNTER } from "./contracts.ts";
import Counter from "../contracts/Counter.json";
import { runInDurableObject } from "cloudflare:test";
import { accountOf, api, anotherKey, logCaughtUp, newProject, testEnv, type TestKey } from "./helpers.ts";

const FAUCET = 10n ** 21n;
/** Init code that deploys runtime `PUSH3 0x04b000 PUSH0 RETURN` (returns 300 KiB of zeros). */
const BIG_RETURN = "0x6006806009" + "5f395ff3" + "6204b0005ff3";
/** Init code that reverts with no data. */
const REVERTING_INIT = "0x5f5ffd";

async function deployCounter(k: TestKey): Promise<Address> {
  return (await api(k, "POST", "/v1/contracts", { bytecode: COUNTER })).json.address;
}

const expectError = async (p: Promise<{ status: number; json: any }>, status: number, code: string) => {
  const r = await p;
  expect({ status: r.status, code: r.json.error?.code }).toEqual({ status, code });
  expect(typeof r.json.error.message).toBe("string");
};

describe("POST /v1/contracts", () => {
  it("deploys: 201 with the address, transaction, block, gas and logs; the code is stored", async () => {
    const k = await newProject();
    const r = await api(k, "POST", "/v1/contracts", { bytecode: COUNTER });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ status: "success", logs: [] });
    expect(r.json.address).toMatch(/^0x[0-9a-f]{40}$/);
    expect(r.json.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(r.json.gasUsed).toBeGreaterThan(53_000);
    expect(Number.isInteger(r.json.blockNumber)).toBe(true);
    expect((await api(k, "GET", `/v1/accounts/${r.json.address}/code`)).json.code).toBe(Counter.deployedBytecode);
  });

  it("answers a failed deployment with its status and no address, and commits the nonce only", async () => {
    const k = await newProject();
    const r = await api(k, "POST", "/v1/contracts", { bytecode: REVERTING_INIT });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ address: null, status: "reverted", error: { code: "reverted", decoded: null } });
    expect((await api(k, "GET", `/v1/accounts/${k.address}`)).json.nonce).toBe("0x1");
  });

  it("validates the request", async () => {
    const k = await newProject();
    await expectError(api(k, "POST", "/v1/contracts", {}), 400, "missing_field");
    await expectError(api(k, "POST", "/v1/contracts", { bytecode: "0x6" }), 400, "invalid_hex");
    await expectError(api(k, "POST", "/v1/contracts", { bytecode: "6000" }), 400, "invalid_hex");
    await expectError(api(k, "POST", "/v1/contracts", { bytecode: COUNTER, to: null }), 400, "unknown_field");
    await expectError(api(k, "POST", "/v1/contracts", { bytecode: `0x${"00".repeat(49_153)}` }), 413, "init_code_too_large");
    await expectError(api(k, "POST", "/v1/contracts", { bytecode: COUNTER, gas: 100_000_000 }), 400, "gas_limit_too_high");
    await expectError(api(k, "POST", "/v1/contracts", { bytecode: COUNTER, gas: 21_000 }), 400, "intrinsic_gas_too_low");
    await expectError(api(k, "POST", "/v1/contracts", { bytecode: COUNTER, value: (FAUCET + 1n).toString() }), 400, "insufficient_funds");
    await expectError(api(k, "POST", "/v1/contracts", { bytecode: COUNTER, value: -1 }), 400, "invalid_quantity");
    await expectError(api(k, "POST", "/v1/contracts", { bytecode: COUNTER, value: "0x" + "f".repeat(65) }), 400, "invalid_quantity");
    await expectError(api(k, "POST", "/v1/contracts", { bytecode: COUNTER, value: 1.5 }), 400, "invalid_quantity");
  });
});

describe("POST /v1/call", () => {
  it("returns the output at the latest state, and decodes Error(string) and Panic(uint256)", async () => {
    const k = await newProject();
    const c = await deployCounter(k);
    await api(k, "POST", "/v1/send", { to: c, data: encodeCall("increment()") });
    const got = await api(k, "POST", "/v1/call", { to: c, data: encodeCall("count()") });
    expect(got.json).toMatchObject({ status: "success", logs: [] });
    expect(decodeUint(got.json.returnData)).toBe(1n);
    expect(got.json.error).toBeUndefined();

    const err = await api(k, "POST", "/v1/call", { to: c, data: encodeCall("fail(string)", { string: "boom" }) });
    expect(err.status).toBe(200);
    expect(err.json).toMatchObject({ status: "reverted", error: { code: "reverted", message: "execution reverted: boom", decoded: { signature: "Error(string)", reason: "boom" } } });
    expect(err.json.error.data).toBe(err.json.returnData);

    const panic = await api(k, "POST", "/v1/call", { to: c, data: encodeCall("divide(uint256,uint256)", 1, 0) });
    expect(panic.json.error.decoded).toEqual({ signature: "Panic(uint256)", code: 0x12, reason: "division or modulo by zero" });
  });

  it("reports a halt with its reason, runs from any address, and refuses what it cannot run", async () => {
    const k = await newProject();
    const c = await deployCounter(k);
    const oog = await api(k, "POST", "/v1/call", { to: c, data: encodeCall("increment()"), gas: 30_000 });
    expect(oog.json).toMatchObject({ status: "halted", error: { code: "out_of_gas" } });
    const from = await api(k, "POST", "/v1/call", { to: c, data: encodeCall("increment()"), from: "0x000000000000000000000000000000000000dEaD" });
    expect(from.json.status).toBe("success");
    await expectError(api(k, "POST", "/v1/call", { data: "0x" }), 400, "missing_field");
    await expectError(api(k, "POST", "/v1/call", { to: "0x12" }), 400, "invalid_address");
    await expectError(api(k, "POST", "/v1/call", { to: "0x000000000000000000000000000000000000DEaD" }), 400, "invalid_address_checksum");
    await expectError(api(k, "POST", "/v1/call", { to: c, data: `0x${"00".repeat(128 * 1024 + 1)}` }), 413, "calldata_too_large");
    await expectError(api(k, "POST", "/v1/call", { to: c, from: "0x000000000000000000000000000000000000dead", value: "1" }), 400, "insufficient_funds");
  });

  it("ends a run that hits an output cap with the cap's code, logged", async () => {
    const k = await newProject();
    const big = (await api(k, "POST", "/v1/contracts", { bytecode: BIG_RETURN })).json.address;
    await expectError(api(k, "POST", "/v1/call", { to: big }), 413, "return_data_too_large");
    await logCaughtUp(k);
    const [run] = (await api(k, "GET", "/v1/runs?limit=1")).json.runs;
    expect(run).toMatchObject({ kind: "call", status: "error", errorCode: "return_data_too_large" });
    expect(run.gasUsed).toBeGreaterThan(200_000);
    // A send that hits a cap commits nothing, not even its nonce.
    const nonce = (await api(k, "GET", `/v1/accounts/${k.address}`)).json.nonce;
    await expectError(api(k, "POST", "/v1/send", { to: big }), 413, "return_data_too_large");
    expect((await api(k, "GET", `/v1/accounts/${k.address}`)).json.nonce).toBe(nonce);
  });
});

describe("POST /v1/send", () => {
  it("commits from the key's account and answers with the receipt fields", async () => {
    const k = await newProject();
    const c = await deployCounter(k);
    const r = await api(k, "POST", "/v1/send", { to: c, data: encodeCall("increment()") });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: "success", returnData: "0x" });
    expect(r.json.logs).toEqual([{ address: c, topics: [expect.any(String), `0x${k.address.slice(2).padStart(64, "0")}`], data: `0x${"1".padStart(64, "0")}` }]);
    expect(r.json.blockNumber).toBeGreaterThan(0);
    // Answered before the run log has it: its sender's object shows it meanwhile.
    expect((await api(k, "GET", `/v1/runs/${r.json.runId}`)).json).toMatchObject({ id: r.json.runId, kind: "send", txHash: r.json.txHash });
    await logCaughtUp(k);
    const run = (await api(k, "GET", `/v1/runs/${r.json.runId}`)).json;
    expect(run).toMatchObject({ kind: "send", status: "success", txHash: r.json.txHash, blockNumber: r.json.blockNumber, to: c, selector: encodeCall("increment()") });
    expect(run.logs).toEqual(r.json.logs);
  });

  it("moves value between accounts; each key's account starts with the faucet grant", async () => {
    const k = await newProject();
    const other = await anotherKey(k);
    expect((await api(other, "GET", `/v1/accounts/${other.address}`)).json.balance).toBe(`0x${FAUCET.toString(16)}`);
    const r = await api(k, "POST", "/v1/send", { to: other.address, value: "0x3e8" });
    expect(r.json.status).toBe("success");
    expect(BigInt((await api(k, "GET", `/v1/accounts/${other.address}`)).json.balance)).toBe(FAUCET + 1000n);
    expect(BigInt((await api(k, "GET", `/v1/accounts/${k.address}`)).json.balance)).toBe(FAUCET - 1000n);
    await expectError(api(k, "POST", "/v1/send", { to: other.address, value: (FAUCET * 2n).toString() }), 400, "insufficient_funds");
    await logCaughtUp(k);
    const [run] = (await api(k, "GET", "/v1/runs?limit=1")).json.runs;
    expect(run).toMatchObject({ kind: "send", status: "invalid", errorCode: "insufficient_funds", txHash: null });
  });

  it("replays a request with the same Idempotency-Key without executing it again", async () => {
    const k = await newProject();
    const c = await deployCounter(k);
    const body = { to: c, data: encodeCall("increment()") };
    const first = await api(k, "POST", "/v1/send", body, { "idempotency-key": "order-1" });
    const replays = await Promise.all([1, 2, 3].map(() => api(k, "POST", "/v1/send", body, { "idempotency-key": "order-1" })));
    const { cost, ...answer } = first.json;
    expect(cost).toMatchObject({ executions: 1 });
    for (const r of replays) {
      expect(r.status).toBe(200);
      // The first answer, as committed; a replay ran nothing and costs nothing.
      expect(r.json).toEqual(answer);
      expect(r.headers.get("x-edge-evm-charge")).toBeNull();
      expect(r.headers.get("idempotent-replayed")).toBe("true");
    }
    expect(decodeUint((await api(k, "POST", "/v1/call", { to: c, data: encodeCall("count()") })).json.returnData)).toBe(1n);
    await expectError(api(k, "POST", "/v1/send", { ...body, value: "1" }, { "idempotency-key": "order-1" }), 400, "idempotency_key_reused");
    await expectError(api(k, "POST", "/v1/send", body, { "idempotency-key": "" }), 400, "invalid_idempotency_key");
    // Another key may use the same Idempotency-Key for its own request.
    const other = await anotherKey(k);
    expect((await api(other, "POST", "/v1/send", body, { "idempotency-key": "order-1" })).headers.get("idempotent-replayed")).toBeNull();
    expect(decodeUint((await api(k, "POST", "/v1/call", { to: c, data: encodeCall("count()") })).json.returnData)).toBe(2n);
  });

  it("forgets an answer a day after the key's first use: the key may then be used again", async () => {
    const k = await newProject();
    const c = await deployCounter(k);
    const body = { to: c, data: encodeCall("increment()") };
    await api(k, "POST", "/v1/send", body, { "idempotency-key": "daily" });
    await runInDurableObject(accountOf(k, k.address), (_o, state) => void state.storage.sql.exec(`UPDATE idempotency SET created_at = created_at - ?`, 25 * 3_600_000));
    const again = await api(k, "POST", "/v1/send", { ...body, value: "0" }, { "idempotency-key": "daily" });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    expect(decodeUint((await api(k, "POST", "/v1/call", { to: c, data: encodeCall("count()") })).json.returnData)).toBe(2n);
  });

  it("runs concurrent requests with one Idempotency-Key once", async () => {
    const k = await newProject();
    const c = await deployCounter(k);
    const body = { to: c, data: encodeCall("increment()") };
    const all = await Promise.all(Array.from({ length: 5 }, () => api(k, "POST", "/v1/send", body, { "idempotency-key": "once" })));
    expect(all.filter((r) => r.status === 200)).not.toHaveLength(0);
    for (const r of all) expect(r.status === 200 || r.json.error?.code === "idempotency_in_progress").toBe(true);
    expect(decodeUint((await api(k, "POST", "/v1/call", { to: c, data: encodeCall("count()") })).json.returnData)).toBe(1n);
  });

  it("frees the Idempotency-Key of a request that committed nothing", async () => {
    const k = await newProject();
    const other = await anotherKey(k);
    const body = { to: other.address, value: (FAUCET * 2n).toString() };
    await expectError(api(k, "POST", "/v1/send", body, { "idempotency-key": "retry-me" }), 400, "insufficient_funds");
    await expectError(api(k, "POST", "/v1/send", body, { "idempotency-key": "retry-me" }), 400, "insufficient_funds");
  });

  it("validates the request", async () => {
    const k = await newProject();
    await expectError(api(k, "POST", "/v1/send", { data: "0x" }), 400, "missing_field");
    await expectError(api(k, "POST", "/v1/send", { to: k.address, from: k.address }), 400, "unknown_field");
    await expectError(api(k, "POST", "/v1/send", [1]), 400, "invalid_body");
    await expectError(api(k, "POST", "/v1/send", "{nope"), 400, "invalid_json");
    await expectError(api(k, "POST", "/v1/send", { to: k.address, data: "0x" + "00".repeat(600_000) }), 413, "body_too_large");
  });
});

describe("POST /v1/simulate", () => {
  it("answers per transaction, with state diffs, and marks invalid transactions", async () => {
    const k = await newProject();
    const c = await deployCounter(k);
    const sim = await api(k, "POST", "/v1/simulate", {
      transactions: [
        { to: c, data: encodeCall("increment()") },
        { to: c, data: encodeCall("fail(string)", { string: "no" }) },
        { to: c, value: "1", from: "0x000000000000000000000000000000000000dead" },
        { data: COUNTER },
      ],
    });
    expect(sim.status).toBe(200);
    const [inc, fail, invalid, deploy] = sim.json.results;
    expect(inc).toMatchObject({ status: "success", createdAddress: null });
    expect(inc.stateDiff).toEqual([
      { address: k.address, nonce: { before: "0x1", after: "0x2" }, storage: [] },
      { address: c, storage: [{ slot: "0x0", before: "0x0", after: "0x1" }] },
    ]);
    expect(fail).toMatchObject({ status: "reverted", error: { decoded: { reason: "no" } } });
    expect(invalid).toEqual({ status: "invalid", error: { code: "insufficient_funds", message: expect.any(String) } });
    expect(deploy.createdAddress).toMatch(/^0x[0-9a-f]{40}$/);
    expect(deploy.stateDiff.find((d: { address: string }) => d.address === deploy.createdAddress).code).toEqual({ before: "0x", after: Counter.deployedBytecode });
    expect((await api(k, "GET", `/v1/runs/${sim.json.runId}`)).json).toMatchObject({ kind: "simulate", status: "reverted", to: c });
  });

  it("validates the bundle", async () => {
    const k = await newProject();
    await expectError(api(k, "POST", "/v1/simulate", {}), 400, "invalid_transactions");
    await expectError(api(k, "POST", "/v1/simulate", { transactions: [] }), 400, "invalid_transactions");
    await expectError(api(k, "POST", "/v1/simulate", { transactions: Array.from({ length: 17 }, () => ({ to: k.address })) }), 400, "too_many_transactions");
    await expectError(api(k, "POST", "/v1/simulate", { transactions: [{ to: k.address, signature: "0x00" }] }), 400, "unknown_field");
    await expectError(api(k, "POST", "/v1/simulate", { transactions: [{ to: k.address, nonce: -1 }] }), 400, "invalid_quantity");
    await expectError(api(k, "POST", "/v1/simulate", { transactions: [7] }), 400, "invalid_body");
  });
});

describe("GET /v1/accounts", () => {
  it("reads an account, its code and its storage (slot in decimal or hex)", async () => {
    const k = await newProject();
    const c = await deployCounter(k);
    await api(k, "POST", "/v1/send", { to: c, data: encodeCall("increment()") });
    const a = (await api(k, "GET", `/v1/accounts/${c}`)).json;
    expect(a).toMatchObject({ address: c, balance: "0x0", nonce: "0x1", codeSize: (Counter.deployedBytecode.length - 2) / 2 });
    expect(a.codeHash).toMatch(/^0x[0-9a-f]{64}$/);
    const one = `0x${"1".padStart(64, "0")}`;
    expect((await api(k, "GET", `/v1/accounts/${c}/storage/0`)).json).toEqual({ address: c, slot: `0x${"0".repeat(64)}`, value: one });
    expect((await api(k, "GET", `/v1/accounts/${c}/storage/0x0`)).json.value).toBe(one);
    expect((await api(k, "GET", `/v1/accounts/${c}/storage/7`)).json.value).toBe(`0x${"0".repeat(64)}`);
    const nobody = "0x00000000000000000000000000000000000000ff";
    expect((await api(k, "GET", `/v1/accounts/${nobody}`)).json).toMatchObject({ balance: "0x0", nonce: "0x0", codeSize: 0 });
    expect((await api(k, "GET", `/v1/accounts/${nobody}/code`)).json.code).toBe("0x");
  });

  it("validates the address and slot", async () => {
    const k = await newProject();
    await expectError(api(k, "GET", "/v1/accounts/0x1234"), 400, "invalid_address");
    await expectError(api(k, "GET", "/v1/accounts/..%2F..%2Fx"), 400, "invalid_address");
    await expectError(api(k, "GET", `/v1/accounts/${k.address}/storage/-1`), 400, "invalid_slot");
    await expectError(api(k, "GET", `/v1/accounts/${k.address}/storage/0x${"1".repeat(65)}`), 400, "invalid_slot");
    await expectError(api(k, "GET", `/v1/accounts/${k.address}/storage/${(1n << 256n).toString()}`), 400, "invalid_slot");
  });
});

describe("GET /v1/runs", () => {
  it("lists the project's runs newest first, page by page, and shows one with its logs", async () => {
    const k = await newProject();
    const c = await deployCounter(k);
    for (let i = 0; i < 3; i++) await api(k, "POST", "/v1/send", { to: c, data: encodeCall("increment()") });
    await api(k, "POST", "/v1/call", { to: c, data: encodeCall("count()") });
    await api(k, "POST", "/v1/simulate", { transactions: [{ to: c, data: encodeCall("count()") }] });
    await logCaughtUp(k);
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await api(k, "GET", `/v1/runs?limit=2${cursor ? `&cursor=${cursor}` : ""}`)).json;
      expect(page.runs.length).toBeLessThanOrEqual(2);
      seen.push(...page.runs);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.map((r) => r.kind)).toEqual(["simulate", "call", "send", "send", "send", "deploy"]);
    expect(seen[1]).toMatchObject({ to: c, selector: encodeCall("count()"), status: "success", errorCode: null, txHash: null, gasLimit: 16_777_216 });
    expect(seen[5]).toMatchObject({ kind: "deploy", to: null, contractAddress: c, selector: null });
    for (const r of seen) {
      expect(r.gasUsed).toBeGreaterThan(0);
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(r.createdAt)).not.toBeNaN();
    }
    expect((await api(k, "GET", `/v1/runs/${seen[2].id}`)).json.logs).toHaveLength(1);
  });

  it("shows no project another project's runs", async () => {
    const a = await newProject();
    const b = await newProject();
    const c = await deployCounter(a);
    const runId = (await api(a, "POST", "/v1/call", { to: c, data: encodeCall("count()") })).json.runId;
    expect((await api(b, "GET", "/v1/runs")).json.runs).toEqual([]);
    await expectError(api(b, "GET", `/v1/runs/${runId}`), 404, "run_not_found");
    // Nor its state: each project has its own chain.
    expect((await api(b, "GET", `/v1/accounts/${c}`)).json.codeSize).toBe(0);
  });

  it("validates its parameters", async () => {
    const k = await newProject();
    await expectError(api(k, "GET", "/v1/runs?limit=0"), 400, "invalid_limit");
    await expectError(api(k, "GET", "/v1/runs?limit=101"), 400, "invalid_limit");
    await expectError(api(k, "GET", "/v1/runs?limit=abc"), 400, "invalid_limit");
    await expectError(api(k, "GET", "/v1/runs?cursor=12"), 400, "invalid_cursor");
    await expectError(api(k, "GET", "/v1/runs?order=asc"), 400, "unknown_parameter");
    await expectError(api(k, "GET", "/v1/runs/nope"), 404, "run_not_found");
  });
});

describe("authentication and routing", () => {
  it("refuses missing, malformed and unknown keys, and unknown routes", async () => {
    await expectError(api(undefined, "GET", "/v1/runs"), 401, "missing_api_key");
    await expectError(api(undefined, "GET", "/v1/runs", undefined, { authorization: "Basic abc" }), 401, "invalid_api_key");
    await expectError(api("sk_test_unknown", "GET", "/v1/runs"), 401, "invalid_api_key");
    const k = await newProject();
    await expectError(api(k, "GET", "/v1/nothing"), 404, "not_found");
    await expectError(api(k, "GET", "/v1/send"), 404, "not_found");
    const r = await api("sk_test_secret_value", "GET", "/v1/runs");
    expect(JSON.stringify(r.json)).not.toContain("sk_test_secret_value");
  });
});
