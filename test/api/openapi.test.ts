import { describe, expect, it } from "vitest";
import { app } from "../../src/api/app.ts";
import { openApiDocument } from "../../src/api/openapi.ts";

type Doc = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> }; parameters: { name: string; in: string }[] }>> };
const doc = openApiDocument() as Doc;

/** hono's `/v1/accounts/:address` as OpenAPI's `/v1/accounts/{address}`; `/*` of the console as `{path}`. */
const openApiPath = (p: string) => p.replace(/:(\w+)/g, "{$1}").replace(/\/\*$/, "/{path}");

describe("GET /openapi.json", () => {
  it("documents every route the app serves, and nothing it does not", () => {
    const served = new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`));
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    expect(served.size).toBeGreaterThan(35);
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
  });

  it("describes bodies and query strings from the schemas that validate them", () => {
    const call = doc.paths["/v1/call"].post.requestBody!.content["application/json"].schema;
    expect(Object.keys(call.properties!)).toEqual(["to", "from", "value", "gas", "data", "input"]);
    expect(call.required).toEqual(["to"]);
    expect(call.properties!.to).toMatchObject({ type: "string", pattern: "^0x[0-9a-fA-F]{40}$" });
    const simulate = doc.paths["/v1/simulate"].post.requestBody!.content["application/json"].schema;
    expect(Object.keys(simulate.properties!)).toEqual(["transactions", "stateOverrides", "blockOverrides", "validation", "trace", "abi"]);
    expect(doc.paths["/v1/runs"].get.parameters.map((p) => p.name)).toEqual(["limit", "cursor", "kind", "status", "contract"]);
    expect(doc.paths["/v1/networks/{network}/call"].post.parameters.map((p) => `${p.in} ${p.name}`)).toEqual(["path network", "query block"]);
  });

  it("is served as JSON", async () => {
    const res = await app.request("/openapi.json");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });
});
