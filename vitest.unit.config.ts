import { defineConfig } from "vitest/config";

// Unit tests of pure code (EVM, primitives, state, CLI pieces) run in Node.
export default defineConfig({
  test: {
    name: "unit",
    include: ["test/**/*.test.ts"],
    exclude: ["test/integration/**", "test/browser/**", "node_modules/**"],
    environment: "node",
    testTimeout: 120_000,
    // The EVM's WebAssembly, compiled from bytes as Node allows (the Worker imports the module).
    setupFiles: ["./src/cli/wasm.ts"],
  },
});
