import { describe, expect, it } from "vitest";
import { RequestBudget, type LedgerRef } from "../../src/exec/budget.ts";
import { limitsOnly } from "../../src/exec/meter.ts";
import { ServiceError } from "../../src/exec/errors.ts";
import { Upstream, type UpstreamUsage } from "../../src/fork/upstream.ts";
import type { Prices } from "../../src/billing/prices.ts";

const prices: Prices = { perRun: { call: 100n, simulate: 200n, send: 1000n, deploy: 5000n, query: 100n }, perMillionGas: 2000n, perMiBTraced: 500n };
const network = { name: "test", chainId: 1n, urls: ["http://upstream.test"], proofs: false, forks: {} };
const limits = { roundTrips: 64, bytes: 1 << 20 };

/** A budget holding `reserved` of a project's credit, with `credit` more the ledger can add. */
function budgetOf(reserved: bigint, credit: bigint) {
  const ledger = { credit, topUps: 0 };
  const stub = {
    async topUp(_id: string, amount: string) {
      ledger.topUps++;
      if (BigInt(amount) > ledger.credit) return false;
      ledger.credit -= BigInt(amount);
      return true;
    },
  };
  const ref = { project: "p", stub } as unknown as LedgerRef;
  return { budget: new RequestBudget(limitsOnly().config, prices, ref, { id: "r", amount: String(reserved) }), ledger };
}

/** An upstream answering every call, counting the calls it was sent. */
function upstreamOf(usage: UpstreamUsage) {
  const sent = { calls: 0 };
  const fetcher = (async (_url: string, init: RequestInit) => {
    const calls = JSON.parse(String(init.body)) as { id: number }[];
    sent.calls += calls.length;
    return new Response(JSON.stringify(calls.map((c) => ({ jsonrpc: "2.0", id: c.id, result: "0x1" }))));
  }) as unknown as typeof fetch;
  return { upstream: new Upstream(network, limits, fetcher, usage), sent };
}

const calls = (n: number) => Array.from({ length: n }, () => ({ method: "eth_chainId", params: [] }));

async function refused(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof ServiceError ? `${e.status} ${e.code}` : String(e);
  }
}

describe("upstream requests are paid before they are sent", () => {
  it("within the reservation; past it and the credit, 402 and nothing is sent", async () => {
    const { budget } = budgetOf(100n, 0n);
    const usage: UpstreamUsage = { requests: 0, roundTrips: 0, bytes: 0 };
    budget.chargeUpstream(10n, usage);
    const { upstream, sent } = upstreamOf(usage);
    await upstream.batch(calls(6));
    expect(await refused(upstream.batch(calls(5)))).toBe("402 insufficient_credit");
    expect(sent.calls).toBe(6);
    await upstream.batch(calls(4));
    expect({ requests: usage.requests, sent: sent.calls, charge: budget.cost().charge }).toEqual({ requests: 10, sent: 10, charge: "100" });
  });

  it("grows the reservation from the credit when it can, asking the ledger seldom", async () => {
    const { budget, ledger } = budgetOf(100n, 10_000n);
    const usage: UpstreamUsage = { requests: 0, roundTrips: 0, bytes: 0 };
    budget.chargeUpstream(10n, usage);
    const { upstream } = upstreamOf(usage);
    for (let i = 0; i < 40; i++) await upstream.batch(calls(2));
    expect(usage.requests).toBe(80);
    expect(ledger.topUps).toBeLessThanOrEqual(4);
  });

  it("holds what the credit covers for an account object's reads, down to none, asking the ledger once per refused amount", async () => {
    const { budget, ledger } = budgetOf(100n, 0n);
    const usage: UpstreamUsage = { requests: 0, roundTrips: 0, bytes: 0 };
    budget.chargeUpstream(10n, usage);
    const held = await usage.pay!(16, 0);
    expect(held.requests).toBe(10);
    expect(await refused(usage.pay!(1))).toBe("402 insufficient_credit");
    held.release();
    // Asked: 100 (double) and 60 (what 16 lacked), then 10 (what one more lacked); no more after.
    expect(ledger.topUps).toBe(3);
    for (let i = 0; i < 10; i++) (await usage.pay!(16, 0)).release();
    expect(ledger.topUps).toBe(3);
  });

  it("parallel round trips cannot pass the reservation together", async () => {
    const { budget } = budgetOf(100n, 0n);
    const usage: UpstreamUsage = { requests: 0, roundTrips: 0, bytes: 0 };
    budget.chargeUpstream(10n, usage);
    const { upstream, sent } = upstreamOf(usage);
    const outcomes = await Promise.all([refused(upstream.batch(calls(6))), refused(upstream.batch(calls(6)))]);
    expect(outcomes.filter((o) => o === undefined).length).toBe(1);
    expect(sent.calls).toBe(6);
  });

  it("an execution under way holds its gas limit: upstream requests cannot take it", async () => {
    // A call's price and 100,000 gas (200), and 50 more: five requests.
    const { budget } = budgetOf(350n, 0n);
    const usage: UpstreamUsage = { requests: 0, roundTrips: 0, bytes: 0 };
    budget.chargeUpstream(10n, usage);
    const m = budget.meter("call");
    await m.begin(100_000n);
    const { upstream, sent } = upstreamOf(usage);
    expect(await refused(upstream.batch(calls(6)))).toBe("402 insufficient_credit");
    await upstream.batch(calls(5));
    expect(sent.calls).toBe(5);
  });

  it("an account object is given what was paid for it: past that, 402 and nothing is sent", async () => {
    const usage: UpstreamUsage = { requests: 3, roundTrips: 1, bytes: 0, paid: 5 };
    const { upstream, sent } = upstreamOf(usage);
    expect(await refused(upstream.batch(calls(3)))).toBe("402 insufficient_credit");
    await upstream.batch(calls(2));
    expect({ requests: usage.requests, sent: sent.calls }).toEqual({ requests: 5, sent: 2 });
  });

  it("a deliverable surcharge the credit cannot pay is waived with the answer (confirm)", async () => {
    const { budget } = budgetOf(100n, 50n);
    let bytes = 0;
    budget.surcharge(() => BigInt(bytes), true);
    bytes = 120;
    expect(await budget.confirm()).toBe(true);
    const { budget: short } = budgetOf(100n, 10n);
    short.surcharge(() => 120n, true);
    expect(await short.confirm()).toBe(false);
    expect(short.cost().charge).toBe("0");
  });
});
