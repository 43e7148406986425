import { describe, expect, it } from "vitest";
import type { Address } from "../../src/primitives/hex.ts";
import { decodeAddress, decodeUint, encodeCall, withArgs } from "./abi.ts";
import { COUNTER, MOVER } from "./contracts.ts";
import { accountOf, anotherKey, api, newProject, testEnv, type TestKey, logCaughtUp } from "./helpers.ts";

async function deploy(k: TestKey, bytecode: string): Promise<Address> {
  const r = await api(k, "POST", "/v1/contracts", { bytecode });
  expect(r.status).toBe(201);
  return r.json.address;
}

async function count(k: TestKey, counter: Address): Promise<bigint> {
  return decodeUint((await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("count()") })).json.returnData);
}

/**
 * A send as a client makes it: a `409 conflict` (the send gave up re-executing under contention;
 * nothing of it was committed) is sent again, a few times. On a slow machine many contending
 * sends can outlast one request's retry budget; what these tests check is that no update is lost
 * and nothing is seen half done, which a retried send must keep too.
 */
async function sendRetryingConflicts(k: TestKey, body: unknown) {
  let r = await api(k, "POST", "/v1/send", body);
  for (let i = 0; i < 3 && r.status === 409 && r.json.error?.code === "conflict"; i++) r = await api(k, "POST", "/v1/send", body);
  return r;
}

describe("no lost update", () => {
  it("100 concurrent sends of one key incrementing one counter end at exactly 100", async () => {
    const k = await newProject();
    const counter = await deploy(k, COUNTER);
    const sends = await Promise.all(Array.from({ length: 100 }, () => api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") })));
    expect(sends.filter((s) => s.status !== 200 || s.json.status !== "success").map((s) => s.json)).toEqual([]);
    expect(await count(k, counter)).toBe(100n);
    // Each send emitted the count it produced: every value from 1 to 100 exactly once.
    const emitted = sends.map((s) => Number(decodeUint(s.json.logs[0].data))).sort((a, b) => a - b);
    expect(emitted).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // The sender's nonce counts the deployment and the 100 sends; the run log has one row each.
    expect((await api(k, "GET", `/v1/accounts/${k.address}`)).json.nonce).toBe("0x65");
    await logCaughtUp(k);
    const rows = await testEnv.DB.prepare(`SELECT kind, COUNT(*) AS n, COUNT(DISTINCT tx_hash) AS txs FROM runs WHERE project_id = ? GROUP BY kind ORDER BY kind`).bind(k.projectId).all();
    expect(rows.results).toEqual([{ kind: "call", n: 1, txs: 0 }, { kind: "deploy", n: 1, txs: 1 }, { kind: "send", n: 100, txs: 100 }]);
  });

  it("100 concurrent sends from 10 keys of one project to one counter lose nothing", async () => {
    const k = await newProject();
    const keys = [k, ...(await Promise.all(Array.from({ length: 9 }, () => anotherKey(k))))];
    const counter = await deploy(k, COUNTER);
    const sends = await Promise.all(keys.flatMap((key) => Array.from({ length: 10 }, () => sendRetryingConflicts(key, { to: counter, data: encodeCall("increment()") }))));
    expect(sends.filter((s) => s.status !== 200).map((s) => s.json)).toEqual([]);
    const emitted = sends.map((s) => Number(decodeUint(s.json.logs[0].data))).sort((a, b) => a - b);
    expect(emitted).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await count(k, counter)).toBe(100n);
  });
});

describe("atomicity across contracts", () => {
  const SUPPLY = 1_000_000n;

  async function balances(k: TestKey, token: Address, holders: Address[]): Promise<bigint[]> {
    return Promise.all(holders.map(async (h) => decodeUint((await api(k, "POST", "/v1/call", { to: token, data: encodeCall("balanceOf(address)", h) })).json.returnData)));
  }

  it("concurrent transfers moving two tokens keep every supply exact, are never seen half done, and a reverted run changes nothing", async () => {
    const owner = await newProject();
    const keys = [owner, ...(await Promise.all(Array.from({ length: 3 }, () => anotherKey(owner))))];
    const holders = keys.map((k) => k.address);
    const mover = await deploy(owner, withArgs(MOVER, SUPPLY));
    const a = decodeAddress((await api(owner, "POST", "/v1/call", { to: mover, data: encodeCall("a()") })).json.returnData);
    const b = decodeAddress((await api(owner, "POST", "/v1/call", { to: mover, data: encodeCall("b()") })).json.returnData);
    // Give every other key some of each token (different amounts of a and b).
    for (const h of holders.slice(1)) {
      for (const [token, amount] of [[a, 10_000n], [b, 20_000n]] as const) {
        const r = await api(owner, "POST", "/v1/send", { to: token, data: encodeCall("transfer(address,uint256)", h, amount) });
        expect(r.json.status).toBe("success");
      }
    }
    const diffBefore = await Promise.all(holders.map(async (h) => (await balances(owner, a, [h]))[0] - (await balances(owner, b, [h]))[0]));

    // Each transfer moves the same amount of a and of b, so a holder's (a - b) never changes;
    // some transfers ask for more b than the sender has: they revert after moving a.
    const transfers = keys.flatMap((k, i) =>
      Array.from({ length: 8 }, (_, j) => {
        const to = holders[(i + 1 + (j % 3)) % holders.length];
        const amount = BigInt(1 + ((i * 7 + j * 13) % 50));
        const tooMuch = j === 5 ? 10_000_000n : 0n;
        return sendRetryingConflicts(k, { to: mover, data: encodeCall("moveBoth(address,uint256,uint256)", to, amount, amount + tooMuch) });
      }),
    );
    // Meanwhile, read both balances of a holder in one simulation: a consistent view of the
    // chain never shows one token moved without the other.
    let transferring = true;
    const seen: { h: number; diff: bigint }[] = [];
    const watchers = holders.map(async (holder, h) => {
      while (transferring) {
        const r = await api(owner, "POST", "/v1/simulate", { transactions: [a, b].map((token) => ({ to: token, data: encodeCall("balanceOf(address)", holder) })) });
        expect(r.status).toBe(200);
        seen.push({ h, diff: decodeUint(r.json.results[0].returnData) - decodeUint(r.json.results[1].returnData) });
      }
    });
    const results = await Promise.all(transfers);
    transferring = false;
    await Promise.all(watchers);
    expect(results.filter((r) => r.status !== 200).map((r) => r.json)).toEqual([]);
    expect(seen.length).toBeGreaterThan(holders.length);
    expect(seen.filter(({ h, diff }) => diff !== diffBefore[h])).toEqual([]);
    const reverted = results.filter((r) => r.json.status === "reverted");
    expect(reverted).toHaveLength(keys.length);
    for (const r of reverted) expect(r.json.error.decoded).toEqual({ signature: "Error(string)", reason: "insufficient balance" });

    for (const token of [a, b]) {
      const bs = await balances(owner, token, holders);
      expect(bs.reduce((x, y) => x + y, 0n)).toBe(SUPPLY);
      expect(decodeUint((await api(owner, "POST", "/v1/call", { to: token, data: encodeCall("totalSupply()") })).json.returnData)).toBe(SUPPLY);
    }
    const diffAfter = await Promise.all(holders.map(async (h) => (await balances(owner, a, [h]))[0] - (await balances(owner, b, [h]))[0]));
    expect(diffAfter).toEqual(diffBefore);
    for (const x of [mover, a, b, ...holders]) expect((await accountOf(owner, x).inspect()).locks).toEqual([]);
  });
});
