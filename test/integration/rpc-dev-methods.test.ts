import { describe, expect, it } from "vitest";
import { logCaughtUp, newProject } from "./helpers.ts";
import { fetchWorker, rpc } from "./rpc-client.ts";

const WHO = "0x00000000000000000000000000000000000dead1";
// PUSH1 0 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: returns storage slot 0.
const SLOT0 = "0x60005460005260206000f3";

describe("development methods (anvil_/hardhat_) with the dev scope", () => {
  it("set balance, nonce, code and storage; eth_call and the state reads see them; each charged as a run", async () => {
    const k = await newProject("dev", ["read", "simulate", "send", "dev"]);
    expect((await rpc(k, "anvil_setBalance", [WHO, "0xde0b6b3a7640000"])).result).toBe(true);
    expect((await rpc(k, "eth_getBalance", [WHO, "latest"])).result).toBe("0xde0b6b3a7640000");
    expect((await rpc(k, "hardhat_setNonce", [WHO, "0x2a"])).result).toBe(true);
    expect((await rpc(k, "eth_getTransactionCount", [WHO, "latest"])).result).toBe("0x2a");
    // The balance was kept by the nonce write.
    expect((await rpc(k, "eth_getBalance", [WHO, "latest"])).result).toBe("0xde0b6b3a7640000");
    expect((await rpc(k, "hardhat_setCode", [WHO, SLOT0])).result).toBe(true);
    expect((await rpc(k, "eth_getCode", [WHO, "latest"])).result).toBe(SLOT0);
    const value = `0x${"00".repeat(31)}07`;
    expect((await rpc(k, "anvil_setStorageAt", [WHO, "0x0", value])).result).toBe(true);
    expect((await rpc(k, "eth_getStorageAt", [WHO, "0x0", "latest"])).result).toBe(value);
    expect((await rpc(k, "eth_call", [{ to: WHO, data: "0x" }, "latest"])).result).toBe(value);
    expect((await rpc(k, "eth_getTransactionCount", [WHO, "latest"])).result).toBe("0x2a");

    const res = await fetchWorker(`http://edge-evm.test/rpc/${k.key}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_setBalance", params: [WHO, "0x1"] }),
    });
    expect(res.headers.get("x-edge-evm-charge")).toBe("1000");
    await logCaughtUp(k);
  });

  it("a value transfer spends what setBalance gave (a Hardhat-style flow: fund, then send)", async () => {
    const k = await newProject("dev-flow", ["read", "simulate", "send", "dev"]);
    const before = BigInt((await rpc(k, "eth_getBalance", [k.address, "latest"])).result);
    expect((await rpc(k, "hardhat_setBalance", [k.address, `0x${(before + 10n ** 20n).toString(16)}`])).result).toBe(true);
    const sent = await fetchWorker("http://edge-evm.test/v1/send", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${k.key}` },
      body: JSON.stringify({ to: WHO, value: (before + 10n ** 20n).toString() }),
    });
    expect(sent.status).toBe(200);
    expect(BigInt((await rpc(k, "eth_getBalance", [WHO, "latest"])).result)).toBe(before + 10n ** 20n);
    await logCaughtUp(k);
  });

  it("a Hardhat-style flow: set a whale's balance, impersonate it, send from it unsigned, stop", async () => {
    const k = await newProject("dev-impersonate", ["read", "simulate", "send", "dev"]);
    const WHALE = "0x00000000000000000000000000000000000aa1e5";
    const BOB = "0x0000000000000000000000000000000000000b0b";
    const tx = { from: WHALE, to: BOB, value: "0xde0b6b3a7640000" };
    expect((await rpc(k, "eth_sendTransaction", [tx])).error).toMatchObject({ code: -32000, data: { code: "unknown_account" } });
    expect((await rpc(k, "hardhat_setBalance", [WHALE, "0x56bc75e2d63100000"])).result).toBe(true);
    expect((await rpc(k, "anvil_impersonateAccount", [WHALE])).result).toBeNull();
    const hash = (await rpc(k, "eth_sendTransaction", [tx])).result;
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect((await rpc(k, "eth_getBalance", [BOB, "latest"])).result).toBe("0xde0b6b3a7640000");
    expect((await rpc(k, "eth_getTransactionCount", [WHALE, "latest"])).result).toBe("0x1");
    await logCaughtUp(k, [k.address, WHALE]);
    const receipt = (await rpc(k, "eth_getTransactionReceipt", [hash])).result;
    expect(receipt).toMatchObject({ from: WHALE, to: BOB, status: "0x1" });
    expect((await rpc(k, "anvil_stopImpersonatingAccount", [WHALE])).result).toBeNull();
    expect((await rpc(k, "eth_sendTransaction", [tx])).error).toMatchObject({ code: -32000, data: { code: "unknown_account" } });
    // The key's own account sends unsigned with the send scope alone, as REST sends do.
    const plain = await newProject("dev-own");
    expect((await rpc(plain, "eth_sendTransaction", [{ to: BOB, value: "0x1" }])).result).toMatch(/^0x[0-9a-f]{64}$/);
    expect((await rpc(plain, "anvil_impersonateAccount", [WHALE])).error).toMatchObject({ code: -32001, data: { code: "insufficient_scope" } });
    await logCaughtUp(plain);
  });

  it("refuses a key without the dev scope (-32001 insufficient_scope), and bad params with -32602", async () => {
    const k = await newProject("dev-refused");
    expect((await rpc(k, "anvil_setBalance", [WHO, "0x1"])).error).toMatchObject({ code: -32001, data: { code: "insufficient_scope" } });
    expect((await rpc(k, "eth_getBalance", [WHO, "latest"])).result).toBe("0x0");
    const d = await newProject("dev-params", ["read", "dev"]);
    for (const [method, params] of [
      ["anvil_setBalance", [WHO]],
      ["anvil_setBalance", ["0x12", "0x1"]],
      ["anvil_setBalance", [WHO, `0x1${"0".repeat(64)}`]],
      ["anvil_setNonce", [WHO, `0x1${"0".repeat(16)}`]],
      ["anvil_setCode", [WHO, "0xzz"]],
      ["anvil_setStorageAt", [WHO, "0x0"]],
    ] as const) {
      expect((await rpc(d, method, [...params])).error, `${method} ${JSON.stringify(params)}`).toMatchObject({ code: -32602 });
    }
  });
});
