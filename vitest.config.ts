import { defineConfig } from "vitest/config";

// Unit tests of pure code (EVM, primitives, state) run in Node. Integration tests of the Worker
// run in workerd through the Cloudflare pool: see vitest.workers.config.ts.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/integration/**", "node_modules/**"],
    environment: "node",
    testTimeout: 60_000,
  },
});
