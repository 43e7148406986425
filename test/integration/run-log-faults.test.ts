import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { writeRunLog } from "../../src/db/run-log-writer.ts";
import type { OutboxMessage } from "../../src/durable/outbox.ts";
import type { Env } from "../../src/env.ts";
import { hashKey } from "../../src/records/api-key.ts";
import type { RunRow } from "../../src/records/run.ts";
import Counter from "../contracts/Counter.json";
import { decodeUint, encodeCall } from "./abi.ts";
import { accountOf, api, ledgerOf, logCaughtUp, newProject, testEnv, type TestKey } from "./helpers.ts";
import { allRuns, credit, ledgerSql, rpc, setCredit } from "./metering-helpers.ts";

/**
 * Faults on the way from a commit to the run log (the sender's outbox, the queue, the consumer,
 * D1) and around the ledger: whatever fails, every committed transaction ends recorded once and
 * charged once, credit never goes negative, no idempotency key stays stuck, and a retry never
 * executes twice.
 */

/** What the objects call on the queue binding. */
interface FakeQueue {
  sendBatch(messages: Iterable<{ body: OutboxMessage }>): Promise<unknown>;
  send(message: OutboxMessage): Promise<unknown>;
}

/** Runs `fn` with the account object's queue binding replaced; gives the real one back after. */
async function withQueue<T>(k: TestKey, queue: FakeQueue, fn: () => Promise<T>): Promise<T> {
  const stub = accountOf(k, k.address) as unknown as DurableObjectStub;
  const swap = (o: unknown): void => {
    const obj = o as { env: Env; realEnv?: Env };
    obj.realEnv = obj.env;
    // Defined, not assigned: assigning through a binding's prototype could change the real one.
    obj.env = Object.create(obj.env, { RUN_LOG: { value: queue } });
  };
  const restore = (o: unknown): void => {
    const obj = o as { env: Env; realEnv?: Env };
    obj.env = obj.realEnv!;
  };
  await runInDurableObject(stub, swap);
  try {
    return await fn();
  } finally {
    await runInDurableObject(stub, restore);
  }
}

/** A queue batch as the runtime hands it to the consumer, counting acks and retries. */
function batchOf(bodies: OutboxMessage[]) {
  const seen = { acks: 0, retries: 0 };
  const messages = bodies.map((body, i) => ({ id: String(i), timestamp: new Date(), body, attempts: 1, ack: () => void seen.acks++, retry: () => void seen.retries++ }));
  return { batch: { queue: "run-log", messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch<OutboxMessage>, seen };
}

/** The bindings the consumer uses, some replaced (a plain object: the real env is never touched). */
function consumerEnv(replaced: Partial<Env>): Env {
  return { DB: testEnv.DB, ACCOUNTS: testEnv.ACCOUNTS, LEDGERS: testEnv.LEDGERS, BLOBS: testEnv.BLOBS, ...replaced } as Env;
}

async function deployCounter(k: TestKey): Promise<string> {
  const address = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
  await logCaughtUp(k);
  return address;
}

async function count(k: TestKey, counter: string): Promise<bigint> {
  return decodeUint((await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("count()") })).json.returnData);
}

async function sendRows(k: TestKey, txHash: string): Promise<number> {
  return (await testEnv.DB.prepare(`SELECT COUNT(*) AS n FROM transactions WHERE hash = ?`).bind(txHash).first<{ n: number }>())!.n;
}

describe("a commit's record on its way to D1", () => {
  it("is kept when the object dies before the queue has it: the commit armed the alarm, which delivers it once", async () => {
    const k = await newProject();
    const counter = await deployCounter(k);
    const before = await credit(k);
    // A queue that never answers: the object's own hand-off never finishes, as if it had died.
    const sent = await withQueue(k, { sendBatch: () => new Promise(() => {}), send: () => new Promise(() => {}) }, async () => {
      const s = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") });
      expect(s.status).toBe(200);
      // The hand-off waits a moment to gather more rows (outbox.ts): let it meet the dead queue.
      await new Promise((r) => setTimeout(r, 300));
      const sender = accountOf(k, k.address);
      expect((await sender.inspect()).outbox).toBe(1);
      const alarm = await runInDurableObject(sender, (_o, state) => state.storage.getAlarm());
      expect(alarm).not.toBeNull();
      expect(await sendRows(k, s.json.txHash)).toBe(0);
      return s.json;
    });
    expect(await runDurableObjectAlarm(accountOf(k, k.address))).toBe(true);
    await logCaughtUp(k);
    expect(await sendRows(k, sent.txHash)).toBe(1);
    // Redelivery (another alarm, a duplicate message) changes nothing.
    await runDurableObjectAlarm(accountOf(k, k.address));
    await logCaughtUp(k);
    expect(await sendRows(k, sent.txHash)).toBe(1);
    const sends = (await allRuns(k)).filter((r) => r.kind === "send");
    expect(sends).toHaveLength(1);
    expect(await credit(k)).toBe(before - sends[0].charge);
    expect((await rpc(k, "eth_getTransactionReceipt", [sent.txHash])).json.result).toMatchObject({ transactionHash: sent.txHash, status: "0x1" });
  });

  it("survives a consumer that fails on D1, then one that dies after writing and before confirming: written once, counted once, charged once", async () => {
    const k = await newProject();
    const counter = await deployCounter(k);
    const before = await credit(k);
    const captured: OutboxMessage[] = [];
    const capture: FakeQueue = { sendBatch: async (ms) => void captured.push(...[...ms].map((m) => m.body)), send: async (m) => void captured.push(m) };
    const sent = (
      await withQueue(k, capture, async () => {
        const s = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") });
        // The hand-off waits a moment to gather more rows (outbox.ts).
        for (let i = 0; i < 100 && captured.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        return s;
      })
    ).json;
    expect(captured.length).toBeGreaterThan(0);

    const failingDb = { prepare: (q: string) => testEnv.DB.prepare(q), batch: async () => { throw new Error("D1 is unavailable"); } } as unknown as D1Database;
    const first = batchOf(captured);
    await writeRunLog(consumerEnv({ DB: failingDb }), first.batch);
    expect(first.seen).toEqual({ acks: 0, retries: captured.length });
    expect(await sendRows(k, sent.txHash)).toBe(0);
    expect((await accountOf(k, k.address).inspect()).outbox).toBe(1);

    // Written to D1, then the consumer dies before the object hears of it.
    const dying = new Proxy(testEnv.ACCOUNTS, {
      get(ns, prop) {
        if (prop !== "get") return (ns as any)[prop].bind(ns);
        return (id: DurableObjectId) => {
          const stub = ns.get(id);
          return new Proxy(stub, { get: (s, p) => (p === "outboxDelivered" ? async () => { throw new Error("consumer died"); } : (...a: unknown[]) => (s as any)[p](...a)) });
        };
      },
    });
    const second = batchOf(captured);
    await writeRunLog(consumerEnv({ ACCOUNTS: dying }), second.batch);
    expect(second.seen).toEqual({ acks: 0, retries: captured.length });
    expect(await sendRows(k, sent.txHash)).toBe(1);

    const third = batchOf(captured);
    await writeRunLog(testEnv, third.batch);
    expect(third.seen).toEqual({ acks: captured.length, retries: 0 });
    await logCaughtUp(k);
    expect(await sendRows(k, sent.txHash)).toBe(1);
    const sends = (await allRuns(k)).filter((r) => r.kind === "send");
    expect(sends).toHaveLength(1);
    const usage = await testEnv.DB.prepare(`SELECT SUM(runs) AS runs, SUM(charge) AS charge FROM usage_hourly WHERE project_id = ? AND kind = 'send'`).bind(k.projectId).first<{ runs: number; charge: number }>();
    expect(usage).toEqual({ runs: 1, charge: sends[0].charge });
    expect(await credit(k)).toBe(before - sends[0].charge);
  });

  it("records a send that read 50 contracts of 24 KiB: the replay goes to R2 with code by hash, no D1 row holds it, and the trace replays", async () => {
    const k = await newProject();
    await setCredit(k, 1_000_000_000_000);
    const addresses: string[] = [];
    for (let i = 1; i <= 50; i++) {
      // Init code: MSTORE8(0, i); RETURN(0, 24576): 24 KiB of code, a different first byte each.
      const init = `0x60${i.toString(16).padStart(2, "0")}5f5361${"6000"}5ff3`;
      const d = await api(k, "POST", "/v1/contracts", { bytecode: init, gas: 6_000_000 });
      expect(d.status, JSON.stringify(d.json)).toBe(201);
      addresses.push(d.json.address);
    }
    // For each 32-byte word of calldata: EXTCODECOPY(word, 0, 0, 1). Reads every contract's code.
    const reader = (await api(k, "POST", "/v1/contracts", { bytecode: `0x6018600a5f3960185ff3${"5f5b8036111560165760015f5f83353c6020016001565b00"}` })).json.address;
    const data = `0x${addresses.map((a) => a.slice(2).toLowerCase().padStart(64, "0")).join("")}`;
    const s = await api(k, "POST", "/v1/send", { to: reader, data, gas: 1_000_000 });
    expect(s.status, JSON.stringify(s.json)).toBe(200);
    expect(s.json.status).toBe("success");
    await logCaughtUp(k);
    expect(await sendRows(k, s.json.txHash)).toBe(1);
    const row = await testEnv.DB.prepare(`SELECT replay_key, length(tx_json) AS json FROM transactions WHERE hash = ?`).bind(s.json.txHash).first<{ replay_key: string; json: number }>();
    expect(row!.json).toBeLessThan(64 * 1024);
    // The 1.2 MiB of code it read is not copied: the record names each contract's code by hash.
    const replay = (await (await testEnv.BLOBS.get(row!.replay_key))!.json()) as { state: { codeByHash?: true }[] };
    expect(replay.state.filter((a) => a.codeByHash === true)).toHaveLength(50);
    const trace = (await rpc(k, "debug_traceTransaction", [s.json.txHash, { tracer: "callTracer" }])).json;
    expect(trace.error).toBeUndefined();
    expect(trace.result.to).toBe(reader.toLowerCase());
  });
});

describe("a Worker that dies after the commit, before its answer", () => {
  it("answers the retry with the same Idempotency-Key from the commit, never running it again, and frees nothing twice", async () => {
    const k = await newProject();
    const counter = await deployCounter(k);
    const before = await credit(k);
    const headers = { "idempotency-key": "retry-after-death" };
    const died = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") }, { ...headers, "x-fault": "die-after-decide" });
    expect(died.status).toBe(500);
    const retry = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") }, headers);
    expect(retry.status).toBe(200);
    const again = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") }, headers);
    expect(again.json.txHash).toBe(retry.json.txHash);
    expect(await count(k, counter)).toBe(1n);
    // The dead request's reservation is swept: its one run committed, so nothing more is charged.
    await logCaughtUp(k, [k.address], { reservations: false });
    await ledgerSql(k.projectId, `UPDATE reservations SET created_at = created_at - ?`, 10 * 60 * 1000 + 1);
    await runDurableObjectAlarm(ledgerOf(k.projectId));
    const runs = await allRuns(k);
    expect(runs.filter((r) => r.kind === "send").map((r) => r.txHash)).toEqual([retry.json.txHash]);
    expect(runs.filter((r) => r.errorCode === "abandoned")).toEqual([]);
    expect(await credit(k)).toBe(before - runs.filter((r) => r.kind !== "deploy").reduce((n, r) => n + r.charge, 0));
  });
});

describe("a ledger object reset between reserve and settle", () => {
  it("keeps the reservation in storage: the settlement after the reset charges once and returns the rest", async () => {
    const k = await newProject();
    await setCredit(k, 10_000);
    const ledger = ledgerOf(k.projectId);
    const a = await ledger.admit({ keyHash: hashKey(k.key), items: 1, reserve: [{ fixed: "100", perMillionGas: "2000", gas: "1000000", gasDefaulted: false }], kind: "call" });
    if (!a.ok || a.reservation === undefined) throw new Error("not admitted");
    // Available credit: 10,000 less what the request holds (100 + 2,000 for its million gas).
    expect(await credit(k, false)).toBe(7_900);
    // The object loses its memory (what a reset or a move to another machine does); storage stays.
    await runInDurableObject(ledger, (_o, state) => {
      try {
        state.abort("reset by the test");
      } catch {
        // abort throws in the caller by design.
      }
    }).catch(() => {});
    const row: RunRow = {
      id: "run_reset", projectId: k.projectId, keyId: k.keyId, chainId: String(k.chainId), kind: "call", to: null, selector: null, gasLimit: "0", gasUsed: "50000",
      status: "success", errorCode: null, durationMs: 1, blockNumber: "1", txHash: null, contractAddress: null, charge: "200", createdAt: Date.now(),
    };
    const fresh = ledgerOf(k.projectId);
    await fresh.settle({ reservationId: a.reservation.id, runs: [{ runId: "run_reset", kind: "call", gasUsed: "50000", charge: "200", row }], close: true });
    await fresh.settle({ reservationId: a.reservation.id, runs: [{ runId: "run_reset", kind: "call", gasUsed: "50000", charge: "200", row }], close: true });
    expect(await credit(k)).toBe(9_800);
    await logCaughtUp(k);
    expect((await allRuns(k)).map((r) => [r.id, r.charge])).toEqual([["run_reset", 200]]);
  });
});

describe("the senders a reservation fences", () => {
  it("are named on the chain the sends commit on: a persistent fork's accounts, not the project's", async () => {
    const k = await newProject();
    const ledger = ledgerOf(k.projectId);
    const item = { fixed: "1000", perMillionGas: "2000", gas: "100000", gasDefaulted: false };
    const onFork = await ledger.admit({ keyHash: hashKey(k.key), items: 1, reserve: [item], kind: "send", sendsFromKey: true, chainName: "fork:7:mainnet:0xabc" });
    const onProject = await ledger.admit({ keyHash: hashKey(k.key), items: 1, reserve: [item], kind: "send", sendsFromKey: true });
    if (!onFork.ok || !onProject.ok) throw new Error("not admitted");
    const senders = await runInDurableObject(ledger, (_o, state) => state.storage.sql.exec<{ id: string; senders: string }>(`SELECT id, senders FROM reservations`).toArray());
    const of = (id: string) => JSON.parse(senders.find((r) => r.id === id)!.senders);
    expect(of(onFork.reservation!.id)).toEqual([`fork:7:mainnet:0xabc:${k.address}`]);
    expect(of(onProject.reservation!.id)).toEqual([`${k.chainId}:${k.address}`]);
  });
});
