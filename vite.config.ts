/**
 * For `vite-node`, which runs the benchmarks and the demo's TypeScript directly (vitest reads
 * vitest.config.ts instead). Packages without an `exports` map — the AWS SDK v3 — are resolved as
 * Node resolves them, by `main`: the ESM build their `module` field names is not valid Node ESM, so
 * vite-node would transform its hundreds of files itself, ~3 s of CPU on a client's first S3
 * transfer that no user of the built package pays (plain Node imports it in ~0.2 s).
 */
import { defineConfig } from "vitest/config"

export default defineConfig({
  environments: { ssr: { resolve: { mainFields: ["main"] } } }
})
