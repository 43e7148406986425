import { exports } from "cloudflare:workers";
import { FetchRequest, JsonRpcProvider } from "ethers";
import { createPublicClient, createWalletClient, defineChain, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { TestKey } from "./helpers.ts";

const worker = exports as unknown as { default: { fetch(r: Request): Promise<Response> } };

/** A fetch that reaches this Worker (clients take it as their transport's fetch). */
export const fetchWorker = (input: RequestInfo | URL, init?: RequestInit) => worker.default.fetch(new Request(input, init));

/** One JSON-RPC request to `/rpc/{key}`: the whole response body (`result` or `error`). */
export async function rpc(k: TestKey, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetchWorker(`http://edge-evm.test/rpc/${k.key}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return res.json();
}

/** viem's public and wallet clients on `/rpc/{key}`, polling every 50 ms; `methods` collects the methods they call. */
export function viemClients(k: TestKey, privateKey: Hex, methods?: string[]) {
  const chain = defineChain({ id: k.chainId, name: "edge-evm test", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [`http://edge-evm.test/rpc/${k.key}`] } } });
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    if (methods !== undefined && typeof init?.body === "string") for (const r of [JSON.parse(init.body)].flat()) methods.push(r.method);
    return fetchWorker(input, init);
  };
  const transport = http(`http://edge-evm.test/rpc/${k.key}`, { fetchFn: fetchFn as typeof fetch });
  const account = privateKeyToAccount(privateKey);
  return {
    account,
    pub: createPublicClient({ chain, transport, pollingInterval: 50 }),
    wallet: createWalletClient({ chain, transport, account }),
  };
}

/** An ethers v6 provider on `/rpc` with the key as a bearer token, polling every 50 ms. */
export function ethersProvider(k: TestKey): JsonRpcProvider {
  const req = new FetchRequest("http://edge-evm.test/rpc");
  req.setHeader("authorization", `Bearer ${k.key}`);
  req.getUrlFunc = async (r) => {
    const res = await worker.default.fetch(new Request(r.url, { method: r.method, headers: r.headers, body: r.body ?? undefined }));
    return { statusCode: res.status, statusMessage: res.statusText, headers: Object.fromEntries(res.headers), body: new Uint8Array(await res.arrayBuffer()) };
  };
  // ethers caches identical requests for 250 ms by default; our blocks and test steps are faster.
  const provider = new JsonRpcProvider(req, k.chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  provider.pollingInterval = 50;
  return provider;
}
