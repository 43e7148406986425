import { describe, expect, it } from "vitest";
import { keysOf } from "../../src/durable/locks.ts";
import { SenderQueue } from "../../src/durable/sender-queue.ts";

describe("SenderQueue", () => {
  it("grants turns in arrival order and passes a lapsed one on", async () => {
    const q = new SenderQueue(() => 50);
    const order: string[] = [];
    await q.acquire("a");
    const b = q.acquire("b").then(() => order.push("b"));
    const c = q.acquire("c").then(() => order.push("c"));
    q.release("a");
    await b;
    expect(order).toEqual(["b"]);
    // b never releases: after its 50 ms lease, c gets the turn.
    const t0 = Date.now();
    await c;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
    expect(order).toEqual(["b", "c"]);
  });

  it("forgets a waiter that leaves, and refuses beyond 256 waiting", async () => {
    const q = new SenderQueue(() => 60_000);
    await q.acquire("holder");
    const waiting = Array.from({ length: 256 }, (_, i) => q.acquire(`w${i}`));
    expect(await q.acquire("one too many")).toBe(false);
    q.release("w0");
    q.release("holder");
    expect(await waiting[1]).toBe(true);
    for (let i = 1; i < 256; i++) q.release(`w${i}`);
    await Promise.all(waiting.slice(1));
  });
});

describe("keysOf", () => {
  it("names the keys a transaction reads and writes on one account", () => {
    expect(keysOf({ account: null, storageEmpty: true, storage: [["0x1", "0x0"]] }, { deleted: false, storageReset: false, storage: [["0x1", "0x2"]] })).toEqual([
      { key: "f", mode: "r" },
      { key: "*", mode: "r" },
      { key: "s:0x1", mode: "w" },
    ]);
    expect(keysOf({ storage: [] }, { deleted: true, storageReset: true, storage: [] })).toEqual([
      { key: "f", mode: "w" },
      { key: "*", mode: "w" },
    ]);
  });
});
