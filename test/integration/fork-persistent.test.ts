import { exports } from "cloudflare:workers";
import { createPublicClient, createWalletClient, defineChain, encodeFunctionData, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";
import { rpc } from "../helpers/rpc.ts";
import { BOB, buildWorld, DEPLOYER, ERC20, receiptOf, ROUTER, type World } from "../fork/scenario.ts";
import { anotherKey, api, newProject, testEnv, type TestKey } from "./helpers.ts";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import entry from "../../src/index.ts";
import { asm } from "../../src/cli/asm.ts";
import { bytesToHex } from "../../src/primitives/hex.ts";
import { credit, setCredit } from "./metering-helpers.ts";

const worker = exports as unknown as { default: { fetch(r: Request): Promise<Response> } };
const URLS = JSON.parse(testEnv.NETWORK_URLS!) as Record<string, string[]>;
const ANVIL = URLS.anvil[0], LIAR = URLS.liar[0];
/** Anvil's first two development keys: DEPLOYER's and BOB's. */
const DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const BOB_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const E18 = 10n ** 18n;

let k: TestKey, world: World, fork: { id: string; chainId: number; blockNumber: number };

beforeAll(async () => {
  k = await newProject("persistent fork");
  world = await buildWorld(ANVIL);
  const created = await api(k, "POST", "/v1/forks", { network: "anvil", block: Number(world.block) });
  expect(created.status).toBe(201);
  fork = created.json;
});

function clients(privateKey: Hex) {
  const url = `http://edge-evm.test/rpc/${k.key}/forks/${fork.id}`;
  const chain = defineChain({ id: fork.chainId, name: "fork", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  const transport = http(url, { fetchFn: ((i: RequestInfo, init?: RequestInit) => worker.default.fetch(new Request(i, init))) as typeof fetch });
  return { pub: createPublicClient({ chain, transport, pollingInterval: 50 }), wallet: createWalletClient({ chain, transport, account: privateKeyToAccount(privateKey) }) };
}

const balanceOnAnvil = async (who: Hex, block: Hex | "latest" = "latest") => BigInt(await rpc(ANVIL, "eth_call", [{ to: world.tokenA, data: encodeFunctionData({ abi: ERC20, functionName: "balanceOf", args: [who] }) }, block]));

describe("a persistent fork of a network", () => {
  it("starts from the network's state at its block, under its own chain id", async () => {
    expect(fork.blockNumber).toBe(Number(world.block));
    const { pub } = clients(DEPLOYER_KEY);
    expect(await pub.getChainId()).toBe(fork.chainId);
    expect(await pub.readContract({ address: world.tokenA, abi: ERC20, functionName: "balanceOf", args: [BOB] })).toBe(await balanceOnAnvil(BOB, `0x${world.block.toString(16)}`));
    expect(await pub.getBalance({ address: DEPLOYER })).toBe(BigInt(await rpc(ANVIL, "eth_getBalance", [DEPLOYER, `0x${world.block.toString(16)}`])));
  });

  it("numbers its blocks on from the network's block, each later in time than it (Anvil's clock runs ahead after anvil_mine)", async () => {
    const { pub } = clients(DEPLOYER_KEY);
    const base = await rpc(ANVIL, "eth_getBlockByNumber", [`0x${world.block.toString(16)}`, false]);
    const head = await pub.getBlock();
    expect(head.number).toBeGreaterThan(world.block);
    expect(head.number - world.block).toBeLessThan(1_000n);
    expect(head.timestamp).toBeGreaterThan(BigInt(base.timestamp));
    const hash = await clients(DEPLOYER_KEY).wallet.sendTransaction({ to: BOB, value: 1n });
    const receipt = await pub.waitForTransactionReceipt({ hash });
    expect(receipt.blockNumber).toBeGreaterThanOrEqual(head.number);
    expect((await pub.getBlock({ blockNumber: receipt.blockNumber })).timestamp).toBeGreaterThan(BigInt(base.timestamp));
  });

  it("commits sends (a transfer and a Uniswap swap) on the fork only; the network does not move", async () => {
    const anvilNonce = await rpc(ANVIL, "eth_getTransactionCount", [DEPLOYER, "latest"]);
    const bobOnAnvil = await balanceOnAnvil(BOB);
    const { pub, wallet } = clients(DEPLOYER_KEY);
    const before = await pub.readContract({ address: world.tokenA, abi: ERC20, functionName: "balanceOf", args: [BOB] });
    const hash = await wallet.writeContract({ address: world.tokenA, abi: ERC20, functionName: "transfer", args: [BOB, 5n * E18] });
    expect((await pub.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect(await pub.readContract({ address: world.tokenA, abi: ERC20, functionName: "balanceOf", args: [BOB] })).toBe(before + 5n * E18);

    const outBefore = await pub.readContract({ address: world.tokenB, abi: ERC20, functionName: "balanceOf", args: [DEPLOYER] });
    const swap = await wallet.writeContract({ address: world.router, abi: ROUTER, functionName: "swapExactTokensForTokens", args: [10n * E18, 0n, [world.tokenA, world.tokenB], DEPLOYER, 2n ** 40n] });
    expect((await pub.waitForTransactionReceipt({ hash: swap })).status).toBe("success");
    expect(await pub.readContract({ address: world.tokenB, abi: ERC20, functionName: "balanceOf", args: [DEPLOYER] })).toBeGreaterThan(outBefore);

    expect(await rpc(ANVIL, "eth_getTransactionCount", [DEPLOYER, "latest"])).toBe(anvilNonce);
    expect(await balanceOnAnvil(BOB)).toBe(bobOnAnvil);
    expect(await pub.getTransactionCount({ address: DEPLOYER })).toBe(Number(BigInt(await rpc(ANVIL, "eth_getTransactionCount", [DEPLOYER, `0x${world.block.toString(16)}`]))) + 3);
  });

  it("BLOCKHASH of the fork's block and the ones before it is the network's, in calls, commits and their replays", async () => {
    const { pub, wallet } = clients(DEPLOYER_KEY);
    const onAnvil = async (n: bigint) => (await rpc(ANVIL, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false])).hash as Hex;
    /**
     * Creation code that returns a zero word then BLOCKHASH(n) (what a creation returns is its
     * code, which may not begin with 0xef, as one hash in 256 does), or stores it in slot 0.
     */
    const code = (n: bigint, end: "return" | "store") => `0x67${n.toString(16).padStart(16, "0")}40${end === "return" ? "60205260405ff3" : "5f5500"}` as Hex;
    const returned = (hash: Hex) => `0x${"0".repeat(64)}${hash.slice(2)}`;
    for (const n of [world.block, world.block - 3n]) expect((await pub.call({ data: code(n, "return") })).data).toBe(returned(await onAnvil(n)));
    // Checked once, the network's hashes are kept: another request asking again fetches nothing.
    const url = `http://edge-evm.test/rpc/${k.key}/forks/${fork.id}`;
    const again = await worker.default.fetch(new Request(url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ data: code(world.block - 3n, "return") }, "latest"] }) }));
    expect(((await again.json()) as { result: Hex }).result).toBe(returned(await onAnvil(world.block - 3n)));
    expect(again.headers.get("x-upstream-requests")).toBe("0");
    // The fork's own blocks keep our hashes; its first block names the network's block as its parent.
    const head = await pub.getBlockNumber();
    expect((await pub.call({ data: code(head - 1n, "return") })).data).toBe(returned((await pub.getBlock({ blockNumber: head - 1n })).hash));
    expect((await pub.getBlock({ blockNumber: world.block + 1n })).parentHash).toBe(await onAnvil(world.block));
    expect((await pub.getBlock({ blockHash: await onAnvil(world.block) })).number).toBe(world.block);

    const hash = await wallet.sendTransaction({ data: code(world.block - 2n, "store"), gas: 100_000n });
    const receipt = await pub.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    expect(await pub.getStorageAt({ address: receipt.contractAddress!, slot: "0x0" })).toBe(await onAnvil(world.block - 2n));
    const traced = await (await worker.default.fetch(new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "debug_traceTransaction", params: [hash, {}] }) }))).json();
    const sstore = (traced as { result: { structLogs: { op: string; stack: Hex[] }[] } }).result.structLogs.find((l) => l.op === "SSTORE")!;
    expect(BigInt(sstore.stack[sstore.stack.length - 2])).toBe(BigInt(await onAnvil(world.block - 2n)));
  });

  it("at the fork block and before, answers as the network: blocks, reads and calls (after the fork's own sends changed them)", async () => {
    const { pub } = clients(DEPLOYER_KEY);
    const at = (n: bigint) => `0x${n.toString(16)}` as Hex;
    for (const n of [world.block, world.block - 2n]) {
      const theirs = await rpc(ANVIL, "eth_getBlockByNumber", [at(n), false]);
      const block = await pub.getBlock({ blockNumber: n });
      expect({ hash: block.hash, stateRoot: block.stateRoot, timestamp: block.timestamp }).toEqual({ hash: theirs.hash, stateRoot: theirs.stateRoot, timestamp: BigInt(theirs.timestamp) });
      expect((await pub.getBlock({ blockHash: theirs.hash })).number).toBe(n);
      expect(await pub.getBalance({ address: DEPLOYER, blockNumber: n })).toBe(BigInt(await rpc(ANVIL, "eth_getBalance", [DEPLOYER, at(n)])));
      expect(await pub.readContract({ address: world.tokenA, abi: ERC20, functionName: "balanceOf", args: [BOB], blockNumber: n })).toBe(await balanceOnAnvil(BOB, at(n)));
    }
    // EIP-1898: the fork block by hash is the network's too.
    const baseHash = (await rpc(ANVIL, "eth_getBlockByNumber", [at(world.block), false])).hash;
    expect(BigInt(await pub.request({ method: "eth_getBalance", params: [DEPLOYER, { blockHash: baseHash }] }))).toBe(BigInt(await rpc(ANVIL, "eth_getBalance", [DEPLOYER, at(world.block)])));
    // The fork's own state moved on: its latest is not the network's.
    expect(await pub.getTransactionCount({ address: DEPLOYER })).toBeGreaterThan(await pub.getTransactionCount({ address: DEPLOYER, blockNumber: world.block }));
    // A block of the network after the fork's is not one of the fork's.
    await rpc(ANVIL, "anvil_mine", ["0x1"]);
    const later = await rpc(ANVIL, "eth_getBlockByNumber", ["latest", false]);
    expect(BigInt(later.number)).toBeGreaterThan(world.block);
    expect(await pub.request({ method: "eth_getBlockByHash", params: [later.hash, false] })).toBeNull();
    await expect(pub.request({ method: "eth_getBalance", params: [DEPLOYER, { blockHash: later.hash }] })).rejects.toThrow(/header not found/);
    // A key without the scope is refused before the block it names (a network block no one looked up yet) is looked up upstream.
    const writer = await anotherKey(k, ["send"]);
    // Its first request reads its account's base for the faucet's grant on the fork (upstream requests of their own).
    await worker.default.fetch(new Request(`http://edge-evm.test/rpc/${writer.key}/forks/${fork.id}`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) }));
    const unseen = (await rpc(ANVIL, "eth_getBlockByNumber", [at(world.block - 1n), false])).hash;
    const refused = await worker.default.fetch(new Request(`http://edge-evm.test/rpc/${writer.key}/forks/${fork.id}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBalance", params: [DEPLOYER, { blockHash: unseen }] }) }));
    expect(((await refused.json()) as { error: { data: { code: string } } }).error.data.code).toBe("insufficient_scope");
    expect(refused.headers.get("x-upstream-requests")).toBe("0");
  });

  it("a slot written to zero reads zero, not the network's value", async () => {
    const { pub, wallet } = clients(BOB_KEY);
    const all = await pub.readContract({ address: world.tokenA, abi: ERC20, functionName: "balanceOf", args: [BOB] });
    expect(all).toBeGreaterThan(0n);
    const hash = await wallet.writeContract({ address: world.tokenA, abi: ERC20, functionName: "transfer", args: [DEPLOYER, all] });
    expect((await pub.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect(await pub.readContract({ address: world.tokenA, abi: ERC20, functionName: "balanceOf", args: [BOB] })).toBe(0n);
    expect(await balanceOnAnvil(BOB)).toBeGreaterThan(0n);
  });

  it("charges what its accounts read of the network, and reports it: once per key, served from the fork after; reads too", async () => {
    const fresh = () => `0x${Array.from(crypto.getRandomValues(new Uint8Array(20)), (b) => b.toString(16).padStart(2, "0")).join("")}` as Hex;
    const ask = (method: string, params: unknown[]) => worker.default.fetch(new Request(`http://edge-evm.test/rpc/${k.key}/forks/${fork.id}`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) }));
    const call = { from: fresh(), to: fresh(), data: "0x" };
    const before = await credit(k);
    const first = await ask("eth_call", [call, "latest"]);
    expect(((await first.json()) as { result: string }).result).toBe("0x");
    const requests = Number(first.headers.get("x-upstream-requests"));
    expect(requests).toBeGreaterThan(0);
    expect(first.headers.get("x-upstream-cost")).toBe(String(10 * requests));
    const afterFirst = await credit(k);
    // The same call again reads only what the fork holds now: no upstream request, and it costs
    // that much less (the upstream's cost charged once: it went twice onto the run before).
    const second = await ask("eth_call", [call, "latest"]);
    expect(second.headers.get("x-upstream-requests")).toBe("0");
    const afterSecond = await credit(k);
    expect(before - afterFirst - (afterFirst - afterSecond)).toBe(10 * requests);
    // A read runs nothing, but pays what it read of the network (a run of kind query, charged that alone).
    const read = await ask("eth_getBalance", [fresh(), "latest"]);
    const readRequests = Number(read.headers.get("x-upstream-requests"));
    expect(readRequests).toBeGreaterThan(0);
    const afterRead = await credit(k);
    expect(afterSecond - afterRead).toBe(10 * readRequests);
    // A read of what the fork holds already costs nothing.
    await ask("eth_chainId", []);
    expect(await credit(k)).toBe(afterRead);
    const acct = await api(k, "GET", `/v1/forks/${fork.id}/accounts/${fresh()}`);
    expect(acct.status).toBe(200);
    const acctRequests = Number(acct.headers.get("x-upstream-requests"));
    expect(acctRequests).toBeGreaterThan(0);
    expect(afterRead - (await credit(k))).toBe(10 * acctRequests);
  });

  it("REST on the fork: accounts, and a send of the key's own account (funded by the faucet on the fork)", async () => {
    const acct = await api(k, "GET", `/v1/forks/${fork.id}/accounts/${world.pair}`);
    expect(acct.json.codeSize).toBeGreaterThan(0);
    const sent = await api(k, "POST", `/v1/forks/${fork.id}/send`, { to: BOB, value: "1000" });
    expect(sent.status).toBe(200);
    expect(sent.json.status).toBe("success");
    const listed = await api(k, "GET", "/v1/forks");
    expect(listed.json.forks.map((f: { id: string }) => f.id)).toContain(fork.id);
    const stranger = await newProject("another");
    expect((await api(stranger, "GET", `/v1/forks/${fork.id}`)).status).toBe(404);
    expect((await api(stranger, "POST", `/v1/forks/${fork.id}/send`, { to: BOB, value: "1" })).status).toBe(404);
  });
});

describe("a persistent fork's base reads and the credit", () => {
  it("hold the requests an account object reads its base with: past the credit, 402 and never below zero", async () => {
    const fresh = () => Array.from(crypto.getRandomValues(new Uint8Array(20)), (b) => b.toString(16).padStart(2, "0")).join("");
    // BALANCE of each calldata word: an account object's base read each, one after the other.
    const runtime = bytesToHex(asm("PUSH0 :top DUP1 CALLDATALOAD BALANCE POP PUSH 32 ADD DUP1 CALLDATASIZE GT @top JUMPI STOP")).slice(2);
    const init = `0x60${(runtime.length / 2).toString(16).padStart(2, "0")}8060095f395ff3${runtime}`;
    const deployed = await api(k, "POST", `/v1/forks/${fork.id}/contracts`, { bytecode: init });
    expect(deployed.status).toBe(201);
    const call = (n: number) => api(k, "POST", `/v1/forks/${fork.id}/call`, { to: deployed.json.address, data: `0x${Array.from({ length: n }, () => fresh().padStart(64, "0")).join("")}`, gas: 1_000_000 });
    const saved = await credit(k);
    // Exactly what admission holds: the call at its gas limit, and 32 upstream requests.
    const held = 100 + Math.ceil((1_000_000 * 2000) / 1_000_000) + 32 * Number(testEnv.PRICE_UPSTREAM_REQUEST);
    await setCredit(k, held);
    try {
      const refused = await call(60);
      expect({ status: refused.status, code: refused.json.error?.code }).toEqual({ status: 402, code: "insufficient_credit" });
      const requests = Number(refused.headers.get("x-upstream-requests"));
      expect(requests).toBeGreaterThan(0);
      expect(requests).toBeLessThanOrEqual(32);
      const paid = held - (await credit(k));
      expect(paid).toBe(Number(refused.headers.get("x-edge-evm-charge")));
      expect(paid).toBeGreaterThanOrEqual(requests * Number(testEnv.PRICE_UPSTREAM_REQUEST));
      expect(await credit(k)).toBeGreaterThanOrEqual(0);
    } finally {
      await setCredit(k, saved);
    }
    // With credit, a call reading as many runs.
    expect((await call(60)).status).toBe(200);
  });
});

describe("a persistent fork's base reads on the request path", () => {
  it("are paid from what admission held: a call of fresh accounts asks the ledger nothing more", async () => {
    const fresh = () => `0x${Array.from(crypto.getRandomValues(new Uint8Array(20)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
    const ctx = createExecutionContext();
    const body = { from: fresh(), to: fresh(), data: "0x", gas: 100_000 };
    const req = new Request(`http://edge-evm.test/v1/forks/${fork.id}/call`, { method: "POST", headers: { authorization: `Bearer ${k.key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const res = await entry.fetch(req as never, { ...testEnv, HOP_COUNTS: "on" }, ctx);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    await waitOnExecutionContext(ctx);
    expect(Number(res.headers.get("x-upstream-requests"))).toBeGreaterThan(0);
    const hops = Object.fromEntries((res.headers.get("x-edge-evm-hops") ?? "").split(";").map((kv) => kv.split("=")));
    expect(hops.path.split("+")[0]).toBe("admit");
    expect(hops.path.split("+")).not.toContain("topUp");
  });
});

describe("a persistent fork of a lying upstream", () => {
  it.each(["balance", "code", "storage"])("refuses a base value with one altered %s (upstream_proof_invalid), and takes the honest one after", async (lie) => {
    const rand = () => Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");
    const init = `0x7f${rand()}600055602c6030600039602c6000f3600054600052602060006000f300${rand()}` as Hex;
    const target = (await receiptOf(ANVIL, await rpc(ANVIL, "eth_sendTransaction", [{ from: DEPLOYER, data: init, gas: "0x100000" }]))).contractAddress as Hex;
    const created = await api(k, "POST", "/v1/forks", { network: "liar" });
    expect(created.status).toBe(201);
    const ask = () => worker.default.fetch(new Request(`http://edge-evm.test/rpc/${k.key}/forks/${created.json.id}`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: target, data: "0x" }, "latest"] }) }));
    const call = () => ask().then((r) => r.json() as Promise<any>);
    await fetch(`${LIAR}/__lie/${lie}`, { method: "POST" });
    const before = await credit(k);
    const answer = await ask();
    const refused = (await answer.json()) as any;
    await fetch(`${LIAR}/__lie/none`, { method: "POST" });
    expect(refused.error?.data?.code).toBe("upstream_proof_invalid");
    // The requests the refused answer took are the request's to pay, as any other.
    const requests = Number(answer.headers.get("x-upstream-requests"));
    expect(requests).toBeGreaterThan(0);
    expect(before - (await credit(k))).toBe(Number(answer.headers.get("x-edge-evm-charge")));
    expect((await call()).result).toBe(await rpc(ANVIL, "eth_call", [{ to: target, data: "0x" }, `0x${created.json.blockNumber.toString(16)}`]));
  });
});
