import { describe, expect, it } from "vitest";
import type { Address, Hex } from "../../src/primitives/hex.ts";
import { EMPTY_CODE_HASH } from "../../src/primitives/keccak.ts";
import { MISS } from "../../src/evm/types.ts";
import { commitPlan, writeSet } from "../../src/state/commit-plan.ts";
import { DoStateSource } from "../../src/state/do-source.ts";
import type { AccountLoad, LoadRequest } from "../../src/state/sets.ts";

const A = "0x00000000000000000000000000000000000000aa" as Address;
const B = "0x00000000000000000000000000000000000000bb" as Address;

/** A loader over fixed accounts that records the calls it gets. */
function fakeLoader(accounts: Record<Address, { nonce: Hex; storage: Record<Hex, Hex> } | null>) {
  const calls: [Address, LoadRequest][] = [];
  const loader = async (address: Address, req: LoadRequest): Promise<AccountLoad> => {
    calls.push([address, req]);
    const a = accounts[address] ?? null;
    return {
      account: a === null ? null : { nonce: a.nonce, balance: "0x0", codeHash: EMPTY_CODE_HASH, hasStorage: Object.keys(a.storage).length > 0 },
      code: req.code ? new Uint8Array(0) : undefined,
      storage: req.slots.map((slot) => ({ slot, value: a?.storage[slot] ?? "0x0" })),
      version: 3,
      lastStamp: 1,
      readStamp: 2,
    };
  };
  return { loader, calls };
}

describe("DoStateSource", () => {
  it("answers MISS until loaded, batches one call per account, and records the values read", async () => {
    const { loader, calls } = fakeLoader({ [A]: { nonce: "0x1", storage: { "0x1": "0x5" } }, [B]: null });
    const s = new DoStateSource(loader, () => 0n);
    expect(s.storage(A, 1n)).toBe(MISS);
    await s.load([{ kind: "account", address: A }, { kind: "storage", address: A, slot: 1n }, { kind: "storage", address: A, slot: 2n }, { kind: "code", address: B }]);
    expect(calls).toEqual([[A, { code: false, slots: ["0x1", "0x2"] }], [B, { code: true, slots: [] }]]);
    expect(s.storage(A, 1n)).toBe(5n);
    expect(s.account(B)).toBeNull();
    // Already loaded: no call.
    await s.load([{ kind: "storage", address: A, slot: 1n }]);
    expect(calls).toHaveLength(2);
    expect(s.readSets().get(A)).toEqual({ version: 3, account: { nonce: "0x1", balance: "0x0", codeHash: EMPTY_CODE_HASH }, storage: [["0x1", "0x5"], ["0x2", "0x0"]] });
    expect(s.readSets().get(B)).toEqual({ version: 3, account: null, storage: [] });
  });

  it("records reliance on an account having no storage", async () => {
    const { loader } = fakeLoader({ [A]: { nonce: "0x1", storage: {} } });
    const s = new DoStateSource(loader, () => 0n);
    await s.load([{ kind: "account", address: A }]);
    expect(s.readSets().get(A)?.storageEmpty).toBe(true);
  });

  it("overlays changes without counting them as reads, and a reset makes unknown slots zero", async () => {
    const { loader, calls } = fakeLoader({ [A]: { nonce: "0x1", storage: { "0x1": "0x5" } } });
    const s = new DoStateSource(loader, () => 0n);
    await s.load([{ kind: "account", address: A }]);
    s.overlay([{ address: A, deleted: false, nonce: 2n, balance: 0n, codeHash: EMPTY_CODE_HASH, storageReset: true, storage: new Map([[3n, 7n]]) }]);
    expect(s.storage(A, 1n)).toBe(0n);
    expect(s.storage(A, 3n)).toBe(7n);
    expect(s.info(A)?.nonce).toBe(2n);
    expect(calls).toHaveLength(1);
    expect(s.readSets().get(A)?.storage).toEqual([]);
  });
});

describe("commitPlan", () => {
  const change = (address: Address, nonce: bigint, storage: [bigint, bigint][] = []) => ({ address, deleted: false, nonce, balance: 0n, codeHash: EMPTY_CODE_HASH, storageReset: false, storage: new Map(storage) });

  it("lists every account read or written, in address order, leaving unchanged fields out", () => {
    const reads = new Map([
      [B, { account: { nonce: "0x1" as Hex, balance: "0x0" as Hex, codeHash: EMPTY_CODE_HASH }, storage: [["0x1", "0x5"]] as [Hex, Hex][] }],
      [A, { account: null, storage: [] }],
    ]);
    const before = (a: Address) => (a === B ? { nonce: 1n, balance: 0n, codeHash: EMPTY_CODE_HASH, hasStorage: true } : null);
    const plan = commitPlan(reads, [change(B, 1n, [[1n, 6n]]), change(A, 1n)], before);
    expect(plan.map((p) => p.address)).toEqual([A, B]);
    expect(plan[1].writes).toEqual({ deleted: false, fields: undefined, storageReset: false, storage: [["0x1", "0x6"]] });
    expect(plan[0].writes?.fields).toEqual({ nonce: "0x1", balance: "0x0", codeHash: EMPTY_CODE_HASH, code: undefined });
  });

  it("leaves a quiet account out unless it is written", () => {
    const reads = new Map([[A, { account: null, storage: [] }]]);
    expect(commitPlan(reads, [], () => null, [A])).toEqual([]);
    expect(commitPlan(reads, [change(A, 0n)], () => null, [A])).toHaveLength(1);
    expect(writeSet(change(A, 0n), { nonce: 0n, balance: 0n, codeHash: EMPTY_CODE_HASH, hasStorage: false })).toBeNull();
  });
});
