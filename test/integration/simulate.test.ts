import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { MEMORY_LOOP } from "../../src/cli/bench/trace-sizes.ts";
import { bytesToHex, type Address } from "../../src/primitives/hex.ts";
import Caller from "../contracts/Caller.json";
import Counter from "../contracts/Counter.json";
import OzToken from "../contracts/OzToken.json";
import { decodeUint, encodeCall, withArgs } from "./abi.ts";
import { api, anotherKey, newProject, type TestKey, logCaughtUp } from "./helpers.ts";

const RECIPIENT = "0x7000000000000000000000000000000000000007" as Address;
const SUPPLY = 1_000_000n;
const LOOPER = "0x9000000000000000000000000000000000000009" as Address;

async function deploy(k: TestKey, bytecode: string, value?: bigint): Promise<Address> {
  const r = await api(k, "POST", "/v1/contracts", { bytecode, ...(value !== undefined ? { value: value.toString() } : {}) });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.address;
}

async function balanceOf(k: TestKey, token: Address, who: Address): Promise<bigint> {
  return decodeUint((await api(k, "POST", "/v1/call", { to: token, data: encodeCall("balanceOf(address)", who) })).json.returnData);
}

describe("POST /v1/simulate: a user decides before sending", () => {
  it("runs a bundle in order: approve, then transferFrom by the spender sees the approval; nothing is committed", async () => {
    const holder = await newProject();
    const spender = await anotherKey(holder);
    const token = await deploy(holder, withArgs(OzToken.bytecode, SUPPLY));
    const r = await api(holder, "POST", "/v1/simulate", {
      transactions: [
        { to: token, data: encodeCall("approve(address,uint256)", spender.address, 500) },
        { from: spender.address, to: token, data: encodeCall("transferFrom(address,address,uint256)", holder.address, RECIPIENT, 300) },
      ],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const [approve, transfer] = r.json.results;
    expect(approve.status).toBe("success");
    expect(approve.logs[0].decoded).toEqual({ standard: "erc20", event: "Approval", args: { owner: holder.address, spender: spender.address, value: "500" } });
    expect(transfer.status).toBe("success");
    expect(transfer.logs.map((l: any) => l.decoded?.event)).toContain("Transfer");
    expect(transfer.assetChanges).toEqual(
      expect.arrayContaining([
        { address: holder.address, asset: { type: "erc20", token }, change: "-300" },
        { address: RECIPIENT, asset: { type: "erc20", token }, change: "300" },
      ]),
    );
    // The allowance slot is in the second transaction's access list, and its gas with the list is known.
    expect(transfer.accessList.some((i: any) => i.address === token && i.storageKeys.length >= 2)).toBe(true);
    expect(typeof transfer.gasUsedWithAccessList).toBe("number");
    // Nothing was committed.
    expect(await balanceOf(holder, token, RECIPIENT)).toBe(0n);
    expect(await balanceOf(holder, token, holder.address)).toBe(SUPPLY);
  });

  it("surfaces a revert deep in the call tree at the top, with the call trace showing where", async () => {
    const k = await newProject();
    const caller = await deploy(k, Caller.bytecode);
    const r = await api(k, "POST", "/v1/simulate", { transactions: [{ to: caller, data: encodeCall("deepRevert(uint256)", 4) }], trace: { type: "call", withLog: true } });
    const [res] = r.json.results;
    expect(res.status).toBe("reverted");
    expect(res.error).toMatchObject({ code: "reverted", message: "execution reverted: bottom of the call tree" });
    let depth = 0;
    for (let f = res.trace; f !== undefined; f = f.calls?.[0]) {
      expect(f).toMatchObject({ error: "execution reverted", revertReason: "bottom of the call tree" });
      depth++;
    }
    expect(depth).toBe(6);
    expect(res.trace.type).toBe("CALL");
  });

  it("reports an out-of-gas in a nested call that the caller survives, and every movement of ether", async () => {
    const k = await newProject();
    const caller = await deploy(k, Caller.bytecode);
    const r = await api(k, "POST", "/v1/simulate", { transactions: [{ to: caller, data: encodeCall("everything(address)", RECIPIENT), value: "5" }], trace: "call" });
    const [res] = r.json.results;
    expect(res.status).toBe("success");
    const burn = res.trace.calls.find((c: any) => c.input === encodeCall("burn()"));
    expect(burn).toMatchObject({ type: "CALL", error: "out of gas", gas: "0xc350", gasUsed: "0xc350" });
    expect(res.transfers).toEqual(expect.arrayContaining([{ asset: { type: "native" }, from: caller, to: RECIPIENT, amount: "2" }]));
    expect(res.assetChanges).toEqual(expect.arrayContaining([{ address: RECIPIENT, asset: { type: "native" }, change: "2" }, { address: k.address, asset: { type: "native" }, change: "-5" }]));
  });

  it("overrides state and block: an address gets a balance and new code, the block a number and time", async () => {
    const k = await newProject();
    const pretend = "0x9000000000000000000000000000000000000009" as Address;
    // NUMBER PUSH0 MSTORE TIMESTAMP PUSH1 32 MSTORE PUSH1 64 PUSH0 RETURN
    const clock = "0x435f524260205260405ff3";
    const r = await api(k, "POST", "/v1/simulate", {
      transactions: [
        { from: pretend, to: RECIPIENT, value: "1000" },
        { to: pretend, data: "0x" },
        { to: "0x8000000000000000000000000000000000000008", data: encodeCall("increment()") },
      ],
      stateOverrides: { [pretend]: { balance: "5000", code: clock }, "0x8000000000000000000000000000000000000008": { code: Counter.deployedBytecode, state: { "0x0": "41" } } },
      blockOverrides: { number: "123456", time: "1900000000" },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const [pay, clockRun, counter] = r.json.results;
    expect(pay.status).toBe("success");
    expect(pay.stateDiff.find((d: any) => d.address === pretend).balance).toEqual({ before: "0x1388", after: "0xfa0" });
    expect(decodeUint(clockRun.returnData, 0)).toBe(123456n);
    expect(decodeUint(clockRun.returnData, 1)).toBe(1_900_000_000n);
    expect(counter.status).toBe("success");
    expect(counter.stateDiff.find((d: any) => d.address === "0x8000000000000000000000000000000000000008").storage).toEqual([{ slot: "0x0", before: "0x29", after: "0x2a" }]);
    // Overrides are never stored.
    expect((await api(k, "GET", `/v1/accounts/${pretend}`)).json.balance).toBe("0x0");
  });

  it("decodes a custom error with the ABI given, and validates like a real send when asked", async () => {
    const k = await newProject();
    const token = await deploy(k, withArgs(OzToken.bytecode, SUPPLY));
    const r = await api(k, "POST", "/v1/simulate", {
      transactions: [{ to: token, data: encodeCall("transferFrom(address,address,uint256)", RECIPIENT, k.address, 1) }],
      abi: OzToken.abi,
    });
    const [res] = r.json.results;
    expect(res.status).toBe("reverted");
    expect(res.error.decoded).toEqual({ signature: "ERC20InsufficientAllowance(address,uint256,uint256)", name: "ERC20InsufficientAllowance", args: { spender: k.address, allowance: "0", needed: "1" } });
    const wrongNonce = { to: token, data: encodeCall("approve(address,uint256)", RECIPIENT, 1), nonce: "7" };
    const unchecked = await api(k, "POST", "/v1/simulate", { transactions: [wrongNonce] });
    expect(unchecked.json.results[0].status).toBe("success");
    const checked = await api(k, "POST", "/v1/simulate", { transactions: [wrongNonce], validation: true });
    expect(checked.json.results[0]).toMatchObject({ status: "invalid", error: { code: "nonce_too_high" } });
  });

  it("returns geth's prestate and opcode traces, and refuses a bad trace request with a code", async () => {
    const k = await newProject();
    const token = await deploy(k, withArgs(OzToken.bytecode, SUPPLY));
    const tx = { to: token, data: encodeCall("transfer(address,uint256)", RECIPIENT, 7) };
    const pre = (await api(k, "POST", "/v1/simulate", { transactions: [tx], trace: { type: "prestate", diffMode: true } })).json.results[0].trace;
    expect(Object.keys(pre.post[token].storage)).toHaveLength(2);
    expect(pre.pre[token].storage).toBeDefined();
    const ops = (await api(k, "POST", "/v1/simulate", { transactions: [tx], trace: { type: "opcodes", limit: 20 } })).json.results[0].trace;
    expect(ops.structLogs).toHaveLength(20);
    expect(ops.structLogs[0]).toMatchObject({ pc: 0, op: "PUSH1", depth: 1, gasCost: 3 });
    expect(ops.failed).toBe(false);
    const bad = await api(k, "POST", "/v1/simulate", { transactions: [tx], trace: { type: "4byteTracer" } });
    expect({ status: bad.status, code: bad.json.error.code }).toEqual({ status: 400, code: "invalid_trace" });
    const badOverride = await api(k, "POST", "/v1/simulate", { transactions: [tx], stateOverrides: { [token]: { state: {}, stateDiff: {} } } });
    expect({ status: badOverride.status, code: badOverride.json.error.code }).toEqual({ status: 400, code: "invalid_state_overrides" });
  });

  it("bounds the traces of a whole bundle by one cap, and charges the gas the stopped run used", async () => {
    const k = await newProject();
    const code = bytesToHex(MEMORY_LOOP);
    // Each transaction's first 150 steps show 32 KiB of memory: about 10 MiB of trace each.
    const body = { transactions: [{ to: LOOPER, gas: "300000" }, { to: LOOPER, gas: "300000" }], stateOverrides: { [LOOPER]: { code } }, trace: { type: "opcodes", enableMemory: true, limit: 150 } };
    const one = await api(k, "POST", "/v1/simulate", { ...body, transactions: body.transactions.slice(1) });
    expect(one.status, JSON.stringify(one.json).slice(0, 200)).toBe(200);
    expect(one.json.results[0].trace.structLogs).toHaveLength(150);
    const both = await api(k, "POST", "/v1/simulate", body);
    expect({ status: both.status, code: both.json.error?.code }).toEqual({ status: 413, code: "trace_too_large" });
    await logCaughtUp(k);
    const [run] = (await api(k, "GET", "/v1/runs?limit=1")).json.runs;
    expect(run).toMatchObject({ kind: "simulate", status: "error", errorCode: "trace_too_large" });
    expect(BigInt(run.gasUsed)).toBeGreaterThan(300_000n);
  });

  it("a simulation of many calls with large inputs builds its transfers from what moved, whatever the calls carried", async () => {
    const k = await newProject();
    // 2,000 calls of 32 KiB each to a code-less account: 128 MiB of input in hex, none of it needed.
    const code = bytesToHex(asm("PUSH0 PUSH2 0x7fe0 MSTORE PUSH2 2000 :top PUSH0 PUSH0 PUSH2 0x8000 PUSH0 PUSH0 PUSH2 0x1234 PUSH0 CALL POP PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP"));
    const r = await api(k, "POST", "/v1/simulate", { transactions: [{ to: LOOPER, value: "5" }], stateOverrides: { [LOOPER]: { code }, [k.address]: { balance: "1000000000000000000" } } });
    expect(r.status, JSON.stringify(r.json).slice(0, 200)).toBe(200);
    expect(r.json.results[0]).toMatchObject({ status: "success", transfers: [{ asset: { type: "native" }, from: k.address, to: LOOPER, amount: "5" }] });
  });
});
