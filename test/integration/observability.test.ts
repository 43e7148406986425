import { afterEach, describe, expect, it, vi } from "vitest";
import { COUNTER } from "./contracts.ts";
import { api, newProject } from "./helpers.ts";

/** The JSON lines the Worker logged while `f` ran. */
async function logged(f: () => Promise<void>): Promise<{ lines: Record<string, unknown>[]; raw: string }> {
  const raw: string[] = [];
  for (const level of ["log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void raw.push(args.map(String).join(" ")));
  await f();
  vi.restoreAllMocks();
  return { lines: raw.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>), raw: raw.join("\n") };
}

afterEach(() => vi.restoreAllMocks());

describe("request ids and structured logs", () => {
  it("gives every answer an x-request-id, also in REST error bodies, and logs one JSON line per request", async () => {
    const k = await newProject();
    let deployed: Awaited<ReturnType<typeof api>> | undefined, refused: typeof deployed, missing: typeof deployed;
    const { lines, raw } = await logged(async () => {
      deployed = await api(k, "POST", "/v1/contracts", { bytecode: COUNTER });
      refused = await api(k, "POST", "/v1/call", { to: "0x12" });
      missing = await api(k, "GET", "/v1/nothing");
    });
    const ids = [deployed!, refused!, missing!].map((a) => a.headers.get("x-request-id"));
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(3);
    expect(refused!.json.error).toMatchObject({ code: "invalid_address", requestId: ids[1] });
    expect(missing!.json.error).toMatchObject({ code: "not_found", requestId: ids[2] });

    const request = (id: string | null) => lines.find((l) => l.event === "request" && l.requestId === id);
    expect(request(ids[0])).toMatchObject({ level: "info", projectId: k.projectId, method: "POST", route: "/v1/contracts", kind: "deploy", status: 201, executions: 1 });
    expect(request(ids[0])!.gas).toBe(deployed!.json.gasUsed);
    expect(request(ids[0])!.charge).toBe(Number(deployed!.json.cost.charge));
    expect(request(ids[0])!.durationMs).toBeGreaterThanOrEqual(0);
    // Refused before admission: no project (the key was not checked), the error's code.
    expect(request(ids[1])).toMatchObject({ route: "/v1/call", status: 400, errorCode: "invalid_address" });
    expect(request(ids[1])!.projectId).toBeUndefined();
    expect(request(ids[2])).toMatchObject({ route: null, status: 404, errorCode: "not_found" });
    expect(raw).not.toContain(k.key);
  });

  it("puts the request id in JSON-RPC error data, never logs the key of /rpc/{key}", async () => {
    const k = await newProject();
    let answer: Awaited<ReturnType<typeof api>> | undefined;
    const { lines, raw } = await logged(async () => {
      answer = await api(undefined, "POST", `/rpc/${k.key}`, { jsonrpc: "2.0", id: 1, method: "eth_getBalance", params: ["0x12", "latest"] });
    });
    const id = answer!.headers.get("x-request-id");
    expect(id).toMatch(/^req_/);
    expect(answer!.json.error).toMatchObject({ code: -32602, data: { code: "invalid_address", requestId: id } });
    expect(lines.find((l) => l.requestId === id)).toMatchObject({ event: "request", projectId: k.projectId, route: "/rpc/:key", kind: "read", status: 200, errorCode: "invalid_address" });
    expect(raw).not.toContain(k.key);
  });
});
