import { describe, expect, it } from "vitest";
import type { Settlement } from "../../src/durable/ledger/protocol.ts";
import { PendingSettlements, RIDE_WAIT_MS } from "../../src/exec/settlements.ts";

const settlement = (n: number): Settlement => ({ reservationId: `res_${n}`, runs: [], close: true });

/** A ledger stub that records what each own trip carried, failing the first `fails` trips. */
function ledger(fails = 0) {
  const trips: string[][] = [];
  return {
    trips,
    stub: {
      settleAll: async (list: Settlement[]) => {
        trips.push(list.map((s) => s.reservationId));
        if (trips.length <= fails) throw new Error("ledger reset");
      },
    } as never,
  };
}

describe("settlements waiting in an isolate", () => {
  it("ride on the next admission to their project's ledger and make no trip of their own", async () => {
    const p = new PendingSettlements();
    const l = ledger();
    const done = Promise.all([p.settle("proj_a", l.stub, settlement(1)), p.settle("proj_a", l.stub, settlement(2))]);
    expect(p.board("proj_b")).toBeUndefined();
    const ride = p.board("proj_a")!;
    expect(ride.settlements.map((s) => s.reservationId)).toEqual(["res_1", "res_2"]);
    ride.landed();
    await done;
    expect(l.trips).toEqual([]);
    expect(p.size()).toBe(0);
  });

  it("go on their own after the wait, together, when no admission comes", async () => {
    const p = new PendingSettlements();
    const l = ledger();
    const t0 = Date.now();
    await Promise.all([p.settle("proj_a", l.stub, settlement(1)), p.settle("proj_a", l.stub, settlement(2))]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(RIDE_WAIT_MS - 5);
    expect(l.trips).toEqual([["res_1", "res_2"]]);
  });

  it("go again when the admission carrying them failed, and when their own trip failed", async () => {
    const p = new PendingSettlements();
    const l = ledger(1);
    const done = p.settle("proj_a", l.stub, settlement(1));
    p.board("proj_a")!.failed();
    await done;
    // The first own trip failed (ledger reset), the second landed: the ledger settles a run once by its id.
    expect(l.trips).toEqual([["res_1"], ["res_1"]]);
    expect(p.size()).toBe(0);
  });

  it("give up after their tries, for the ledger's sweep to settle", async () => {
    const p = new PendingSettlements();
    const l = ledger(10);
    await expect(p.settle("proj_a", l.stub, settlement(1))).rejects.toThrow("ledger reset");
    expect(l.trips).toHaveLength(3);
  });

  it("do not grow the queue past its bound while the ledger keeps failing: the oldest given up are left to the sweep", async () => {
    const p = new PendingSettlements(undefined, 4);
    const l = ledger(1_000);
    const all = Array.from({ length: 10 }, (_, i) => p.settle("proj_a", l.stub, settlement(i)));
    for (const s of all) await expect(s).rejects.toThrow("ledger reset");
    expect(p.size()).toBe(4);
    // A later admission carries the ones kept.
    const ride = p.board("proj_a")!;
    expect(ride.settlements).toHaveLength(4);
    ride.landed();
    expect(p.size()).toBe(0);
  });

  it("take a ride that never comes back for lost and go on their own; its late return changes nothing", async () => {
    const p = new PendingSettlements(200);
    const l = ledger();
    const done = p.settle("proj_a", l.stub, settlement(1));
    const lost = p.board("proj_a")!;
    await done;
    expect(l.trips).toEqual([["res_1"]]);
    lost.failed();
    expect(p.size()).toBe(0);
  });

  it("seat at most 32 on one admission", async () => {
    const p = new PendingSettlements();
    const l = ledger();
    const all = Promise.all(Array.from({ length: 40 }, (_, i) => p.settle("proj_a", l.stub, settlement(i))));
    const ride = p.board("proj_a")!;
    expect(ride.settlements).toHaveLength(32);
    ride.landed();
    await all;
    expect(l.trips).toEqual([Array.from({ length: 8 }, (_, i) => `res_${32 + i}`)]);
  });
});
