import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import type { Address } from "../../src/primitives/hex.ts";
import { encodeCall } from "./abi.ts";
import { COUNTER } from "./contracts.ts";
import { api, logCaughtUp, newProject, type TestKey } from "./helpers.ts";
import { expectError } from "./metering-helpers.ts";

async function deploy(k: TestKey): Promise<Address> {
  return (await api(k, "POST", "/v1/contracts", { bytecode: COUNTER })).json.address;
}

/** Every run the filter lets through, following nextCursor with pages of `limit`. */
async function listed(k: TestKey, filter: string, limit: number): Promise<any[]> {
  const out: any[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: any = (await api(k, "GET", `/v1/runs?limit=${limit}&${filter}${cursor ? `&cursor=${cursor}` : ""}`)).json;
    expect(page.runs.length).toBeLessThanOrEqual(limit);
    out.push(...page.runs);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
}

describe("GET /v1/runs filters", () => {
  it("narrows by kind, status and contract (its calls and its deployment), combined, page by page", async () => {
    const k = await newProject();
    const a = await deploy(k);
    const b = await deploy(k);
    await api(k, "POST", "/v1/send", { to: a, data: encodeCall("increment()") });
    await api(k, "POST", "/v1/send", { to: a, data: encodeCall("fail(string)", { string: "no" }) });
    await api(k, "POST", "/v1/send", { to: b, data: encodeCall("increment()") });
    await api(k, "POST", "/v1/call", { to: a, data: encodeCall("fail(string)", { string: "no" }) });
    await api(k, "POST", "/v1/simulate", { transactions: [{ to: b, data: encodeCall("count()") }] });
    await logCaughtUp(k);
    const all = await listed(k, "", 100);
    expect(all.map((r) => r.kind)).toEqual(["simulate", "call", "send", "send", "send", "deploy", "deploy"]);

    const kinds = (runs: any[]) => runs.map((r) => `${r.kind}:${r.status}`);
    expect(kinds(await listed(k, "kind=send", 1))).toEqual(["send:success", "send:reverted", "send:success"]);
    expect(kinds(await listed(k, "status=reverted", 1))).toEqual(["call:reverted", "send:reverted"]);
    expect(kinds(await listed(k, "kind=send&status=reverted", 2))).toEqual(["send:reverted"]);
    const ofA = await listed(k, `contract=${a}`, 2);
    expect(kinds(ofA)).toEqual(["call:reverted", "send:reverted", "send:success", "deploy:success"]);
    expect(ofA.at(-1)).toMatchObject({ to: null, contractAddress: a });
    expect(ofA.slice(0, -1).every((r) => r.to === a)).toBe(true);
    // An EIP-55 checksummed address is the same contract.
    expect(kinds(await listed(k, `contract=${getAddress(a)}&kind=deploy`, 5))).toEqual(["deploy:success"]);
    expect(await listed(k, "kind=deploy&status=halted", 5)).toEqual([]);
    // The filtered pages are the unfiltered list with the others left out, in the same order.
    expect((await listed(k, `contract=${b}`, 1)).map((r) => r.id)).toEqual(all.filter((r) => r.to === b || r.contractAddress === b).map((r) => r.id));
  });

  it("refuses unknown values with a code naming the parameter", async () => {
    const k = await newProject();
    expectError(await api(k, "GET", "/v1/runs?kind=transfer"), 400, "invalid_kind");
    expectError(await api(k, "GET", "/v1/runs?kind="), 400, "invalid_kind");
    expectError(await api(k, "GET", "/v1/runs?kind=toString"), 400, "invalid_kind");
    expectError(await api(k, "GET", "/v1/runs?status=failed"), 400, "invalid_status");
    expectError(await api(k, "GET", "/v1/runs?contract=0x1234"), 400, "invalid_address");
    expectError(await api(k, "GET", `/v1/runs?contract=0x${"aB".repeat(20)}`), 400, "invalid_address_checksum");
    expectError(await api(k, "GET", "/v1/runs?to=0x0000000000000000000000000000000000000001"), 400, "unknown_parameter");
  });
});
