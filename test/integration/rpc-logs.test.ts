import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, newProject, sleep, type TestKey, logCaughtUp } from "./helpers.ts";

const worker = exports as unknown as { default: { fetch(r: Request): Promise<Response> } };

async function rpc(k: TestKey, method: string, params: unknown[] = []): Promise<any> {
  const res = await worker.default.fetch(new Request(`http://edge-evm.test/rpc/${k.key}`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) }));
  return res.json();
}

/** Init code of a contract that emits 1,024 LOG0s (the most one run may) each time it is called. */
const RUNTIME = "610400" + "5b" + "80" + "15" + "6014" + "57" + "5f5fa0" + "6001" + "90" + "03" + "6003" + "56" + "00" + "5b" + "00";
const EMITTER = `0x6016806009${"5f39"}5ff3${RUNTIME}`;

describe("eth_getLogs over many logs", () => {
  it("places logs in their blocks and refuses more than 10,000 results with a clear error", async () => {
    const k = await newProject();
    const emitter = (await api(k, "POST", "/v1/contracts", { bytecode: EMITTER })).json.address;
    const sends: any[] = [];
    // Five sends, then (once the clock has moved to a new block) five more: no block holds more than 5,120.
    for (let i = 0; i < 5; i++) sends.push((await api(k, "POST", "/v1/send", { to: emitter })).json);
    while (BigInt((await rpc(k, "eth_blockNumber")).result) === BigInt(sends[4].blockNumber)) await sleep(100);
    for (let i = 0; i < 5; i++) sends.push((await api(k, "POST", "/v1/send", { to: emitter })).json);
    expect(sends.every((s) => s.status === "success" && s.logs.length === 1024)).toBe(true);
    await logCaughtUp(k);
    const all = await rpc(k, "eth_getLogs", [{ address: emitter, fromBlock: "earliest" }]);
    expect(all.error).toMatchObject({ code: -32005, data: { code: "too_many_logs" } });
    expect(all.error.message).toMatch(/more than 10000 results/);
    // The last block's logs (at most 5,120): the last send's 1,024 placed after those of earlier sends.
    const last = await rpc(k, "eth_getTransactionReceipt", [sends[9].txHash]);
    const some = await rpc(k, "eth_getLogs", [{ blockHash: last.result.blockHash }]);
    const mine = some.result.filter((l: any) => l.transactionHash === sends[9].txHash);
    expect(mine).toHaveLength(1024);
    expect(mine[0].logIndex).toBe(last.result.logs[0].logIndex);
    expect(BigInt(mine[1023].logIndex) - BigInt(mine[0].logIndex)).toBe(1023n);
  }, 60_000);
});
