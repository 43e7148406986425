import { defineConfig } from "vitest/config";

// `npm test` runs both projects: Node unit tests and workerd integration tests.
export default defineConfig({
  test: {
    projects: ["./vitest.unit.config.ts", "./vitest.workers.config.ts"],
  },
});
