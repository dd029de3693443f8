import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The recorder first, before any module extends Error; then the scan that fails a test whose
    // errors carry a test secret (test/support/secretScan.ts).
    setupFiles: ["test/support/errorRecorder.ts", "test/support/secretScan.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Emulator-backed suites start servers and DuckDB instances; two cores is the CI budget.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // The JSON report lets .ci/run print one plain "N passed, N failed" closing line.
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]]
  }
})
