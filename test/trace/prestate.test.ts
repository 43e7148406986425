import { createAddressFromString } from "@ethereumjs/util";
import { describe, expect, it } from "vitest";
import { createAddress } from "../../src/evm/address.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync } from "../../src/evm/run.ts";
import { bytesToHex, hexToBytes, wordToHex, type Address, type Hex } from "../../src/primitives/hex.ts";
import { MemoryState } from "../../src/state/memory.ts";
import { PrestateTracer, type PrestateAccount, type PrestateConfig } from "../../src/trace/prestate-tracer.ts";
import Caller from "../contracts/Caller.json";
import { block, expectValid, SENDER, tx } from "../helpers/exec.ts";
import { encodeCall } from "../integration/abi.ts";
import { EjsReference } from "./ejs-reference.ts";

const PAYEE = "0x5000000000000000000000000000000000000005" as Address;
const CALLER = createAddress(SENDER, 0n);
const DATA = hexToBytes(encodeCall("everything(address)", PAYEE));
// No fees, so that the sender's balance moves only by the value, as in the reference's message.
const FREE = { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n };
const BLOCK = block({ baseFee: 0n });

function ours(config: PrestateConfig) {
  const state = new MemoryState();
  state.setAccount(SENDER, { balance: 10n ** 21n });
  const deployed = expectValid(runTxSync({ source: state, tx: tx({ to: null, data: hexToBytes(Caller.bytecode), value: 10n, gasLimit: 5_000_000n, ...FREE }), block: BLOCK, fork: Fork.Prague }));
  state.apply(deployed.changes);
  const t = tx({ to: CALLER, data: DATA, value: 5n, gasLimit: 3_000_000n, nonce: 1n, ...FREE });
  const tracer = new PrestateTracer(config, t, BLOCK.coinbase, undefined, [], undefined);
  const r = expectValid(runTxSync({ source: state, tx: t, block: BLOCK, fork: Fork.Prague, inspector: tracer }));
  expect(r.status).toBe("success");
  return tracer.result(state, r.changes);
}

/** The same accounts and slots, read from @ethereumjs/evm's state before or after the same message. */
async function readEjs(ejs: EjsReference, shape: Record<Address, PrestateAccount>): Promise<Record<string, { balance: Hex; nonce: number; code: Hex; storage: Record<string, Hex> }>> {
  const out: Record<string, { balance: Hex; nonce: number; code: Hex; storage: Record<string, Hex> }> = {};
  const sm = ejs.evm.stateManager;
  for (const [address, acc] of Object.entries(shape)) {
    const a = createAddressFromString(address);
    const account = await sm.getAccount(a);
    const storage: Record<string, Hex> = {};
    for (const slot of Object.keys(acc.storage ?? {})) {
      const raw = bytesToHex(await sm.getStorage(a, hexToBytes(slot)));
      storage[slot] = wordToHex(raw === "0x" ? 0n : BigInt(raw));
    }
    out[address] = { balance: `0x${(account?.balance ?? 0n).toString(16)}`, nonce: Number(account?.nonce ?? 0n), code: bytesToHex(await sm.getCode(a)), storage };
  }
  return out;
}

describe("prestateTracer against @ethereumjs/evm's state", () => {
  it("reports every account and slot the transaction looks at, with the values before it", async () => {
    const pre = ours({}) as Record<Address, PrestateAccount>;
    // The sender, the contract, its callee, the contract it creates and the payee are all there;
    // the coinbase and the accounts that were empty before are not.
    expect(Object.keys(pre).sort()).toEqual([SENDER, CALLER, createAddress(CALLER, 1n)].sort());
    const ejs = await EjsReference.create();
    await ejs.fund(SENDER, 10n ** 21n);
    await ejs.deploy(SENDER, hexToBytes(Caller.bytecode), 10n);
    const theirs = await readEjs(ejs, pre);
    for (const [address, acc] of Object.entries(pre)) {
      const t = theirs[address];
      expect(acc.balance, address).toBe(t.balance);
      expect(acc.nonce ?? 0, address).toBe(address === SENDER ? 1 : t.nonce);
      expect(acc.code ?? "0x", address).toBe(t.code);
      expect(acc.storage ?? {}, address).toEqual(t.storage);
    }
  });

  it("in diff mode, shows what changed: new values after, old values before", async () => {
    const diff = ours({ diffMode: true }) as { pre: Record<Address, PrestateAccount>; post: Record<Address, PrestateAccount> };
    const ejs = await EjsReference.create();
    await ejs.fund(SENDER, 10n ** 21n);
    await ejs.deploy(SENDER, hexToBytes(Caller.bytecode), 10n);
    await ejs.trace(SENDER, CALLER, DATA, 5n, 2_000_000n);
    const after = await readEjs(ejs, { ...diff.pre, ...diff.post });
    for (const [address, acc] of Object.entries(diff.post)) {
      const t = after[address];
      if (acc.balance !== undefined) expect(acc.balance, address).toBe(t.balance);
      // The reference runs a message, not a transaction: the sender's nonce does not move there.
      if (acc.nonce !== undefined && address !== SENDER) expect(acc.nonce, address).toBe(t.nonce);
      if (acc.code !== undefined) expect(acc.code, address).toBe(t.code);
      for (const [slot, value] of Object.entries(acc.storage ?? {})) expect(value, `${address} ${slot}`).toBe(t.storage[slot]);
    }
    // The payee and the new contract appear only after; the sender paid value 5 + 2 sent on.
    expect(diff.post[PAYEE]?.balance).toBe("0x2");
    expect(diff.pre[PAYEE]).toBeUndefined();
    const created = createAddress(CALLER, 2n);
    expect(diff.pre[created]).toBeUndefined();
    expect(diff.post[created]?.code).toBe(after[created].code);
    expect(diff.post[created]?.nonce).toBe(1);
    expect(BigInt(diff.pre[SENDER].balance!) - BigInt(diff.post[SENDER].balance!)).toBe(5n);
  });

  it("leaves out an account that was empty before, though the transaction wrote its storage (geth decides at first look)", () => {
    const state = new MemoryState();
    state.setAccount(SENDER, { balance: 10n ** 21n });
    // A creation whose code writes slot 0.
    const t = tx({ to: null, data: hexToBytes("0x60015f5500"), gasLimit: 100_000n, ...FREE });
    const created = createAddress(SENDER, 0n);
    const traced = (config: PrestateConfig) => {
      const tracer = new PrestateTracer(config, t, BLOCK.coinbase, created, [], undefined);
      const r = expectValid(runTxSync({ source: state, tx: t, block: BLOCK, fork: Fork.Prague, inspector: tracer }));
      expect(r.status).toBe("success");
      return tracer.result(state, r.changes) as Record<string, Record<Address, PrestateAccount>>;
    };
    expect(traced({})[created]).toBeUndefined();
    const diff = traced({ diffMode: true });
    expect(diff.pre[created]).toBeUndefined();
    expect(diff.post[created]?.storage).toEqual({ [wordToHex(0n)]: wordToHex(1n) });
    expect(traced({ includeEmpty: true })[created]).toEqual({ balance: "0x0", storage: { [wordToHex(0n)]: wordToHex(0n) } });
  });
});
