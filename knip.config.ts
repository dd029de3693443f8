/**
 * knip (in `npm test` as `npm run knip`): unused files, unused exports and unused or unlisted
 * dependencies fail the build.
 */
import type { KnipConfig } from "knip"

const config: KnipConfig = {
  entry: [
    // The package's two subpath exports (package.json "exports") and the program behind its bin.
    "src/index.ts",
    "src/emulator/index.ts",
    "src/cli/main.ts",
    "bin/*.js",
    // Benchmarks and examples are scripts run by path (vite-node bench/serve.ts, ...): each file may
    // be one, so each is an entry.
    "bench/**/*.ts",
    "examples/**/*.ts",
    // The test files (vitest.config.ts's include) — not test/** as a whole, so that a helper under
    // test/support/ that no test uses any more is reported like any other unused file or export.
    "test/**/*.test.ts"
  ],
  project: ["src/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "examples/**/*.ts", "bin/**/*.js"],
  // A module's export that its own file uses is part of its shape, not dead code: the house style
  // exports a service's `make` beside the `layer` built from it (as @effect/sql's clients do). Without
  // this, knip lists ~115 more exports, nearly all of them such `make`s and helpers of the same file.
  ignoreExportsUsedInFile: true
  // Dependencies need no exceptions: the optional peers (cloud SDKs, hyparquet-writer, DuckDB,
  // polyglot) are declared in peerDependencies (+ peerDependenciesMeta optional) and, for
  // development, in devDependencies; knip sees their lazy import() calls as uses.
}

export default config
