import { runInDurableObject } from "cloudflare:test";
import { Contract, ContractFactory, Wallet } from "ethers";
import type { Hex, Log } from "viem";
import { describe, expect, it } from "vitest";
import OzToken from "../contracts/OzToken.json";
import { FILTER_TTL_MS } from "../../src/durable/rpc-state.ts";
import { logCaughtUp, newProject, sleep, testEnv, type TestKey } from "./helpers.ts";
import { ethersProvider, fetchWorker, rpc, viemClients } from "./rpc-client.ts";

const abi = OzToken.abi as any[];
const SUPPLY = 10n ** 24n;
const BOB = "0x7000000000000000000000000000000000000007";
const CAROL = "0x7000000000000000000000000000000000000008";
const KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

async function until<T>(read: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await sleep(50);
  }
}

async function token(k: TestKey, methods?: string[]) {
  const c = viemClients(k, KEY, methods);
  const r = await c.pub.waitForTransactionReceipt({ hash: await c.wallet.deployContract({ abi, bytecode: OzToken.bytecode as Hex, args: [SUPPLY] }) });
  return { ...c, address: r.contractAddress! };
}

describe("filters as clients use them", () => {
  it("ethers v6 contract.on receives a Transfer through eth_newFilter and eth_getFilterChanges", async () => {
    const k = await newProject("filters-ethers");
    const provider = ethersProvider(k);
    const methods: string[] = [];
    provider.on("debug", (e: any) => e.action === "sendRpcPayload" && methods.push(...[e.payload].flat().map((p: any) => p.method)));
    const wallet = new Wallet("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba", provider);
    const erc20 = (await (await new ContractFactory(abi, OzToken.bytecode, wallet).deploy(SUPPLY)).waitForDeployment()) as Contract;
    const seen: { to: string; value: bigint }[] = [];
    await erc20.on("Transfer", (_from: string, to: string, value: bigint) => void seen.push({ to, value }));
    await until(() => (methods.includes("eth_newFilter") ? true : undefined));
    await (await erc20.transfer(BOB, 7n)).wait();
    const got = await until(() => seen[0]);
    expect(got).toEqual({ to: BOB, value: 7n });
    expect(methods).toContain("eth_getFilterChanges");
    await erc20.removeAllListeners();
    provider.destroy();
  });

  it("viem watchContractEvent with an argument filter: only the matching transfers, through a filter", async () => {
    const k = await newProject("filters-viem");
    const methods: string[] = [];
    const { pub, wallet, address } = await token(k, methods);
    const logs: Log[] = [];
    const unwatch = pub.watchContractEvent({ address, abi, eventName: "Transfer", args: { to: BOB }, onLogs: (l) => void logs.push(...l), pollingInterval: 50 });
    await until(() => (methods.includes("eth_newFilter") ? true : undefined));
    await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ address, abi, functionName: "transfer", args: [CAROL, 1n] }) });
    await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ address, abi, functionName: "transfer", args: [BOB, 2n] }) });
    await until(() => (logs.length > 0 ? true : undefined));
    await sleep(300);
    unwatch();
    expect(logs).toHaveLength(1);
    expect((logs[0] as any).args).toMatchObject({ to: BOB, value: 2n });
    expect(methods).toContain("eth_getFilterChanges");
    expect(methods).not.toContain("eth_getLogs");
  });
});

describe("filters over JSON-RPC", () => {
  it("a logs filter reports each new log once; eth_getFilterLogs all of them; uninstalled, it is gone", async () => {
    const k = await newProject("filters-raw");
    const { pub, wallet, address } = await token(k);
    const id = (await rpc(k, "eth_newFilter", [{ address }])).result as string;
    expect(id).toMatch(/^0x[0-9a-f]{32}$/);
    expect((await rpc(k, "eth_getFilterChanges", [id])).result).toEqual([]);
    const hash = await wallet.writeContract({ address, abi, functionName: "transfer", args: [BOB, 3n] });
    await pub.waitForTransactionReceipt({ hash });
    await logCaughtUp(k, [k.address]);
    let first: any[] = [];
    for (let i = 0; i < 100 && first.length === 0; i++, await sleep(50)) first = (await rpc(k, "eth_getFilterChanges", [id])).result;
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ address: address.toLowerCase(), transactionHash: hash });
    expect((await rpc(k, "eth_getFilterChanges", [id])).result).toEqual([]);
    // From the block the filter was made in: the token's mint may be there too.
    const all = (await rpc(k, "eth_getFilterLogs", [id])).result;
    expect(all.at(-1)).toEqual(first[0]);
    expect(all.length).toBeLessThanOrEqual(2);
    expect((await rpc(k, "eth_uninstallFilter", [id])).result).toBe(true);
    expect((await rpc(k, "eth_uninstallFilter", [id])).result).toBe(false);
    expect((await rpc(k, "eth_getFilterChanges", [id])).error).toMatchObject({ code: -32000, message: "filter not found" });
  });

  it("a block filter reports the hashes of new blocks; a pending-transaction filter the transactions as they commit", async () => {
    const k = await newProject("filters-blocks");
    const { pub, wallet, address } = await token(k);
    const blocks = (await rpc(k, "eth_newBlockFilter", [])).result;
    const txs = (await rpc(k, "eth_newPendingTransactionFilter", [])).result;
    const hash = await wallet.writeContract({ address, abi, functionName: "transfer", args: [BOB, 4n] });
    await pub.waitForTransactionReceipt({ hash });
    await sleep(2100);
    const newBlocks: string[] = (await rpc(k, "eth_getFilterChanges", [blocks])).result;
    expect(newBlocks.length).toBeGreaterThan(0);
    // Consecutive blocks: each the parent of the next.
    const shown = await Promise.all(newBlocks.map(async (h) => (await rpc(k, "eth_getBlockByHash", [h, false])).result));
    shown.slice(1).forEach((b, i) => expect(b.parentHash).toBe(shown[i].hash));
    let seen: string[] = [];
    for (let i = 0; i < 100 && seen.length === 0; i++, await sleep(50)) seen = (await rpc(k, "eth_getFilterChanges", [txs])).result;
    expect(seen).toEqual([hash]);
    // A block filter is not a logs filter.
    expect((await rpc(k, "eth_getFilterLogs", [blocks])).error).toMatchObject({ code: -32000 });
  });

  it("refuses bad params with -32602, and another project's filter is not found", async () => {
    const k = await newProject("filters-params");
    for (const [method, params] of [
      ["eth_getFilterChanges", ["nope"]],
      ["eth_getFilterChanges", []],
      ["eth_newFilter", [{ topics: [[1]] }]],
      ["eth_newFilter", [{ blockHash: `0x${"11".repeat(32)}` }]],
      ["eth_newBlockFilter", [1]],
    ] as const) {
      expect((await rpc(k, method, [...params])).error, `${method} ${JSON.stringify(params)}`).toMatchObject({ code: -32602 });
    }
    const id = (await rpc(k, "eth_newBlockFilter")).result;
    const other = await newProject("filters-other");
    expect((await rpc(other, "eth_getFilterChanges", [id])).error).toMatchObject({ code: -32000, message: "filter not found" });
  });

  it("a project holds at most 256 filters; a read of one is charged as a query", async () => {
    const k = await newProject("filters-bound");
    const batch = (n: number) => Array.from({ length: n }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_newBlockFilter", params: [] }));
    const post = (body: unknown) => fetchWorker(`http://edge-evm.test/rpc/${k.key}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const made: any[] = [];
    for (const n of [100, 100, 56]) made.push(...((await (await post(batch(n))).json()) as any[]));
    expect(made.every((r) => typeof r.result === "string")).toBe(true);
    const over: any = await (await post(batch(1))).json();
    expect(over[0].error).toMatchObject({ code: -32005, data: { code: "too_many_filters" } });
    expect((await rpc(k, "eth_uninstallFilter", [made[0].result])).result).toBe(true);
    const read = await post({ jsonrpc: "2.0", id: 1, method: "eth_getFilterChanges", params: [made[1].result] });
    expect(read.headers.get("x-edge-evm-charge")).toBe("100");
    expect((await rpc(k, "eth_newBlockFilter")).result).toMatch(/^0x/);
  });
});

describe("filter expiry", () => {
  it("a filter unread for 5 minutes is gone, and the alarm sweeps it; reading one moves its deadline on", async () => {
    const k = await newProject("filters-expiry");
    const stale = (await rpc(k, "eth_newBlockFilter")).result;
    const kept = (await rpc(k, "eth_newBlockFilter")).result;
    const object = testEnv.RPC_STATE.get(testEnv.RPC_STATE.idFromName(k.projectId));
    // As if both were made 5 minutes ago; then `kept` is read (its deadline moves on) before the sweep.
    await runInDurableObject(object, (_o, state) => void state.storage.sql.exec(`UPDATE filters SET expires_at = expires_at - ?`, FILTER_TTL_MS - 1000));
    expect((await rpc(k, "eth_getFilterChanges", [kept])).result).toBeInstanceOf(Array);
    await sleep(1100);
    expect((await rpc(k, "eth_getFilterChanges", [stale])).error).toMatchObject({ code: -32000, message: "filter not found" });
    await runInDurableObject(object, async (o) => {
      await (o as any).alarm();
    });
    const left = await runInDurableObject(object, (_o, state) => state.storage.sql.exec<{ id: string }>(`SELECT id FROM filters`).toArray().map((r) => r.id));
    expect(left).toEqual([kept]);
  });
});
