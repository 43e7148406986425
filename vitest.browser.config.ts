import { defineConfig } from "vitest/config";

// The web console in real Chromium (Debian's /usr/bin/chromium) against a real `wrangler dev`
// on a fresh local database: Node drives both (test/browser/).
export default defineConfig({
  test: {
    name: "browser",
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    // After the unit and workers projects: on a 2-core machine, wrangler dev and Chromium
    // beside the workers pool would slow all three.
    sequence: { groupOrder: 1 },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
