import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;

describe("/console", () => {
  it("answers the console's pages with its shell, without a key, under its CSP", async () => {
    for (const path of ["/console/runs", "/console/runs/run_0123", "/console/keys"]) {
      const res = await worker.fetch(new Request(`http://edge-evm.test${path}`));
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      const html = await res.text();
      expect(html).toContain('<script type="module" src="/console/app.js"></script>');
    }
  });

  it("leaves the API's answers alone", async () => {
    const res = await worker.fetch(new Request("http://edge-evm.test/v1/runs"));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("missing_api_key");
  });
});
