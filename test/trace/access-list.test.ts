import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { limitsOnly } from "../../src/exec/meter.ts";
import { traceRun, type TraceRequest } from "../../src/exec/trace.ts";
import type { Need } from "../../src/evm/types.ts";
import type { Address } from "../../src/primitives/hex.ts";
import type { MemoryState } from "../../src/state/memory.ts";
import { AccessListTracer } from "../../src/trace/access-list.ts";
import { CallTracer } from "../../src/trace/call-tracer.ts";
import { TraceMeter } from "../../src/trace/meter.ts";
import { Inspectors } from "../../src/trace/multi.ts";
import { block, CONTRACT, stateWith, tx } from "../helpers/exec.ts";
import { LazySource } from "../helpers/lazy-source.ts";

/** Loads on demand, as the account objects do: every first access waits. */
class AsyncLazySource extends LazySource {
  override async load(needs: Need[]): Promise<void> {
    super.load(needs);
  }
}

const X = "0x7000000000000000000000000000000000000007" as Address;
const Y = "0x7100000000000000000000000000000000000071" as Address;
const Z = "0x7200000000000000000000000000000000000072" as Address;
const W = "0x7300000000000000000000000000000000000073" as Address;

/** BALANCE, EXTCODESIZE, an SLOAD, a CALL to a contract that loads a slot and reverts, a STATICCALL. */
function state(): MemoryState {
  const s = stateWith(asm(`PUSH20 ${X} BALANCE POP PUSH20 ${Y} EXTCODESIZE POP PUSH 5 SLOAD POP PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 PUSH20 ${Z} GAS CALL POP PUSH0 PUSH0 PUSH0 PUSH0 PUSH20 ${W} GAS STATICCALL POP STOP`));
  s.setAccount(Z, { code: asm("PUSH 7 SLOAD PUSH0 PUSH0 REVERT"), nonce: 1n });
  return s;
}

/** Sorted by address, as geth answers it. */
const EXPECTED = [
  { address: CONTRACT, storageKeys: [5n] },
  { address: X, storageKeys: [] },
  { address: Y, storageKeys: [] },
  { address: Z, storageKeys: [7n] },
  { address: W, storageKeys: [] },
];

async function accessList(lazy: boolean, req?: TraceRequest) {
  const s = state();
  const source = lazy ? new AsyncLazySource(s) : Object.assign(s, { load: async () => {} });
  const t = await traceRun(source, tx({ gasLimit: 1_000_000n }), block(), false, limitsOnly(), req, new TraceMeter());
  expect(t.result).toMatchObject({ status: "success" });
  return t.accessList;
}

describe("access list tracer", () => {
  it("names every account and slot the instructions name, reverted frames included, however the run is looped", async () => {
    // Watched in the plain loop, in the inspected loop beside a struct logger, with and without loads.
    for (const lazy of [false, true]) {
      expect(await accessList(lazy)).toEqual(EXPECTED);
      expect(await accessList(lazy, { type: "opcodes" })).toEqual(EXPECTED);
    }
  });

  it("watches a few opcodes, so that a traced run without a struct logger keeps the plain loop", () => {
    const meter = new TraceMeter();
    const both = new Inspectors([CallTracer.forTransfers(meter), new AccessListTracer(new Set(), meter)], meter);
    expect([both.step, both.stepEnd, both.stepAbandoned]).toEqual([undefined, undefined, undefined]);
    expect([...both.watched].sort((a, b) => a - b)).toEqual([0x31, 0x3b, 0x3c, 0x3f, 0x54, 0x55, 0xf1, 0xf2, 0xf4, 0xfa, 0xff]);
  });
});
