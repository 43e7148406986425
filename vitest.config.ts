import { defineConfig } from "vitest/config";

// `npm test` runs the three projects: Node unit tests, workerd integration tests, and the web
// console in Chromium against `wrangler dev`.
export default defineConfig({
  test: {
    projects: ["./vitest.unit.config.ts", "./vitest.workers.config.ts", "./vitest.browser.config.ts"],
    // One test file per core. Vitest's own default is one fewer than the cores, which on the
    // 2-core CI machine ran every file in turn; most of a workerd file's time is waiting (the run
X
    maxWorkers: "100%",
    // The Worker logs one JSON line per request (src/primitives/log.ts): thousands in a run, and
    // none a failure needs. Warnings and errors still show.
    onConsoleLog: (log) => !log.startsWith('{"level":"info"'),
  },
});
