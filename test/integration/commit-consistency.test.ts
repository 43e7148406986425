import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AccountName } from "../../src/durable/protocol.ts";
import { Chain } from "../../src/exec/chain.ts";
import { commitRun } from "../../src/exec/commit.ts";
import { InjectedFault } from "../../src/exec/faults.ts";
import { verified } from "../../src/exec/read-only.ts";
import type { Address, Hex } from "../../src/primitives/hex.ts";
import { blockAtMs } from "../../src/state/blocks.ts";
import type { Participant } from "../../src/state/commit-plan.ts";
import type { WriteSet } from "../../src/state/sets.ts";
import { accountOf, newProject, sleep, testEnv } from "./helpers.ts";

// The commit protocol's guarantees for read-only runs and long or blocked sends, each finding
// of the protocol review forced with direct object calls. PREPARE_TIMEOUT_MS is 400 in tests.

const X = "0x00000000000000000000000000000000000000a1" as Address;
const Y = "0x00000000000000000000000000000000000000a2" as Address;
const clock = () => ({ genesisSeconds: Number(testEnv.GENESIS_TIME), intervalSeconds: Number(testEnv.BLOCK_TIME) });
const thisBlock = () => blockAtMs(clock(), Date.now());
const write = (v: Hex): WriteSet => ({ deleted: false, storageReset: false, storage: [["0x1", v]] });
const part = (address: Address, read: Hex, v: Hex): Participant => ({ address, reads: { storage: [["0x1", read]] }, writes: write(v) });
const slot1 = [{ kind: "storage" as const, address: X, slot: 1n }];

describe("read-only runs see one state", () => {
  it("a state that never existed (X from before T1, Y from after, X back by T2) fails verification: versions, not values", async () => {
    const k = await newProject();
    const chain = new Chain(testEnv, BigInt(k.chainId));
    const source = chain.source();
    await source.load(slot1);
    expect(source.storage(X, 1n)).toBe(0n);
    // T1 sets both to 1 (X decides); then the run reads Y = 1.
    expect(await commitRun(chain, { txId: "t1", decider: X, participants: [part(X, "0x0", "0x1"), part(Y, "0x0", "0x1")], block: thisBlock(), readsBlock: false })).toMatchObject({ committed: true });
    await source.load([{ kind: "storage", address: Y, slot: 1n }]);
    expect(source.storage(Y, 1n)).toBe(1n);
    // The stamps alone tell that these reads may not be one state.
    expect(source.consistent()).toBe(false);
    // T2 (undoing both, Y decides) prepares at X. The run's verification reaches Y first (all
    // is current there) and waits at X for T2, which then commits: X is 0 again, as read.
    expect(await accountOf(k, X).prepare({ txId: "t2", decider: `${BigInt(k.chainId)}:${Y}` as AccountName, reads: { storage: [["0x1", "0x1"]] }, writes: write("0x0") })).toMatchObject({ ok: true });
    const verifying = verified(chain, source);
    await sleep(50);
    const commitT2 = await accountOf(k, Y).commit({ txId: "t2", reads: { storage: [["0x1", "0x1"]] }, writes: write("0x0"), block: thisBlock(), readsBlock: false, after: 0, participants: [`${BigInt(k.chainId)}:${X}`] });
    expect(commitT2.ok).toBe(true);
    await accountOf(k, X).finish("t2", "commit", commitT2.ok ? commitT2.stamp : 0);
    // Values compare equal at X (0 = 0): only the version shows the write that came and went.
    expect(await verifying).toBe(false);
  });

  it("reads with no write stamped after them are one state without any verification round trip", async () => {
    const k = await newProject();
    const chain = new Chain(testEnv, BigInt(k.chainId));
    await commitRun(chain, { txId: "t1", decider: X, participants: [part(X, "0x0", "0x1"), part(Y, "0x0", "0x1")], block: thisBlock(), readsBlock: false });
    const source = chain.source();
    await source.load([...slot1, { kind: "storage", address: Y, slot: 1n }]);
    await source.load([{ kind: "account", address: Y }]);
    expect(source.consistent()).toBe(true);
    // A write to a read account after the first read makes them unproven again.
    await accountOf(k, Y).commit({ txId: "t2", reads: { storage: [] }, writes: write("0x7"), block: thisBlock(), readsBlock: false, after: 0, participants: [] });
    await source.load([{ kind: "storage", address: Y, slot: 2n }]);
    expect(source.consistent()).toBe(false);
  });
});

describe("sends do not livelock on the block", () => {
  it("a run that did not read its block commits in a later block; one that did is late", async () => {
    const k = await newProject();
    const a = accountOf(k, X);
    const ranIn = thisBlock() - 3;
    expect(await a.commit({ txId: "t1", reads: { storage: [] }, writes: write("0x1"), block: ranIn, readsBlock: true, after: 0, participants: [] })).toMatchObject({ ok: false, reason: "late" });
    const placed = await a.commit({ txId: "t2", reads: { storage: [] }, writes: write("0x1"), block: ranIn, readsBlock: false, after: 0, participants: [] });
    expect(placed).toMatchObject({ ok: true });
    expect(placed.ok && placed.block).toBeGreaterThanOrEqual(thisBlock() - 1);
    // A commit is never placed before the block it ran in (a clock behind the Worker's).
    // (The target read once: a block may tick while the commit is asked.)
    const target = thisBlock() + 5;
    const ahead = await a.commit({ txId: "t3", reads: { storage: [] }, writes: write("0x2"), block: target, readsBlock: false, after: 0, participants: [] });
    expect(ahead.ok && ahead.block).toBe(target);
  });

  it("stamps dependent commits in order, even within one millisecond", async () => {
    const k = await newProject();
    const a = accountOf(k, X);
    const stamps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const v = await a.commit({ txId: `t${i}`, reads: { storage: [] }, writes: write(`0x${i + 1}` as Hex), block: thisBlock(), readsBlock: false, after: 0, participants: [] });
      stamps.push(v.ok ? v.stamp : 0);
    }
    expect([...stamps].sort((p, q) => p - q)).toEqual(stamps);
    expect(new Set(stamps).size).toBe(5);
  });
});

describe("stale holders and decisions", () => {
  it("a dead coordinator's lock is resolved by the next writer that meets it, not only by the alarm", async () => {
    const k = await newProject();
    const chain = new Chain(testEnv, BigInt(k.chainId));
    const S = "0x00000000000000000000000000000000000000a3" as Address;
    const sender: Participant = { address: S, reads: { account: null, storage: [] }, writes: { deleted: false, fields: { nonce: "0x1", balance: "0x0", codeHash: "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" }, storageReset: false, storage: [] } };
    await expect(commitRun(chain, { txId: "dead", decider: S, participants: [sender, part(X, "0x0", "0x1")], block: thisBlock(), readsBlock: false, fault: "die-after-prepare" })).rejects.toBeInstanceOf(InjectedFault);
    const a = accountOf(k, X);
    // No alarm: only the writer that meets the stale lock can resolve it here.
    await runInDurableObject(a, (_o, state) => state.storage.deleteAlarm());
    const fresh = await a.commit({ txId: "w1", reads: { storage: [] }, writes: write("0x9"), block: thisBlock(), readsBlock: false, after: 0, participants: [] });
    expect(fresh).toMatchObject({ ok: false, reason: "locked" });
    // The refusal says how long the holder may still keep it.
    expect(!fresh.ok && "retryAfterMs" in fresh && fresh.retryAfterMs).toBeGreaterThan(100);
    await sleep(420);
    // Stale now: the writer that meets it starts resolving it and is told to retry at once.
    const met = await a.commit({ txId: "w2", reads: { storage: [] }, writes: write("0x9"), block: thisBlock(), readsBlock: false, after: 0, participants: [] });
    expect(met).toMatchObject({ ok: false, reason: "locked", retryAfterMs: 10 });
    let done = false;
    for (let i = 0; i < 20 && !done; i++) {
      await sleep(20);
      done = (await a.commit({ txId: `w3`, reads: { storage: [] }, writes: write("0x9"), block: thisBlock(), readsBlock: false, after: 0, participants: [] })).ok;
    }
    expect(done).toBe(true);
    expect((await a.inspect()).prepared).toEqual([]);
  });

  it("keeps a commit's decision until every participant has applied it", async () => {
    const k = await newProject();
    const chain = new Chain(testEnv, BigInt(k.chainId));
    await expect(commitRun(chain, { txId: "t1", decider: X, participants: [part(X, "0x0", "0x1"), part(Y, "0x0", "0x1")], block: thisBlock(), readsBlock: false, fault: "die-after-decide" })).rejects.toBeInstanceOf(InjectedFault);
    expect(await accountOf(k, X).inspect()).toMatchObject({ decisions: 1, undoneDecisions: 1 });
    // Y resolves it (a reader waits past the timeout) and applies the commit: then it may go.
    expect((await accountOf(k, Y).load({ code: false, slots: ["0x1"] })).storage[0].value).toBe("0x1");
    expect(await accountOf(k, X).inspect()).toMatchObject({ decisions: 1, undoneDecisions: 0 });
    // A whole commitRun tells the decider itself.
    await commitRun(chain, { txId: "t2", decider: X, participants: [part(X, "0x1", "0x2"), part(Y, "0x1", "0x2")], block: thisBlock(), readsBlock: false });
    expect(await accountOf(k, X).inspect()).toMatchObject({ decisions: 2, undoneDecisions: 0 });
  });

  it("a load that reports whether the account has storage waits for a prepared first slot", async () => {
    const k = await newProject();
    const a = accountOf(k, X);
    expect((await a.load({ code: false, slots: [] })).account).toBeNull();
    await a.commit({ txId: "t0", reads: { storage: [] }, writes: { deleted: false, fields: { nonce: "0x1", balance: "0x0", codeHash: "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" }, storageReset: false, storage: [] }, block: thisBlock(), readsBlock: false, after: 0, participants: [] });
    await a.prepare({ txId: "t1", decider: `${BigInt(k.chainId)}:${Y}` as AccountName, reads: { storage: [] }, writes: write("0x5") });
    const loading = a.load({ code: false, slots: [] });
    await sleep(50);
    await a.finish("t1", "commit", Date.now() * 1000);
    expect((await loading).account?.hasStorage).toBe(true);
  });
});
