import { defineConfig } from "vitest/config";

// Browser tests: Debian's Chromium driven by playwright-core against a real server and database
// (started once by the global setup). Files run one after another: they share the server.
export default defineConfig({
  test: {
    environment: "node",
    include: ["tests/e2e/**/*.e2e.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
