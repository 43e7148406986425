import { describe, expect, it } from "vitest";
import type { Address } from "../../src/primitives/hex.ts";
import { decodeUint, encodeCall } from "./abi.ts";
import { COUNTER } from "./contracts.ts";
import { accountOf, api, newProject, type TestKey } from "./helpers.ts";

async function snapshot(k: TestKey, counter: Address) {
  const acct = (await api(k, "GET", `/v1/accounts/${counter}`)).json;
  const slot0 = (await api(k, "GET", `/v1/accounts/${counter}/storage/0`)).json.value;
  const sender = (await api(k, "GET", `/v1/accounts/${k.address}`)).json;
  return { acct, slot0, sender, locks: (await accountOf(k, counter).inspect()).locks };
}

describe("read-only runs", () => {
  it("call and simulate of a state-changing function never change stored state", async () => {
    const k = await newProject();
    const counter: Address = (await api(k, "POST", "/v1/contracts", { bytecode: COUNTER })).json.address;
    await api(k, "POST", "/v1/send", { to: counter, data: encodeCall("increment()") });
    const before = await snapshot(k, counter);

    const called = await Promise.all(Array.from({ length: 10 }, () => api(k, "POST", "/v1/call", { to: counter, data: encodeCall("increment()"), value: "0" })));
    for (const c of called) expect(c.json.status).toBe("success");
    const sim = await api(k, "POST", "/v1/simulate", {
      transactions: [
        { to: counter, data: encodeCall("increment()") },
        { to: counter, data: encodeCall("increment()") },
        { to: counter, data: encodeCall("count()") },
        { data: COUNTER },
        { to: k.address, value: "1000" },
      ],
    });
    expect(sim.status).toBe(200);
    // The bundle sees its own changes...
    expect(decodeUint(sim.json.results[2].returnData)).toBe(3n);
    expect(sim.json.results[1].stateDiff).toContainEqual({ address: counter, storage: [{ slot: "0x0", before: "0x2", after: "0x3" }] });
    expect(sim.json.results[3].createdAddress).toMatch(/^0x[0-9a-f]{40}$/);
    // ...and nothing of it reaches stored state.
    expect(await snapshot(k, counter)).toEqual(before);
    expect((await api(k, "GET", `/v1/accounts/${sim.json.results[3].createdAddress}`)).json.codeSize).toBe(0);
  });
});
