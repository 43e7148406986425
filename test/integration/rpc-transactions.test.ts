import { exports } from "cloudflare:workers";
import { BaseError, InsufficientFundsError, createPublicClient, createWalletClient, defineChain, http, parseGwei, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import Counter from "../contracts/Counter.json";
import { encodeCall } from "./abi.ts";
import { api, newProject, type TestKey } from "./helpers.ts";

const worker = exports as unknown as { default: { fetch(r: Request): Promise<Response> } };
const fetchWorker = (input: RequestInfo | URL, init?: RequestInit) => worker.default.fetch(new Request(input, init));
const ZERO = "0x0000000000000000000000000000000000000000";
const BOB = "0x7000000000000000000000000000000000000007";

function clients(k: TestKey, privateKey: Hex) {
  const url = `http://edge-evm.test/rpc/${k.key}`;
  const chain = defineChain({ id: k.chainId, name: "edge-evm test", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  const transport = http(url, { fetchFn: fetchWorker as typeof fetch });
  const account = privateKeyToAccount(privateKey);
  return { account, pub: createPublicClient({ chain, transport, pollingInterval: 50 }), wallet: createWalletClient({ chain, transport, account }) };
}

async function rpc(k: TestKey, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetchWorker(`http://edge-evm.test/rpc/${k.key}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return res.json();
}

/** A user's own account starts empty: the key's (faucet-funded) account sends it ether over REST. */
async function fund(k: TestKey, to: Hex, wei: bigint): Promise<void> {
  const r = await api(k, "POST", "/v1/send", { to, value: `0x${wei.toString(16)}` });
  expect(r.status).toBe(200);
}

describe("signed transactions with a price for gas", () => {
  it("charges gasUsed × effective price for legacy, access-list and fee-market transactions, and pays the tip to the coinbase", async () => {
    const k = await newProject();
    const { account, pub, wallet } = clients(k, "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
    await fund(k, account.address, 10n ** 17n);
    const cases = [
      { type: "legacy", gasPrice: parseGwei("3") },
      { type: "eip2930", gasPrice: parseGwei("2"), accessList: [{ address: BOB, storageKeys: [] }] },
      { type: "eip1559", maxFeePerGas: parseGwei("5"), maxPriorityFeePerGas: parseGwei("1") },
    ] as const;
    for (const fees of cases) {
      const before = await pub.getBalance({ address: account.address });
      const tipBefore = await pub.getBalance({ address: ZERO });
      const hash = await wallet.sendTransaction({ ...fees, to: BOB, value: 7n } as any);
      const receipt = await pub.waitForTransactionReceipt({ hash });
      expect(receipt.status).toBe("success");
      // Base fee 0: the whole effective price is the tip (for type 2, min(maxFee, base + priority)).
      const price = "gasPrice" in fees ? fees.gasPrice : fees.maxPriorityFeePerGas;
      expect(receipt.effectiveGasPrice, fees.type).toBe(price);
      expect(receipt.type).toBe(fees.type);
      expect(before - (await pub.getBalance({ address: account.address })), fees.type).toBe(receipt.gasUsed * price + 7n);
      expect((await pub.getBalance({ address: ZERO })) - tipBefore, fees.type).toBe(receipt.gasUsed * price);
      const tx = await pub.getTransaction({ hash });
      expect(tx.type).toBe(fees.type);
      expect(tx.gasPrice).toBe(price);
    }
  });

  it("refuses a priced transaction the sender cannot pay for, and a replayed one", async () => {
    const k = await newProject();
    const { account, wallet } = clients(k, "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");
    const poor = await wallet.signTransaction({ type: "eip1559", to: BOB, nonce: 0, gas: 21_000n, maxFeePerGas: parseGwei("1"), maxPriorityFeePerGas: 1n, chainId: k.chainId });
    const refused = await rpc(k, "eth_sendRawTransaction", [poor]);
    expect(refused.error).toMatchObject({ code: -32000, data: { code: "insufficient_funds" } });
    // geth's wording, by which viem and ethers classify node errors.
    expect(refused.error.message).toMatch(/^insufficient funds for gas \* price \+ value: /);
    const viaViem = await wallet.sendTransaction({ to: BOB, maxFeePerGas: parseGwei("1"), maxPriorityFeePerGas: 1n }).catch((e: BaseError) => e);
    expect((viaViem as BaseError).walk((e) => e instanceof InsufficientFundsError)).toBeInstanceOf(InsufficientFundsError);
    // Gas costs no ether at price 0: a zero-balance account can send.
    const free = await wallet.signTransaction({ type: "eip1559", to: BOB, nonce: 0, gas: 21_000n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n, chainId: k.chainId });
    expect((await rpc(k, "eth_sendRawTransaction", [free])).result).toMatch(/^0x[0-9a-f]{64}$/);
    const again = await rpc(k, "eth_sendRawTransaction", [free]);
    expect(again.error).toMatchObject({ code: -32000, data: { code: "nonce_too_low" } });
    expect(again.error.message).toMatch(/^nonce too low: /);
    expect((await rpc(k, "eth_getTransactionCount", [account.address, "latest"])).result).toBe("0x1");
  });
});

describe("EIP-7702 over JSON-RPC", () => {
  it("delegates a user's account to a contract with a type-4 transaction signed by viem", async () => {
    const k = await newProject();
    const { account, pub, wallet } = clients(k, "0x829e924fdf021ba3dbbc4225edfece9aca04b929d6e75613329ca6f1d31c0bb4");
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address as Hex;
    const authorization = await wallet.signAuthorization({ contractAddress: counter, executor: "self" });
    const hash = await wallet.sendTransaction({ authorizationList: [authorization], to: account.address, data: encodeCall("increment()") });
    const receipt = await pub.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    expect(receipt.type).toBe("eip7702");
    expect(await pub.getCode({ address: account.address })).toBe(`0xef0100${counter.slice(2).toLowerCase()}`);
    // The account now runs the counter's code over its own storage.
    expect(BigInt((await rpc(k, "eth_call", [{ to: account.address, data: encodeCall("count()") }])).result)).toBe(1n);
    expect((await pub.getTransaction({ hash })).authorizationList?.[0]).toMatchObject({ address: counter.toLowerCase() });
  });
});
