import { describe, expect, it } from "vitest";
import Counter from "../contracts/Counter.json";
import { encodeCall } from "./abi.ts";
import { api, testEnv, logCaughtUp } from "./helpers.ts";
import { adminProject, allRuns, credit, expectError, operator, rpc } from "./metering-helpers.ts";

/** Everything of project B that A must neither see nor change, read with B's own key. */
async function snapshot(b: Awaited<ReturnType<typeof adminProject>>, counter: string) {
  return {
    project: (await api(b, "GET", "/v1/project")).json,
    runs: await allRuns(b),
    usage: (await api(b, "GET", "/v1/usage")).json.total,
    keys: (await api(b, "GET", "/v1/keys")).json.keys.map((k: any) => ({ ...k, lastUsedAt: null })),
    count: (await api(b, "GET", `/v1/accounts/${counter}/storage/0`)).json.value,
    account: (await api(b, "GET", `/v1/accounts/${b.address}`)).json,
  };
}

describe("isolation between projects", () => {
  it("a key of project A never reads or changes B's state, runs, usage, keys or credit, on any endpoint", async () => {
    const a = await adminProject();
    const b = await adminProject();
    const bDeploy = (await api(b, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json;
    const counter = bDeploy.address;
    const bSend = (await api(b, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") })).json;
    const bKey = (await api(b, "POST", "/v1/keys", { scopes: ["read"] })).json;
    const before = await snapshot(b, counter);
    expect(BigInt(before.count)).toBe(1n);

    // State: B's contract does not exist on A's chain.
    expect((await api(a, "GET", `/v1/accounts/${counter}`)).json).toMatchObject({ nonce: "0x0", codeSize: 0 });
    expect((await api(a, "GET", `/v1/accounts/${counter}/code`)).json.code).toBe("0x");
    expect(BigInt((await api(a, "GET", `/v1/accounts/${counter}/storage/0`)).json.value)).toBe(0n);
    expect((await api(a, "GET", `/v1/accounts/${b.address}`)).json.nonce).toBe("0x0");
    expect((await api(a, "POST", "/v1/call", { to: counter, data: encodeCall("count()") })).json.returnData).toBe("0x");
    const sim = (await api(a, "POST", "/v1/simulate", { transactions: [{ to: counter, data: encodeCall("increment()") }] })).json;
    expect(sim.results[0].stateDiff.find((d: any) => d.address === counter)).toBeUndefined();
    // Writes from A land on A's chain only.
    expect((await api(a, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") })).status).toBe(200);
    expect((await api(a, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).status).toBe(201);
    // Runs: B's are not found, not listed.
    expectError(await api(a, "GET", `/v1/runs/${bDeploy.runId}`), 404, "run_not_found");
    expectError(await api(a, "GET", `/v1/runs/${bSend.runId}`), 404, "run_not_found");
    const aRuns = await allRuns(a);
    expect(aRuns.map((r) => r.id)).not.toContain(bDeploy.runId);
    expect(aRuns).toHaveLength(4);
    // Usage and project: A's own.
    expect((await api(a, "GET", "/v1/usage")).json.total.runs).toBe(4);
    expect((await api(a, "GET", "/v1/project")).json.id).toBe(a.projectId);
    // Keys: B's are not listed, cannot be revoked; keys and credit A adds are A's.
    expect((await api(a, "GET", "/v1/keys")).json.keys.map((x: any) => x.id)).toEqual([a.keyId]);
    expectError(await api(a, "DELETE", `/v1/keys/${bKey.id}`), 404, "key_not_found");
    expectError(await api(a, "DELETE", `/v1/keys/${b.keyId}`), 404, "key_not_found");
    const aKey = (await api(a, "POST", "/v1/keys", { scopes: ["read"] })).json;
    expect((await api(aKey.key, "GET", "/v1/project")).json.id).toBe(a.projectId);
    const aCredit = await credit(a);
    expect((await operator("POST", `/operator/projects/${a.projectId}/credit`, { amount: 777 })).json.credit).toBe(aCredit + 777);
    // JSON-RPC: B's transactions, code and logs are not on A's chain.
    expect((await rpc(a, "eth_getTransactionReceipt", [bSend.txHash])).json.result).toBeNull();
    expect((await rpc(a, "eth_getTransactionByHash", [bDeploy.txHash])).json.result).toBeNull();
    expect((await rpc(a, "eth_getCode", [counter, "latest"])).json.result).toBe("0x");
    expect((await rpc(a, "eth_getLogs", [{ address: counter, fromBlock: "0x0", toBlock: "latest" }])).json.result.every((l: any) => l.transactionHash !== bSend.txHash)).toBe(true);
    expect((await api(a, "POST", `/rpc/${a.key}`, { jsonrpc: "2.0", id: 1, method: "eth_chainId" })).json.result).not.toBe((await rpc(b, "eth_chainId")).json.result);

    // B is exactly as it was (its keys all live, its credit untouched by A's runs and grant).
    expect(await snapshot(b, counter)).toEqual(before);
    expect((await api(bKey.key, "GET", "/v1/project")).json.id).toBe(b.projectId);
    await logCaughtUp(b);
    const rows = await testEnv.DB.prepare(`SELECT COUNT(*) AS n FROM runs WHERE project_id = ? AND key_id = ?`).bind(b.projectId, a.keyId).first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });
});
