import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Address } from "../../src/primitives/hex.ts";
import { decodeUint, encodeCall } from "./abi.ts";
import { COUNTER } from "./contracts.ts";
import { accountOf, api, newProject, sleep, type TestKey } from "./helpers.ts";

// The coordinator (the Worker running a send) dies between the phases of a two-account commit
// (the key's account and the counter): injected with the test-only `x-fault` header.

async function setUp() {
  const k = await newProject();
  const counter: Address = (await api(k, "POST", "/v1/contracts", { bytecode: COUNTER })).json.address;
  await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") });
  return { k, counter };
}

const count = async (k: TestKey, counter: Address) => decodeUint((await api(k, "POST", "/v1/call", { to: counter, data: encodeCall("count()") })).json.returnData);
const nonce = async (k: TestKey) => (await api(k, "GET", `/v1/accounts/${k.address}`)).json.nonce;

describe("recovery from a coordinator that dies mid-commit", () => {
  it("after prepare: the counter resolves to abort from the sender's decision record; nothing is applied", async () => {
    const { k, counter } = await setUp();
    const r = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") }, { "x-fault": "die-after-prepare" });
    expect(r.status).toBe(500);
    expect((await accountOf(k, counter).inspect()).prepared).toHaveLength(1);
    await sleep(450);
    await runDurableObjectAlarm(accountOf(k, counter));
    expect(await accountOf(k, counter).inspect()).toMatchObject({ prepared: [], locks: [] });
    expect(await count(k, counter)).toBe(1n);
    expect(await nonce(k)).toBe("0x2");
    // The key sends again as soon as its dead send's turn lapses.
    const again = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") });
    expect(again.json.status).toBe("success");
    expect(await count(k, counter)).toBe(2n);
    expect(await nonce(k)).toBe("0x3");
  });

  it("after the decision: the counter resolves to commit; the transaction is applied whole", async () => {
    const { k, counter } = await setUp();
    const r = await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") }, { "x-fault": "die-after-decide" });
    expect(r.status).toBe(500);
    // The sender's part is applied; the counter's is prepared. A reader of the counter waits for
    // the outcome, which the counter takes from the sender's decision record once stale.
    expect(await nonce(k)).toBe("0x3");
    expect(await count(k, counter)).toBe(2n);
    expect(await accountOf(k, counter).inspect()).toMatchObject({ prepared: [], locks: [] });
  });

  it("is not available without the test configuration's FAULT_INJECTION", async () => {
    const { faultOf } = await import("../../src/exec/faults.ts");
    expect(faultOf(undefined, "die-after-prepare")).toBeUndefined();
    expect(faultOf("on", "die-after-prepare")).toBe("die-after-prepare");
    expect(faultOf("on", "something-else")).toBeUndefined();
  });
});
