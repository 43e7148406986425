import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import Counter from "../contracts/Counter.json";
import { encodeCall } from "./abi.ts";
import { api, ledgerOf, logCaughtUp, newProject, testEnv } from "./helpers.ts";

/** Sends `path` to the Worker with hop counting on (as `npm run loadtest` runs it); answers the counted hops and the body. */
async function counted(key: string, path: string, body: unknown): Promise<{ hops: Record<string, string>; json: any }> {
  const ctx = createExecutionContext();
  const req = new Request(`http://edge-evm.test${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const res = await worker.fetch(req as never, { ...testEnv, HOP_COUNTS: "on" }, ctx);
  const json = await res.json();
  await waitOnExecutionContext(ctx);
  const header = res.headers.get("x-edge-evm-hops") ?? "";
  return { hops: Object.fromEntries(header.split(";").map((kv) => kv.split("="))), json };
}

describe("the request path, counted", () => {
  it("admits with one ledger round trip and answers a warm eth_call after 2 objects in 2 round trips and no D1 query; settlements ride on admissions", async () => {
    const k = await newProject();
    const counter = (await api(k, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).json.address;
    const call = { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: counter, data: encodeCall("count()") }, "latest"] };

    const block = await counted(k.key, "/rpc", { jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] });
    expect(block.hops).toMatchObject({ d1: "0", objects: "1", rounds: "1" });

    // The first call of the function in this isolate learns which slots it reads; later calls load them with the target.
    await counted(k.key, "/rpc", call);
    for (let i = 0; i < 3; i++) {
      const warm = await counted(k.key, "/rpc", call);
      expect(warm.json.result).toBe(`0x${"0".repeat(64)}`);
      // admit; then the target with its hinted slot. The sender is not loaded: the call takes
      // nothing from it and never looks at it (RunOptions.lazySender).
      expect(warm.hops).toMatchObject({ d1: "0", objects: "2", rounds: "2" });
    }
    // Every settlement reached the ledger (carried by a later admission or on its own): nothing stays held.
    await logCaughtUp(k);
    expect((await ledgerOf(k.projectId).project())!.reserved).toBe(0);
  });
});
