import { ContractDecoder, EdrContext, L1_CHAIN_TYPE, l1ProviderFactory, MineOrdering, PRAGUE, type Provider } from "@nomicfoundation/edr";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { createAddress } from "../../src/evm/address.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync } from "../../src/evm/run.ts";
import type { Authorization, Tx } from "../../src/evm/types.ts";
import { searchMinimumGas } from "../../src/exec/estimate.ts";
import { hexToBytes, type Address, type Hex } from "../../src/primitives/hex.ts";
import { privateKeyToAddress } from "../../src/primitives/secp256k1.ts";
import { MemoryState } from "../../src/state/memory.ts";
import Caller from "../contracts/Caller.json";
import Counter from "../contracts/Counter.json";
import OzToken from "../contracts/OzToken.json";
import { encodeCall, withArgs } from "../integration/abi.ts";

const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const SPENDER_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
const ME = privateKeyToAddress(hexToBytes(KEY));
const SPENDER = privateKeyToAddress(hexToBytes(SPENDER_KEY));
const BOB = "0x7000000000000000000000000000000000000007" as Address;
/** EIP-7702 authorities: one that exists (a refund is due for it), one that does not. */
const FUNDED_AUTHORITY = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
const EMPTY_AUTHORITY = privateKeyToAccount("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");
const CAP = 16_777_216n;
const BLOCK = { number: 1n, timestamp: 1_800_000_000n, coinbase: "0x0000000000000000000000000000000000000000" as Address, gasLimit: 60_000_000n, baseFee: 0n, prevRandao: 0n, excessBlobGas: 0n, chainId: 31337n };

/** Hardhat's EDR (native revm) as a JSON-RPC provider: the reference for eth_estimateGas. */
async function edr(): Promise<(method: string, params: unknown[]) => Promise<any>> {
  const ctx = new EdrContext();
  await ctx.registerProviderFactory(L1_CHAIN_TYPE, l1ProviderFactory());
  const provider: Provider = await ctx.createProvider(
    L1_CHAIN_TYPE,
    {
      allowBlocksWithSameTimestamp: true, allowUnlimitedContractSize: false, bailOnCallFailure: false, bailOnTransactionFailure: false, chainId: 31337n,
      coinbase: new Uint8Array(20), defaultTransactionGasLimit: CAP, genesisState: [ME, SPENDER, FUNDED_AUTHORITY.address].map((a) => ({ address: hexToBytes(a), balance: 10n ** 24n })),
      hardfork: PRAGUE, initialBaseFeePerGas: 0n, minGasPrice: 0n, mining: { autoMine: true, memPool: { order: MineOrdering.Priority } },
      network: { genesisBlockGasLimit: 60_000_000n }, networkId: 31337n, observability: {}, ownedAccounts: [KEY, SPENDER_KEY], precompileOverrides: [],
    },
    { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} },
    { subscriptionCallback: () => {} },
    new ContractDecoder(),
  );
  let id = 0;
  return async (method, params) => {
    const res = await provider.handleRequest(JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }));
    const body = typeof res.data === "string" ? JSON.parse(res.data) : res.data;
    if (body.error) throw Object.assign(new Error(body.error.message), { rpc: body.error });
    return body.result;
  };
}

const hex = (n: bigint) => `0x${n.toString(16)}`;

type Auth = Authorization;
const authJson = (list: Auth[]) => list.map((a) => ({ chainId: hex(a.chainId), address: a.address, nonce: hex(a.nonce), yParity: hex(a.yParity), r: hex(a.r), s: hex(a.s) }));
const withAuths = (list: Auth[]) => (list.length === 0 ? {} : { authorizationList: authJson(list) });

async function authorize(signer: typeof FUNDED_AUTHORITY, target: Address): Promise<Auth> {
  const a = await signer.signAuthorization({ chainId: 31337, contractAddress: target, nonce: 0 });
  return { chainId: 31337n, address: target, nonce: 0n, yParity: BigInt(a.yParity ?? 0), r: BigInt(a.r), s: BigInt(a.s) };
}

/** Whether the transaction succeeds on EDR with exactly `gas` (sent in a snapshot, then undone). */
async function succeedsOnEdr(ref: (m: string, p: unknown[]) => Promise<any>, from: Address, to: Address | null, data: Hex, gas: bigint, auths: Auth[]): Promise<boolean> {
  const snapshot = await ref("evm_snapshot", []);
  try {
    const hash = await ref("eth_sendTransaction", [{ from, ...(to ? { to } : {}), data, gas: hex(gas), maxFeePerGas: "0x0", maxPriorityFeePerGas: "0x0", ...withAuths(auths) }]);
    return (await ref("eth_getTransactionReceipt", [hash])).status === "0x1";
  } catch {
    return false;
  } finally {
    await ref("evm_revert", [snapshot]);
  }
}

/** Our side: the same transactions over memory, estimated with the Worker's search. */
class Ours {
  readonly state = new MemoryState();
  constructor() {
    for (const a of [ME, SPENDER, FUNDED_AUTHORITY.address]) this.state.setAccount(a, { balance: 10n ** 24n });
  }
  tx(from: Address, to: Address | null, data: Hex, gas: bigint, auths: Auth[] = []): Tx {
    const nonce = this.state.account(from)?.nonce ?? 0n;
    return { type: auths.length > 0 ? 4 : 2, chainId: 31337n, from, to, nonce, gasLimit: gas, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n, value: 0n, data: hexToBytes(data), accessList: [], blobVersionedHashes: [], authorizationList: auths };
  }
  estimate(from: Address, to: Address | null, data: Hex, auths: Auth[]) {
    return searchMinimumGas((gas) => runTxSync({ source: this.state, tx: this.tx(from, to, data, gas, auths), block: BLOCK, fork: Fork.Prague, validate: false }), CAP);
  }
  send(from: Address, to: Address | null, data: Hex): void {
    const r = runTxSync({ source: this.state, tx: this.tx(from, to, data, CAP), block: BLOCK, fork: Fork.Prague });
    if (!r.valid) throw new Error(r.message);
    this.state.apply(r.changes);
  }
}

describe("eth_estimateGas against Hardhat's EDR", () => {
  it("finds the same gas as EDR for deployments, transfers, approvals, refunds, nested calls and EIP-7702 delegations", async () => {
    const ref = await edr();
    const ours = new Ours();
    const steps: { from: Address; to: () => Address | null; data: Hex; send: boolean; auths?: Auth[] }[] = [];
    const tokenAt = createAddress(ME, 0n), callerAt = createAddress(ME, 1n), counterAt = createAddress(ME, 2n);
    steps.push({ from: ME, to: () => null, data: withArgs(OzToken.bytecode, 10n ** 21n), send: true });
    steps.push({ from: ME, to: () => null, data: Caller.bytecode as Hex, send: true });
    steps.push({ from: ME, to: () => null, data: Counter.bytecode as Hex, send: true });
    steps.push({ from: ME, to: () => tokenAt, data: encodeCall("transfer(address,uint256)", BOB, 5), send: true });
    steps.push({ from: ME, to: () => tokenAt, data: encodeCall("approve(address,uint256)", SPENDER, 100), send: true });
    steps.push({ from: SPENDER, to: () => tokenAt, data: encodeCall("transferFrom(address,address,uint256)", ME, BOB, 100), send: true });
    steps.push({ from: ME, to: () => counterAt, data: encodeCall("increment()"), send: true });
    steps.push({ from: ME, to: () => callerAt, data: encodeCall("everything(address)", BOB), send: false });
    steps.push({ from: ME, to: () => callerAt, data: encodeCall("deepRevert(uint256)", 0), send: false });
    // Sending all of one's balance clears the slot: a refund the estimate must leave room for.
    steps.push({ from: SPENDER, to: () => tokenAt, data: encodeCall("transfer(address,uint256)", BOB, 0), send: false });
    // EIP-7702: an authority delegated to the counter and called in the same transaction; the
    // existing authority earns a refund, the empty one does not.
    for (const authority of [FUNDED_AUTHORITY, EMPTY_AUTHORITY]) {
      steps.push({ from: ME, to: () => authority.address.toLowerCase() as Address, data: encodeCall("increment()"), send: false, auths: [await authorize(authority, counterAt)] });
    }
    let equal = 0;
    for (const s of steps) {
      const to = s.to();
      const auths = s.auths ?? [];
      const mine = await ours.estimate(s.from, to, s.data, auths);
      const theirs = await ref("eth_estimateGas", [{ from: s.from, ...(to ? { to } : {}), data: s.data, gas: hex(CAP), ...withAuths(auths) }, "latest"]).then(BigInt, () => undefined);
      expect("gas" in mine, `${s.data.slice(0, 10)}: both estimate or both fail`).toBe(theirs !== undefined);
      if ("gas" in mine && theirs !== undefined) {
        // Ours is the exact minimum on EDR's own EVM: it succeeds there, one gas less fails.
        expect(await succeedsOnEdr(ref, s.from, to, s.data, mine.gas, auths), `${s.data.slice(0, 10)} at ${mine.gas}`).toBe(true);
        expect(await succeedsOnEdr(ref, s.from, to, s.data, mine.gas - 1n, auths), `${s.data.slice(0, 10)} at ${mine.gas - 1n}`).toBe(false);
        // EDR's estimator agrees, except that it stops a little above the minimum when a refund is due.
        // The delegation took effect on both sides: base, authorization and the counter's first SSTORE.
        if (auths.length > 0) expect(mine.gas).toBeGreaterThan(21_000n + 25_000n + 22_100n);
        if (mine.gas === theirs) equal++;
        else expect(theirs > mine.gas && theirs - mine.gas < mine.gas / 100n, `${s.data.slice(0, 10)}: EDR ${theirs}, ours ${mine.gas}`).toBe(true);
      }
      if (s.send) {
        ours.send(s.from, to, s.data);
        const hash = await ref("eth_sendTransaction", [{ from: s.from, ...(to ? { to } : {}), data: s.data, gas: hex(CAP), maxFeePerGas: "0x0", maxPriorityFeePerGas: "0x0" }]);
        expect((await ref("eth_getTransactionReceipt", [hash])).status).toBe("0x1");
      }
    }
    expect(equal).toBeGreaterThanOrEqual(6);
  });
});
