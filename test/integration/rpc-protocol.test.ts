import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import Caller from "../contracts/Caller.json";
import Counter from "../contracts/Counter.json";
import { encodeCall } from "./abi.ts";
import { api, newProject, testEnv, type TestKey, logCaughtUp } from "./helpers.ts";

const worker = exports as unknown as { default: { fetch(r: Request): Promise<Response> } };

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await worker.default.fetch(new Request(`http://edge-evm.test${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) }));
  return { status: res.status, json: res.status === 204 ? undefined : await res.json() };
}

const rpc = (k: TestKey, method: string, params: unknown[] = []) => post(`/rpc/${k.key}`, { jsonrpc: "2.0", id: 1, method, params });

describe("JSON-RPC protocol", () => {
  it("answers by key in the path or as a bearer header; refuses a bad key with 401", async () => {
    const k = await newProject();
    expect((await rpc(k, "eth_chainId")).json).toEqual({ jsonrpc: "2.0", id: 1, result: `0x${k.chainId.toString(16)}` });
    const viaHeader = await post("/rpc", { jsonrpc: "2.0", id: "a", method: "net_version" }, { authorization: `Bearer ${k.key}` });
    expect(viaHeader.json).toEqual({ jsonrpc: "2.0", id: "a", result: String(k.chainId) });
    const bad = await post("/rpc/sk_nope", { jsonrpc: "2.0", id: 1, method: "eth_chainId" });
    expect(bad.status).toBe(401);
    expect(bad.json.error).toMatchObject({ code: -32001, data: { code: "invalid_api_key" } });
  });

  it("uses JSON-RPC 2.0 error codes, batches in order, and skips notifications", async () => {
    const k = await newProject();
    expect((await post(`/rpc/${k.key}`, "{not json")).json.error.code).toBe(-32700);
    expect((await post(`/rpc/${k.key}`, { id: 1, method: "eth_chainId" })).json.error.code).toBe(-32600);
    expect((await rpc(k, "eth_mine")).json.error.code).toBe(-32601);
    expect((await rpc(k, "eth_getBalance", ["0x12"])).json.error).toMatchObject({ code: -32602, data: { code: "invalid_address" } });
    expect((await rpc(k, "eth_getBalance", [])).json.error.code).toBe(-32602);
    const batch = await post(`/rpc/${k.key}`, [
      { jsonrpc: "2.0", id: 1, method: "eth_chainId" },
      { jsonrpc: "2.0", method: "eth_chainId" },
      { jsonrpc: "2.0", id: 2, method: "nope" },
      7,
    ]);
    expect(batch.json.map((r: any) => [r.id, r.result !== undefined ? "result" : r.error.code])).toEqual([[1, "result"], [2, -32601], [null, -32600]]);
    expect((await post(`/rpc/${k.key}`, [])).json.error.code).toBe(-32600);
    const bomb = Array.from({ length: 101 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_chainId" }));
    expect((await post(`/rpc/${k.key}`, bomb)).json.error).toMatchObject({ code: -32600, data: { code: "batch_too_large" } });
    expect((await post(`/rpc/${k.key}`, { jsonrpc: "2.0", method: "eth_chainId" })).status).toBe(204);
  });

  it("reports a revert as code 3 with its data and reason; a historical block is refused", async () => {
    const k = await newProject();
    const caller = (await api(k, "POST", "/v1/contracts", { bytecode: Caller.bytecode })).json.address;
    const r = await rpc(k, "eth_call", [{ to: caller, data: encodeCall("deepRevert(uint256)", 2) }, "latest"]);
    expect(r.json.error.code).toBe(3);
    expect(r.json.error.message).toBe("execution reverted: bottom of the call tree");
    expect(r.json.error.data).toMatch(/^0x08c379a0/);
    const custom = await rpc(k, "eth_call", [{ to: caller, data: encodeCall("refuse(uint256)", 9) }]);
    expect(custom.json.error).toMatchObject({ code: 3, message: "execution reverted" });
    const old = await rpc(k, "eth_getBalance", [k.address, "0x1"]);
    expect(old.json.error).toMatchObject({ code: -32000, data: { code: "historical_state" } });
  });

  it("reads state at an older block when no transaction committed after it; refuses earlier and future blocks", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json;
    const at = `0x${counter.blockNumber.toString(16)}`;
    const count = (block: unknown) => rpc(k, "eth_call", [{ to: counter.address, data: encodeCall("count()") }, block]);
    // The deployment's block (latest, or older once the clock moved on): nothing committed since.
    expect((await count(at)).json.result).toBe(`0x${"0".repeat(64)}`);
    const hash = (await rpc(k, "eth_getBlockByNumber", [at, false])).json.result.hash;
    expect((await rpc(k, "eth_getCode", [counter.address, { blockHash: hash }])).json.result).toBe(Counter.deployedBytecode);
    expect((await count(`0x${(counter.blockNumber - 1).toString(16)}`)).json.error).toMatchObject({ code: -32000, data: { code: "historical_state" } });
    const latest = BigInt((await rpc(k, "eth_blockNumber")).json.result);
    expect((await rpc(k, "eth_getBalance", [k.address, `0x${(latest + 1000n).toString(16)}`])).json.error).toMatchObject({ code: -32000, message: "header not found" });
  });

  it("fails an estimate as geth does: a revert with its data, too little gas as 'gas required exceeds allowance'", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const reverted = await rpc(k, "eth_estimateGas", [{ to: counter, data: encodeCall("divide(uint256,uint256)", 1, 0) }]);
    expect(reverted.json.error).toMatchObject({ code: 3, data: `0x4e487b71${(0x12).toString(16).padStart(64, "0")}` });
    const short = await rpc(k, "eth_estimateGas", [{ to: counter, data: encodeCall("increment()"), gas: "0x5300" }]);
    expect(short.json.error).toMatchObject({ code: -32000, message: "gas required exceeds allowance (21248)", data: { code: "gas_required_exceeds_allowance" } });
    const enough = BigInt((await rpc(k, "eth_estimateGas", [{ to: counter, data: encodeCall("increment()") }])).json.result);
    expect(enough).toBeGreaterThan(0x5300n);
  });

  it("serves eth_call with state and block overrides", async () => {
    const k = await newProject();
    const pretend = "0x9000000000000000000000000000000000000009";
    const r = await rpc(k, "eth_call", [{ to: pretend, data: encodeCall("count()") }, "latest", { [pretend]: { code: Counter.deployedBytecode, stateDiff: { "0x0": "0x2a" } } }]);
    expect(BigInt(r.json.result)).toBe(42n);
    const clock = await rpc(k, "eth_call", [{ to: pretend }, "latest", { [pretend]: { code: "0x435f5260205ff3" } }, { number: "0x1234" }]);
    expect(BigInt(clock.json.result)).toBe(0x1234n);
  });

  it("shows REST sends as transactions, receipts and block members", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const sent = (await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") })).json;
    // A receipt appears once the queue has written the transaction's record (about a second).
    await logCaughtUp(k);
    const receipt = (await rpc(k, "eth_getTransactionReceipt", [sent.txHash])).json.result;
    expect(receipt).toMatchObject({ transactionHash: sent.txHash, from: k.address, to: counter, status: "0x1", blockNumber: `0x${sent.blockNumber.toString(16)}`, gasUsed: `0x${sent.gasUsed.toString(16)}` });
    expect(receipt.logs).toHaveLength(1);
    expect(receipt.logs[0].logIndex).toBe(`0x${(BigInt(receipt.logs[0].logIndex)).toString(16)}`);
    const tx = (await rpc(k, "eth_getTransactionByHash", [sent.txHash])).json.result;
    expect(tx).toMatchObject({ hash: sent.txHash, from: k.address, to: counter, input: encodeCall("increment()"), nonce: "0x1" });
    const block = (await rpc(k, "eth_getBlockByNumber", [receipt.blockNumber, true])).json.result;
    expect(block.transactions.map((t: any) => t.hash)).toContain(sent.txHash);
    expect((await rpc(k, "eth_getBlockByHash", [block.hash, false])).json.result.number).toBe(receipt.blockNumber);
    expect((await rpc(k, "eth_getTransactionReceipt", [`0x${"ab".repeat(32)}`])).json.result).toBeNull();
  });

  it("refuses methods a key's scopes do not allow", async () => {
    const k = await newProject("test", ["read"]);
    expect((await rpc(k, "eth_blockNumber")).json.result).toMatch(/^0x/);
    expect((await rpc(k, "eth_estimateGas", [{ to: k.address }])).json.error).toMatchObject({ code: -32001, data: { code: "insufficient_scope" } });
    expect((await rpc(k, "eth_sendRawTransaction", ["0x00"])).json.error).toMatchObject({ code: -32001, data: { code: "insufficient_scope" } });
  });

  it("refuses malformed and wrong-chain raw transactions", async () => {
    const k = await newProject();
    expect((await rpc(k, "eth_sendRawTransaction", ["0x02c0"])).json.error).toMatchObject({ code: -32602, data: { code: "invalid_transaction" } });
    // A transaction signed for chain 1 (viem's test vector key), refused on this chain.
    const { privateKeyToAccount } = await import("viem/accounts");
    const signed = await privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d").signTransaction({ chainId: 1, type: "eip1559", nonce: 0, gas: 21_000n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n, to: k.address });
    expect((await rpc(k, "eth_sendRawTransaction", [signed])).json.error).toMatchObject({ code: -32000, data: { code: "wrong_chain_id" } });
  });
});

describe("REST scopes", () => {
  it("refuses with 403 insufficient_scope what a key's scopes do not allow", async () => {
    const k = await newProject("test", ["read"]);
    expect((await api(k, "GET", `/v1/accounts/${k.address}`)).status).toBe(200);
    expect((await api(k, "POST", "/v1/call", { to: k.address })).status).toBe(200);
    for (const [path, body] of [["/v1/send", { to: k.address }], ["/v1/contracts", { bytecode: "0x00" }], ["/v1/simulate", { transactions: [{ to: k.address }] }]] as const) {
      const r = await api(k, "POST", path, body);
      expect({ status: r.status, code: r.json.error?.code }).toEqual({ status: 403, code: "insufficient_scope" });
    }
  });
});
