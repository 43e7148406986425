import { describe, expect, it } from "vitest";
import { api, newProject } from "./helpers.ts";

describe("the Worker in workerd", () => {
  it("answers its root and refuses /v1 without a key", async () => {
    expect((await api(undefined, "GET", "/")).json.name).toBe("edge-evm");
    const r = await api(undefined, "GET", "/v1/runs");
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe("missing_api_key");
    const k = await newProject();
    expect((await api(k, "GET", "/v1/runs")).json).toEqual({ runs: [], nextCursor: null });
  });
});
