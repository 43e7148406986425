import { describe, expect, it } from "vitest";
import { diffOfPrestate, fromTraces } from "../../src/console/client/execution.ts";
import { ether, fixed, word } from "../../src/console/client/format.ts";
import type { CallFrameJson } from "../../src/trace/call-tracer.ts";

const A = "0x00000000000000000000000000000000000000aa";
const B = "0x00000000000000000000000000000000000000bb";
const C = "0x00000000000000000000000000000000000000cc";
const w = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as const;

describe("console: a committed transaction's detail from its traces", () => {
  it("reads geth's prestate diff mode as before → after per field and slot", () => {
    const pre = {
      [A]: { balance: "0x10", nonce: 5 },
      [B]: { balance: "0x0", code: "0x6000", nonce: 1, storage: { [w(1)]: w(7), [w(2)]: w(9) } },
      [C]: { balance: "0x3", nonce: 1, code: "0x00" },
    };
    // A paid and moved its nonce; B: slot 1 changed, slot 2 cleared (absent from post), slot 3 new; C self-destructed (absent from post).
    const post = { [A]: { balance: "0xe", nonce: 6 }, [B]: { storage: { [w(1)]: w(8), [w(3)]: w(4) } } };
    expect(diffOfPrestate(pre as never, post as never)).toEqual([
      { address: A, balance: { before: "0x10", after: "0xe" }, nonce: { before: "0x5", after: "0x6" }, storage: [] },
      { address: B, storage: [{ slot: w(1), before: w(7), after: w(8) }, { slot: w(2), before: w(9), after: w(0) }, { slot: w(3), before: w(0), after: w(4) }] },
      { address: C, balance: { before: "0x3", after: "0x0" }, nonce: { before: "0x1", after: "0x0" }, code: { before: "0x00", after: "0x" }, storage: [] },
    ]);
  });

  it("takes status, revert reason, logs in order, transfers and net changes from the call tree", () => {
    const transfer = (from: string, to: string, v: number) => ({ address: C, topics: ["0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", `0x${from.slice(2).padStart(64, "0")}`, `0x${to.slice(2).padStart(64, "0")}`], data: w(v) });
    const root: CallFrameJson = {
      type: "CALL", from: A, to: B, gas: "0x5208", gasUsed: "0x5000", input: "0x", value: "0x5",
      logs: [{ ...transfer(A, B, 3), index: "0x1", position: "0x1" } as never],
      calls: [
        { type: "CALL", from: B, to: C, gas: "0x100", gasUsed: "0x10", input: "0x", value: "0x2", logs: [{ ...transfer(B, C, 1), index: "0x0", position: "0x0" } as never] },
        { type: "CALL", from: B, to: A, gas: "0x100", gasUsed: "0x10", input: "0x", value: "0x1", error: "out of gas" },
      ],
    };
    const e = fromTraces(root, { pre: {}, post: {} });
    expect(e).toMatchObject({ status: "success", gasUsed: 0x5000 });
    expect(e.error).toBeUndefined();
    expect(e.logs.map((l) => l.decoded?.args.value)).toEqual(["1", "3"]);
    // The failed call moved nothing; the shared helpers (src/trace/assets.ts) net the rest.
    expect(e.transfers.filter((t) => t.asset.type === "native").map((t) => t.amount)).toEqual(["5", "2"]);
    expect(e.assetChanges).toContainEqual({ address: A, asset: { type: "native" }, change: "-5" });
    expect(e.assetChanges).toContainEqual({ address: B, asset: { type: "erc20", token: C }, change: "2" });

    const reverted = fromTraces({ ...root, error: "execution reverted", revertReason: "no", logs: undefined, calls: undefined }, { pre: {}, post: {} });
    expect(reverted).toMatchObject({ status: "reverted", error: { code: "reverted", message: "execution reverted: no" }, transfers: [], assetChanges: [] });
    expect(fromTraces({ ...root, error: "out of gas", logs: undefined, calls: undefined }, { pre: {}, post: {} }).error).toEqual({ code: "out_of_gas", message: "out of gas" });
  });

  it("formats amounts exactly", () => {
    expect(fixed(1234567n, 6)).toBe("1.234567");
    expect(fixed(-1000000n, 6)).toBe("-1");
    expect(fixed(123456789000000n, 6)).toBe("123,456,789");
    expect(ether(10n ** 18n + 5n)).toBe("1.000000000000000005 ETH");
    expect(ether(-5n)).toBe("-5 wei");
    expect(ether(0n)).toBe("0 ETH");
    expect(word(w(0))).toBe("0x0");
    expect(word(w(42))).toBe("0x2a");
  });
});
