import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Chain } from "../../src/exec/chain.ts";
import { commitRun } from "../../src/exec/commit.ts";
import type { AccountName } from "../../src/durable/protocol.ts";
import { InjectedFault } from "../../src/exec/faults.ts";
import type { Address, Hex } from "../../src/primitives/hex.ts";
import { EMPTY_CODE_HASH } from "../../src/primitives/keccak.ts";
import type { Participant } from "../../src/state/commit-plan.ts";
import type { ReadSet, WriteSet } from "../../src/state/sets.ts";
import { blockAtMs } from "../../src/state/blocks.ts";
import { accountOf, newProject, sleep, testEnv, type TestKey } from "./helpers.ts";

// The Account objects' commit protocol, driven directly over RPC (no EVM): validation, locks,
// decisions, recovery. The test config sets PREPARE_TIMEOUT_MS to 400.

const A = "0x00000000000000000000000000000000000000aa" as Address;
const B = "0x00000000000000000000000000000000000000bb" as Address;
const S = "0x00000000000000000000000000000000000000cc" as Address;
const clock = () => ({ genesisSeconds: Number(testEnv.GENESIS_TIME), intervalSeconds: Number(testEnv.BLOCK_TIME) });
/** Commit fields of a run that ran in the current block and did not read it. */
const now = () => ({ block: blockAtMs(clock(), Date.now()), readsBlock: false });
const far = () => ({ ...now(), after: 0, participants: [] });
const deciderOf = (k: TestKey): AccountName => `${BigInt(k.chainId)}:${S}`;

const fields = (nonce: number, balance = 0) => ({ nonce: `0x${nonce.toString(16)}` as Hex, balance: `0x${balance.toString(16)}` as Hex, codeHash: EMPTY_CODE_HASH });
const slotWrite = (slot: Hex, value: Hex): WriteSet => ({ deleted: false, storageReset: false, storage: [[slot, value]] });
const slotRead = (slot: Hex, value: Hex): ReadSet => ({ storage: [[slot, value]] });

async function slot(k: TestKey, a: Address, s: Hex): Promise<Hex> {
  return (await accountOf(k, a).load({ code: false, slots: [s] })).storage[0].value;
}

/** The sender's part of a run: it read its fields (nonce n) and bumps the nonce. */
function senderPart(nonce: number): Participant {
  return { address: S, reads: { account: nonce === 0 ? null : fields(nonce), storage: [] }, writes: { deleted: false, fields: fields(nonce + 1), storageReset: false, storage: [] } };
}

describe("single-account commit", () => {
  it("applies when the reads are current and refuses stale reads", async () => {
    const k = await newProject();
    const a = accountOf(k, A);
    expect(await a.commit({ txId: "t1", reads: slotRead("0x1", "0x0"), writes: slotWrite("0x1", "0x5"), ...far() })).toMatchObject({ ok: true });
    expect(await slot(k, A, "0x1")).toBe("0x5");
    const stale = await a.commit({ txId: "t2", reads: slotRead("0x1", "0x0"), writes: slotWrite("0x1", "0x6"), ...far() });
    expect(stale).toMatchObject({ ok: false, reason: "stale" });
    expect(await slot(k, A, "0x1")).toBe("0x5");
  });

  it("is idempotent per transaction id and refuses after the block deadline", async () => {
    const k = await newProject();
    const a = accountOf(k, A);
    const req = { txId: "t1", reads: slotRead("0x1", "0x0"), writes: slotWrite("0x1", "0x1"), ...far() };
    expect(await a.commit(req)).toMatchObject({ ok: true });
    expect(await a.commit(req)).toMatchObject({ ok: true });
    const previous = blockAtMs(clock(), Date.now()) - 1;
    expect(await a.commit({ txId: "t2", reads: slotRead("0x1", "0x1"), writes: slotWrite("0x1", "0x2"), ...far(), block: previous, readsBlock: true })).toMatchObject({ ok: false, reason: "late" });
    expect(await slot(k, A, "0x1")).toBe("0x1");
  });
});

describe("prepare / finish", () => {
  it("holds the keys it read and wrote until finished", async () => {
    const k = await newProject();
    const a = accountOf(k, A);
    const decider = deciderOf(k);
    expect(await a.prepare({ txId: "t1", decider, reads: slotRead("0x1", "0x0"), writes: slotWrite("0x2", "0x7") })).toMatchObject({ ok: true });
    // Writing a slot t1 read, or reading a slot t1 writes: locked. Reading what t1 read: fine.
    expect(await a.prepare({ txId: "t2", decider, reads: { storage: [] }, writes: slotWrite("0x1", "0x1") })).toMatchObject({ ok: false, reason: "locked" });
    expect(await a.commit({ txId: "t3", reads: slotRead("0x2", "0x0"), writes: null, ...far() })).toMatchObject({ ok: false, reason: "locked" });
    expect(await a.commit({ txId: "t4", reads: slotRead("0x1", "0x0"), writes: slotWrite("0x3", "0x1"), ...far() })).toMatchObject({ ok: true });
    expect((await a.inspect()).locks).toHaveLength(2);
    // A load of a slot being written waits for the outcome.
    const loading = a.load({ code: false, slots: ["0x2"] });
    await sleep(50);
    await a.finish("t1", "commit");
    expect((await loading).storage[0].value).toBe("0x7");
    expect(await a.inspect()).toMatchObject({ prepared: [], locks: [] });
  });

  it("treats a read of an account with no storage as a read of all its storage", async () => {
    const k = await newProject();
    const a = accountOf(k, A);
    await a.commit({ txId: "t0", reads: { storage: [] }, writes: { deleted: false, fields: fields(1), storageReset: false, storage: [] }, ...far() });
    const empty: ReadSet = { account: fields(1), storageEmpty: true, storage: [] };
    expect(await a.prepare({ txId: "t1", decider: deciderOf(k), reads: empty, writes: null })).toMatchObject({ ok: true });
    // Writing any slot now would change what t1 relied on.
    expect(await a.commit({ txId: "t2", reads: { storage: [] }, writes: slotWrite("0x9", "0x1"), ...far() })).toMatchObject({ ok: false, reason: "locked" });
    await a.finish("t1", "abort");
    expect(await a.commit({ txId: "t3", reads: { storage: [] }, writes: slotWrite("0x9", "0x1"), ...far() })).toMatchObject({ ok: true });
    expect(await a.commit({ txId: "t4", reads: empty, writes: slotWrite("0x1", "0x1"), ...far() })).toMatchObject({ ok: false, reason: "stale" });
  });

  it("drops the writes on abort, and finishing twice changes nothing", async () => {
    const k = await newProject();
    const a = accountOf(k, A);
    await a.prepare({ txId: "t1", decider: deciderOf(k), reads: { storage: [] }, writes: slotWrite("0x1", "0x9") });
    await a.finish("t1", "abort");
    await a.finish("t1", "commit");
    expect(await slot(k, A, "0x1")).toBe("0x0");
  });
});

describe("decision record", () => {
  it("answers abort when nothing was decided, and then a late decision cannot commit", async () => {
    const k = await newProject();
    const s = accountOf(k, S);
    expect(await s.resolve("t1")).toMatchObject({ outcome: "abort" });
    expect(await s.commit({ txId: "t1", reads: { account: null, storage: [] }, writes: senderPart(0).writes, ...far() })).toMatchObject({ ok: false, reason: "aborted" });
    expect((await s.load({ code: false, slots: [] })).account).toBeNull();
  });

  it("answers commit for a transaction committed by its sender", async () => {
    const k = await newProject();
    const s = accountOf(k, S);
    await s.commit({ txId: "t1", reads: { account: null, storage: [] }, writes: senderPart(0).writes, ...far() });
    expect(await s.resolve("t1")).toMatchObject({ outcome: "commit" });
  });
});

describe("multi-account commit (commitRun)", () => {
  const parts = (n: number): Participant[] => [
    senderPart(n),
    { address: A, reads: slotRead("0x1", `0x${n.toString(16)}` as Hex), writes: slotWrite("0x1", `0x${(n + 1).toString(16)}` as Hex) },
    { address: B, reads: slotRead("0x1", `0x${n.toString(16)}` as Hex), writes: slotWrite("0x1", `0x${(n + 1).toString(16)}` as Hex) },
  ];

  it("applies on every account, or on none when one read is stale", async () => {
    const k = await newProject();
    const chain = new Chain(testEnv, BigInt(k.chainId));
    expect(await commitRun(chain, { txId: "t1", decider: S, participants: parts(0), ...now() })).toMatchObject({ committed: true });
    expect([await slot(k, A, "0x1"), await slot(k, B, "0x1")]).toEqual(["0x1", "0x1"]);
    // B changed under the next run: nothing of it is applied, and nothing stays locked.
    await accountOf(k, B).commit({ txId: "x", reads: { storage: [] }, writes: slotWrite("0x1", "0x9"), ...far() });
    expect(await commitRun(chain, { txId: "t2", decider: S, participants: parts(1), ...now() })).toMatchObject({ committed: false, refusal: { reason: "stale" } });
    expect([await slot(k, A, "0x1"), await slot(k, B, "0x1")]).toEqual(["0x1", "0x9"]);
    expect((await accountOf(k, S).load({ code: false, slots: [] })).account?.nonce).toBe("0x1");
    for (const x of [A, B, S]) expect((await accountOf(k, x).inspect()).locks).toEqual([]);
  });

  it("recovers from a coordinator that dies after prepare: the accounts abort from the decision record", async () => {
    const k = await newProject();
    const chain = new Chain(testEnv, BigInt(k.chainId));
    await expect(commitRun(chain, { txId: "t1", decider: S, participants: parts(0), ...now(), fault: "die-after-prepare" })).rejects.toBeInstanceOf(InjectedFault);
    expect((await accountOf(k, A).inspect()).prepared).toHaveLength(1);
    await sleep(450);
    // The alarm (run now rather than waited for) asks the sender's object, which records abort.
    for (const x of [A, B]) await runDurableObjectAlarm(accountOf(k, x));
    for (const x of [A, B]) expect(await accountOf(k, x).inspect()).toMatchObject({ prepared: [], locks: [] });
    expect([await slot(k, A, "0x1"), await slot(k, B, "0x1")]).toEqual(["0x0", "0x0"]);
    // The coordinator coming back late finds its transaction aborted.
    expect(await accountOf(k, S).commit({ txId: "t1", reads: senderPart(0).reads, writes: senderPart(0).writes, ...far() })).toMatchObject({ ok: false, reason: "aborted" });
    expect((await accountOf(k, S).load({ code: false, slots: [] })).account).toBeNull();
  });

  it("recovers from a coordinator that dies after deciding: the accounts commit from the decision record", async () => {
    const k = await newProject();
    const chain = new Chain(testEnv, BigInt(k.chainId));
    await expect(commitRun(chain, { txId: "t1", decider: S, participants: parts(0), ...now(), fault: "die-after-decide" })).rejects.toBeInstanceOf(InjectedFault);
    // The sender applied its part; A and B still hold theirs. A reader of A waits for the outcome,
    // which A resolves itself once the prepare is older than the timeout.
    const t0 = Date.now();
    expect(await slot(k, A, "0x1")).toBe("0x1");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    await sleep(100);
    await runDurableObjectAlarm(accountOf(k, B));
    expect(await slot(k, B, "0x1")).toBe("0x1");
    for (const x of [A, B]) expect(await accountOf(k, x).inspect()).toMatchObject({ prepared: [], locks: [] });
  });

  it("resolves a stuck participant on its own alarm, without any reader", async () => {
    const k = await newProject();
    const chain = new Chain(testEnv, BigInt(k.chainId));
    await expect(commitRun(chain, { txId: "t1", decider: S, participants: parts(0), ...now(), fault: "die-after-prepare" })).rejects.toBeInstanceOf(InjectedFault);
    const deadline = Date.now() + 5_000;
    while ((await accountOf(k, A).inspect()).prepared.length > 0 && Date.now() < deadline) await sleep(100);
    expect((await accountOf(k, A).inspect()).prepared).toEqual([]);
  });
});

describe("sender turns", () => {
  it("lets one send of a sender run at a time, in order", async () => {
    const k = await newProject();
    const s = accountOf(k, S);
    const order: string[] = [];
    expect(await s.beginTurn("a", { code: false, slots: [] })).toMatchObject({ granted: true });
    // Two calls issued together may reach the object in either order: queue b, then c.
    const queued = async (n: number) => {
      while ((await s.inspect()).waitingTurns < n) await sleep(5);
    };
    const b = s.beginTurn("b", { code: false, slots: [] }).then(() => order.push("b"));
    await queued(1);
    const c = s.beginTurn("c", { code: false, slots: [] }).then(() => order.push("c"));
    await queued(2);
    expect(order).toEqual([]);
    await s.endTurn("a");
    await b;
    await s.endTurn("b");
    await c;
    expect(order).toEqual(["b", "c"]);
    await s.endTurn("c");
  });

  it("passes the turn on when its holder's lease lapses", async () => {
    const k = await newProject();
    const s = accountOf(k, S);
    await s.beginTurn("dead", { code: false, slots: [] });
    const t0 = Date.now();
    expect(await s.beginTurn("next", { code: false, slots: [] })).toMatchObject({ granted: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2_500);
    await s.endTurn("next");
  });
});

describe("faucet grant", () => {
  it("credits once per grant id, however often it is asked", async () => {
    const k = await newProject();
    const a = accountOf(k, A);
    await Promise.all([a.grant("g1", "0x64"), a.grant("g1", "0x64"), a.grant("g1", "0x64")]);
    await a.grant("g2", "0x1");
    expect((await a.load({ code: false, slots: [] })).account?.balance).toBe("0x65");
  });
});
