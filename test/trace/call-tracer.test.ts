import { describe, expect, it } from "vitest";
import { createAddress } from "../../src/evm/address.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync } from "../../src/evm/run.ts";
import { hexToBytes, type Address } from "../../src/primitives/hex.ts";
import { MemoryState } from "../../src/state/memory.ts";
import { CallTracer, type CallFrameJson } from "../../src/trace/call-tracer.ts";
import Caller from "../contracts/Caller.json";
import { expectValid, block, SENDER, tx } from "../helpers/exec.ts";
import { encodeCall } from "../integration/abi.ts";
import { EjsReference, type RefFrame } from "./ejs-reference.ts";

const PAYEE = "0x5000000000000000000000000000000000000005" as Address;
const GAS = 3_000_000n;
const INTRINSIC_AND_CALLDATA = (data: Uint8Array) => 21_000n + BigInt(data.reduce((n, b) => n + (b === 0 ? 4 : 16), 0));

/** Our side: deploy Caller, then run one call to it with a call tracer. */
function ours(data: Uint8Array, value: bigint): CallFrameJson {
  const state = new MemoryState();
  state.setAccount(SENDER, { balance: 10n ** 21n });
  const deployed = expectValid(runTxSync({ source: state, tx: tx({ to: null, data: hexToBytes(Caller.bytecode), value: 10n, gasLimit: 5_000_000n }), block: block(), fork: Fork.Prague }));
  expect(deployed.status).toBe("success");
  state.apply(deployed.changes);
  const tracer = new CallTracer();
  const t = tx({ to: createAddress(SENDER, 0n), data, value, gasLimit: GAS, nonce: 1n });
  const r = expectValid(runTxSync({ source: state, tx: t, block: block(), fork: Fork.Prague, inspector: tracer }));
  return tracer.result(GAS, r.gasUsed)!;
}

/** The reference: the same two steps on @ethereumjs/evm, traced from its message events. */
async function reference(data: Uint8Array, value: bigint): Promise<RefFrame> {
  const ejs = await EjsReference.create();
  await ejs.fund(SENDER, 10n ** 21n);
  const caller = await ejs.deploy(SENDER, hexToBytes(Caller.bytecode), 10n);
  expect(caller).toBe(createAddress(SENDER, 0n));
  return ejs.trace(SENDER, caller, data, value, GAS - INTRINSIC_AND_CALLDATA(data));
}

/** The root's gas is the transaction's in geth's format and the message's in the reference. */
function withoutRootGas(f: CallFrameJson | RefFrame): object {
  const { gas: _g, gasUsed: _u, ...rest } = f as CallFrameJson & { logs?: unknown };
  return rest;
}

describe("callTracer against @ethereumjs/evm", () => {
  const cases: [string, string, bigint][] = [
    ["every kind of message: CALL with value, STATICCALL, DELEGATECALL, caught revert, caught out-of-gas, precompile, transfer, CREATE", encodeCall("everything(address)", PAYEE), 5n],
    ["a revert five calls deep, surfaced at the top", encodeCall("deepRevert(uint256)", 5), 0n],
    ["a custom error at the top", encodeCall("refuse(uint256)", 7), 0n],
    ["a panic in a nested call", encodeCall("divide(uint256)", 0), 0n],
  ];
  for (const [name, data, value] of cases) {
    it(name, async () => {
      const bytes = hexToBytes(data);
      const [a, b] = [ours(bytes, value), await reference(bytes, value)];
      expect(withoutRootGas(a)).toEqual(withoutRootGas(b));
    });
  }

  it("reports the revert reason of a failed frame, and the receipt's gas at the top", () => {
    const t = ours(hexToBytes(encodeCall("deepRevert(uint256)", 2)), 0n);
    expect(t.error).toBe("execution reverted");
    expect(t.revertReason).toBe("bottom of the call tree");
    expect(t.gas).toBe(`0x${GAS.toString(16)}`);
    let depth = 0;
    for (let f: CallFrameJson | undefined = t; f !== undefined; f = f.calls?.[0]) {
      expect(f.revertReason).toBe("bottom of the call tree");
      depth++;
    }
    expect(depth).toBe(4);
    const panic = ours(hexToBytes(encodeCall("divide(uint256)", 0)), 0n);
    expect(panic.calls?.[0].revertReason).toBe("division or modulo by zero");
  });
});
