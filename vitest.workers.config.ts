import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { forkUpstreams } from "./test/integration/fork-upstream.ts";

// Integration tests run inside workerd with the real Account Durable Object and D1 bindings of
// wrangler.toml; test/integration/setup.ts applies the D1 migrations. The bindings below are
// for tests only: fault injection on, and short timeouts so recovery tests run in seconds.
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  // Fork mode's upstreams (Anvil and a lying proxy), reached over loopback by the Worker.
  const networks = await forkUpstreams();
  return {
    plugins: [
      cloudflareTest({
        main: "./src/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { TEST_MIGRATIONS: migrations, FAULT_INJECTION: "on", OPERATOR_SECRET: "test-operator-secret-0123456789", PREPARE_TIMEOUT_MS: "400", SENDER_LEASE_MS: "3000", MEMORY_CAP_BYTES: "1048576", TIME_CAP_MS: "2000", ...networks },
        },
      }),
    ],
    test: {
      name: "workers",
      include: ["test/integration/**/*.test.ts"],
      setupFiles: ["./test/integration/setup.ts"],
      globalSetup: ["./test/integration/fork-teardown.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
});
