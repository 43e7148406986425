import { exports } from "cloudflare:workers";
import { createPublicClient, defineChain, http, parseAbi, type Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { clearMemoryCache } from "../../src/fork/cache.ts";
import { asm } from "../../src/cli/asm.ts";
import { bytesToHex } from "../../src/primitives/hex.ts";
import { rpc } from "../helpers/rpc.ts";
import { buildWorld, cases, DEPLOYER, ERC20, receiptOf, swapData, type World } from "../fork/scenario.ts";
import { api, newProject, testEnv, type TestKey } from "./helpers.ts";
import { credit, setCredit } from "./metering-helpers.ts";

const worker = exports as unknown as { default: { fetch(r: Request): Promise<Response> } };
const urls = JSON.parse(testEnv.NETWORK_URLS!) as Record<string, string[]>;
const ANVIL = urls.anvil[0], LIAR = urls.liar[0];
let k: TestKey, world: World;

beforeAll(async () => {
  k = await newProject("fork");
  world = await buildWorld(ANVIL);
});

/** One JSON-RPC request to the Worker's network URL: the answer and its headers. */
async function ours(network: string, method: string, params: unknown[]) {
  const res = await worker.default.fetch(new Request(`http://edge-evm.test/rpc/${k.key}/${network}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params }) }));
  const text = await res.text();
  for (const u of [ANVIL, LIAR]) expect(text).not.toContain(u.replace("http://", ""));
  return { body: JSON.parse(text), headers: res.headers };
}

const block = () => `0x${world.block.toString(16)}`;
const GAS = "0xf42400";

/** Anvil's top call `gas` is the limit less intrinsic gas, geth's (and ours) the limit: not compared. */
const withoutTopGas = ({ gas: _gas, ...rest }: Record<string, unknown>) => rest;

describe("JSON-RPC of a network: /rpc/{key}/{network}", () => {
  it("debug_traceCall of each case equals Anvil's own at the same block; eth_call's data too", async () => {
    for (const c of cases(world)) {
      const tx = { ...c.tx, gas: GAS };
      const trace = await ours("anvil", "debug_traceCall", [tx, block(), { tracer: "callTracer", tracerConfig: { withLog: true } }]);
      expect(trace.body.error, c.name).toBeUndefined();
      const theirs = await rpc(ANVIL, "debug_traceCall", [tx, block(), { tracer: "callTracer", tracerConfig: { withLog: true } }]);
      expect(withoutTopGas(trace.body.result), c.name).toEqual(withoutTopGas(theirs));
      expect(trace.headers.get("x-fork-block")).toBe(block());
      if (c.name === "create" || c.name === "revert") continue;
      const called = await ours("anvil", "eth_call", [tx, block()]);
      expect(called.body.result, c.name).toBe(await rpc(ANVIL, "eth_call", [tx, block()]));
    }
  });

  it("debug_traceCall's struct log of each case equals Anvil's step for step (refund aside)", async () => {
    // Anvil shows `refund: 0` where geth leaves it out, and the refund of the frame, not of the transaction (geth's).
    const steps = (r: { structLogs: Record<string, unknown>[] }) => r.structLogs.map(({ refund: _refund, ...rest }) => rest);
    for (const c of cases(world)) {
      const tx = { ...c.tx, gas: GAS };
      const trace = await ours("anvil", "debug_traceCall", [tx, block(), {}]);
      expect(trace.body.error, c.name).toBeUndefined();
      const theirs = await rpc(ANVIL, "debug_traceCall", [tx, block(), {}]);
      expect({ ...trace.body.result, structLogs: undefined }, c.name).toEqual({ ...theirs, structLogs: undefined });
      expect(steps(trace.body.result), c.name).toEqual(steps(theirs));
    }
  });

  it("eth_createAccessList and eth_estimateGas of each case equal Anvil's (its accounts in its own order: compared sorted)", async () => {
    type List = { accessList: { address: string }[]; gasUsed: string };
    const sorted = (r: List) => ({ ...r, accessList: [...r.accessList].sort((a, b) => a.address.localeCompare(b.address)) });
    for (const c of cases(world)) {
      if (c.name === "revert") continue; // geth answers the list with an error member; Anvil fails the call
      const listed = await ours("anvil", "eth_createAccessList", [c.tx, block()]);
      expect(listed.body.error, c.name).toBeUndefined();
      expect(listed.body.result, c.name).toEqual(sorted(listed.body.result));
      expect(listed.body.result, c.name).toEqual(sorted(await rpc(ANVIL, "eth_createAccessList", [c.tx, block()])));
      expect((await ours("anvil", "eth_estimateGas", [c.tx, block()])).body.result, c.name).toBe(await rpc(ANVIL, "eth_estimateGas", [c.tx, block()]));
    }
  });

  it("eth_simulateV1 steps its blocks as geth does on a network: the next number, 12 s later each", async () => {
    const base = await rpc(ANVIL, "eth_getBlockByNumber", [block(), false]);
    const calls = [cases(world)[0].tx];
    const sim = await ours("anvil", "eth_simulateV1", [{ blockStateCalls: [{ calls }, { calls: [] }] }, block()]);
    expect(sim.body.error).toBeUndefined();
    const [first, second] = sim.body.result;
    expect(BigInt(first.number)).toBe(world.block + 1n);
    expect(BigInt(first.timestamp)).toBe(BigInt(base.timestamp) + 12n);
    expect(BigInt(second.timestamp)).toBe(BigInt(base.timestamp) + 24n);
    expect(first.calls[0].status).toBe("0x1");
  });

  it("counts the upstream's use in headers; the same request again is answered from the cache with no upstream request", async () => {
    clearMemoryCache();
    // A block not asked for before: its header at least comes from the upstream.
    await rpc(ANVIL, "anvil_mine", ["0x1"]);
    const swap = [{ from: DEPLOYER, to: world.router, data: swapData(world, DEPLOYER), gas: GAS }, await rpc(ANVIL, "eth_blockNumber")];
    const before = await credit(k);
    const first = await ours("anvil", "eth_call", swap);
    // The credit pays what the answer said it cost, upstream requests included, once.
    expect(before - (await credit(k))).toBe(Number(first.headers.get("x-edge-evm-charge")));
    expect(Number(first.headers.get("x-upstream-round-trips"))).toBeGreaterThan(0);
    expect(Number(first.headers.get("x-upstream-requests"))).toBeGreaterThanOrEqual(Number(first.headers.get("x-upstream-round-trips")));
    expect(Number(first.headers.get("x-upstream-cost"))).toBe(Number(first.headers.get("x-upstream-requests")) * Number(testEnv.PRICE_UPSTREAM_REQUEST ?? 0));
    const again = await ours("anvil", "eth_call", swap);
    expect(again.body.result).toBe(first.body.result);
    expect(again.headers.get("x-cache-hits")).toBe("1");
    expect(again.headers.get("x-upstream-requests")).toBe("0");
    // A read runs nothing, but pays what it asked of the upstream (a run of kind query, charged that alone).
    await rpc(ANVIL, "anvil_mine", ["0x1"]);
    const beforeRead = await credit(k);
    const read = await ours("anvil", "eth_getBalance", [DEPLOYER, await rpc(ANVIL, "eth_blockNumber")]);
    expect(BigInt(read.body.result)).toBeGreaterThan(0n);
    const requests = Number(read.headers.get("x-upstream-requests"));
    expect(requests).toBeGreaterThan(0);
    expect(beforeRead - (await credit(k))).toBe(requests * Number(testEnv.PRICE_UPSTREAM_REQUEST ?? 0));
    // Nothing asked of the upstream, nothing charged.
    await ours("anvil", "eth_chainId", []);
    expect(await credit(k)).toBe(beforeRead - requests * Number(testEnv.PRICE_UPSTREAM_REQUEST ?? 0));
  });

  it("holds each round trip's requests in the reservation before asking the network: past the credit, 402 and never below zero", async () => {
    // BALANCE of each calldata word: an account the network is asked for, each.
    const runtime = bytesToHex(asm("PUSH0 :top DUP1 CALLDATALOAD BALANCE POP PUSH 32 ADD DUP1 CALLDATASIZE GT @top JUMPI STOP")).slice(2);
    const init = `0x60${(runtime.length / 2).toString(16).padStart(2, "0")}8060095f395ff3${runtime}`;
    const reader = (await receiptOf(ANVIL, await rpc(ANVIL, "eth_sendTransaction", [{ from: DEPLOYER, data: init, gas: "0x100000" }]))).contractAddress as Hex;
    const fresh = () => Array.from(crypto.getRandomValues(new Uint8Array(20)), (b) => b.toString(16).padStart(2, "0")).join("").padStart(64, "0");
    const call = () => ours("anvil", "eth_call", [{ to: reader, data: `0x${Array.from({ length: 60 }, fresh).join("")}`, gas: GAS }, "latest"]);
    const price = Number(testEnv.PRICE_UPSTREAM_REQUEST);
    expect(price).toBeGreaterThan(0);
    const saved = await credit(k);
    // Exactly what admission holds: the call at its gas limit, and 32 upstream requests.
    const held = 100 + Math.ceil((Number(GAS) * 2000) / 1_000_000) + 32 * price;
    await setCredit(k, held);
    try {
      const refused = await call();
      expect(refused.body.error?.data?.code).toBe("insufficient_credit");
      const requests = Number(refused.headers.get("x-upstream-requests"));
      // Its reads before the run (prefetch, speculative passes) may take the run's gas reservation:
      // then the run finds it short. Paid what it asked of the network, as its answer says, from
      // the credit it had.
      expect(requests).toBeGreaterThan(0);
      const paid = held - (await credit(k));
      expect(paid).toBe(Number(refused.headers.get("x-edge-evm-charge")));
      expect(paid).toBeGreaterThanOrEqual(requests * price);
      expect(await credit(k)).toBeGreaterThanOrEqual(0);
    } finally {
      await setCredit(k, saved);
    }
    // With credit, a call reading as many runs (and pays more than 32 requests).
    const answered = await call();
    expect(answered.body.result).toBe("0x");
    expect(Number(answered.headers.get("x-upstream-requests"))).toBeGreaterThan(32);
  });

  it("state reads answer verified values; a send is refused", async () => {
    const balance = await ours("anvil", "eth_getBalance", [DEPLOYER, block()]);
    expect(balance.body.result).toBe(await rpc(ANVIL, "eth_getBalance", [DEPLOYER, block()]));
    const code = await ours("anvil", "eth_getCode", [world.pair, block()]);
    expect(code.body.result).toBe(await rpc(ANVIL, "eth_getCode", [world.pair, block()]));
    const slot = await ours("anvil", "eth_getStorageAt", [world.pair, "0x8", block()]);
    expect(slot.body.result).toBe(await rpc(ANVIL, "eth_getStorageAt", [world.pair, "0x0000000000000000000000000000000000000000000000000000000000000008", block()]));
    const sent = await ours("anvil", "eth_sendRawTransaction", ["0x00"]);
    expect(sent.body.error.data.code).toBe("network_read_only");
    expect((await ours("nowhere", "eth_chainId", [])).body.error.code).toBe("network_not_found");
  });

  it("viem reads, simulates and estimates against the network URL", async () => {
    const chain = defineChain({ id: 31337, name: "anvil via edge-evm", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [`http://edge-evm.test/rpc/${k.key}/anvil`] } } });
    const client = createPublicClient({ chain, transport: http(`http://edge-evm.test/rpc/${k.key}/anvil`, { fetchFn: ((i: RequestInfo, init?: RequestInit) => worker.default.fetch(new Request(i, init))) as typeof fetch }) });
    expect(await client.getChainId()).toBe(31337);
    const balance = await client.readContract({ address: world.tokenA, abi: ERC20, functionName: "balanceOf", args: [DEPLOYER], blockNumber: world.block });
    expect(balance).toBe(BigInt(await rpc(ANVIL, "eth_call", [{ to: world.tokenA, data: `0x70a08231${DEPLOYER.slice(2).padStart(64, "0")}` }, block()])));
    const router = parseAbi(["function swapExactTokensForTokens(uint256,uint256,address[],address,uint256) returns (uint256[])"]);
    const sim = await client.simulateContract({ account: DEPLOYER, address: world.router, abi: router, functionName: "swapExactTokensForTokens", args: [10n ** 19n, 0n, [world.tokenA, world.tokenB], DEPLOYER, 2n ** 40n], blockNumber: world.block });
    expect(sim.result[0]).toBe(10n ** 19n);
    expect(sim.result[1]).toBeGreaterThan(0n);
    const gas = await client.estimateGas({ account: DEPLOYER, to: world.router, data: swapData(world, DEPLOYER), blockNumber: world.block });
    const anvilGas = BigInt(await rpc(ANVIL, "eth_estimateGas", [{ from: DEPLOYER, to: world.router, data: swapData(world, DEPLOYER) }, block()]));
    // Ours is the exact least gas that succeeds; Anvil's search stops within its tolerance above it.
    expect(gas).toBeLessThanOrEqual(anvilGas);
    expect(gas).toBeGreaterThan((anvilGas * 95n) / 100n);
  });
});

describe("REST on a network: /v1/networks/{network}/call and /simulate", () => {
  it("simulates at a block, echoes it, and answers an identical request from the cache", async () => {
    const body = { transactions: [{ from: DEPLOYER, to: world.router, data: swapData(world, DEPLOYER) }] };
    const first = await api(k, "POST", `/v1/networks/anvil/simulate?block=${world.block}`, body);
    expect(first.status).toBe(200);
    expect(first.json.results[0].status).toBe("success");
    expect(first.json.fork).toMatchObject({ network: "anvil", blockNumber: Number(world.block), verified: true });
    expect(first.json.cached).toBe(false);
    const again = await api(k, "POST", `/v1/networks/anvil/simulate?block=${world.block}`, body);
    expect(again.json.cached).toBe(true);
    expect(again.json.fork.upstream.requests).toBe(0);
    expect(again.json.results).toEqual(first.json.results);
    const listed = await api(k, "GET", "/v1/networks");
    expect(listed.json.networks).toContainEqual({ name: "anvil", chainId: 31337, verified: true });
    expect(JSON.stringify(listed.json)).not.toContain("127.0.0.1");
  });

  it("BLOCKHASH of older blocks answers the network's hashes, each header checked against its child", async () => {
    for (const back of [1n, 2n, 5n]) {
      const n = world.block - back;
      // Creation code returning a zero word, then BLOCKHASH(n): what a creation returns is its code,
      // which may not begin with 0xef (EIP-3541), as one hash in 256 does.
      const data = `0x67${n.toString(16).padStart(16, "0")}4060205260405ff3`;
      const called = await ours("anvil", "eth_call", [{ data }, block()]);
      expect(called.body.error, `${back} back`).toBeUndefined();
      const hash = (await rpc(ANVIL, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false])).hash as string;
      expect(called.body.result).toBe(`0x${"0".repeat(64)}${hash.slice(2)}`);
    }
  });

  it("a call reverts as on the network", async () => {
    const revert = cases(world).find((c) => c.name === "revert")!.tx;
    const r = await api(k, "POST", `/v1/networks/anvil/call?block=${world.block}`, { from: revert.from, to: revert.to, data: revert.data });
    expect(r.json.status).toBe("reverted");
    expect(r.json.error.data.slice(0, 10)).toBe("0xe450d38c");
  });
});

/** A contract found nowhere in any cache: unique code (a random tail) and a random word in slot 0. */
async function freshTarget(): Promise<Hex> {
  const rand = () => Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");
  const runtime = `600054600052602060006000f300${rand()}`;
  const init = `0x7f${rand()}600055602c6030600039602c6000f3${runtime}` as Hex;
  const hash = await rpc(ANVIL, "eth_sendTransaction", [{ from: DEPLOYER, data: init, gas: "0x100000" }]);
  return (await receiptOf(ANVIL, hash)).contractAddress;
}

describe("a lying upstream", () => {
  it.each(["storage", "balance", "code", "header"])("that alters one %s is refused with upstream_proof_invalid, every time", async (lie) => {
    for (let i = 0; i < 3; i++) {
      const target = await freshTarget();
      const latest = await rpc(ANVIL, "eth_blockNumber");
      await fetch(`${LIAR}/__lie/${lie}`, { method: "POST" });
      const r = await ours("liar", "eth_call", [{ from: DEPLOYER, to: target, data: "0x" }, latest]);
      await fetch(`${LIAR}/__lie/none`, { method: "POST" });
      expect(r.body.error?.data?.code, `${lie} #${i}`).toBe("upstream_proof_invalid");
      const honest = await ours("liar", "eth_call", [{ from: DEPLOYER, to: target, data: "0x" }, latest]);
      expect(honest.body.result).toBe(await rpc(ANVIL, "eth_call", [{ to: target, data: "0x" }, latest]));
    }
  });
});
