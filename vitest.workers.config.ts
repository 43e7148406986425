import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Integration tests run inside workerd with the real Account Durable Object and D1 bindings of
// wrangler.toml; D1 migrations are applied by test/integration/setup.ts.
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
      }),
    ],
    test: {
      name: "workers",
      include: ["test/integration/**/*.test.ts"],
      setupFiles: ["./test/integration/setup.ts"],
      testTimeout: 60_000,
    },
  };
});
