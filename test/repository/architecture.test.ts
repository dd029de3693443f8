/**
 * The architecture's rules (.dependency-cruiser.cjs, run by `npm run lint:arch`) can fail: a small
 * tree of modules, each breaking one rule, is cruised with the project's configuration, and every
 * rule must name its breaker; the allowances the rules grant (Transport's HTTP client, the layers'
 * NodeHttpClient, the pure core's node:crypto, a lazy cloud SDK, the CLI hosting the emulator, the
 * emulator sharing protocol/) must stay silent.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")

/** Modules that break exactly the named rule (their path is part of the breach). */
const breakers: ReadonlyArray<readonly [rule: string, file: string, text: string]> = [
  ["pure-core-imports-nothing-above", "src/protocol/upward.ts", 'import "../services/Transport.js"'],
  ["pure-core-imports-nothing-above", "src/errors/upward.ts", 'import "../telemetry/metrics.js"'],
  ["errors-import-nothing", "src/errors/toSql.ts", 'import "../sql/Query.js"'],
  ["sql-imports-only-errors", "src/sql/toProtocol.ts", 'import "../protocol/binds.js"'],
  ["pure-core-no-io-builtins", "src/protocol/readsFiles.ts", 'import "node:fs"'],
  [
    "pure-core-no-io-builtins",
    "src/sql/opensSockets.ts",
    'export const net = process.getBuiltinModule("node:net")'
  ],
  ["pure-core-no-io-packages", "src/errors/fileSystem.ts", 'import "@effect/platform/FileSystem"'],
  ["telemetry-is-a-leaf", "src/telemetry/withErrors.ts", 'import "../errors/index.js"'],
  ["streams-below-services", "src/streams/withTransport.ts", 'import "../services/Transport.js"'],
  ["services-below-simulation-and-layers", "src/services/simulated.ts", 'import "../simulation/layer.js"'],
  ["simulation-below-layers", "src/simulation/composed.ts", 'import "../layers/Snowflake.js"'],
  ["nothing-imports-the-entry-points", "src/layers/barrel.ts", 'import "../index.js"'],
  [
    "only-transport-talks-http-to-snowflake",
    "src/services/Poster.ts",
    'import "@effect/platform/HttpClient"'
  ],
  ["only-transport-talks-http-to-snowflake", "src/streams/https.ts", 'import "node:https"'],
  ["only-transport-talks-http-to-snowflake", "src/services/storage/undici.ts", 'import "undici"'],
  [
    "layers-only-provide-the-http-client",
    "src/layers/requests.ts",
    'import "@effect/platform/HttpClientRequest"'
  ],
  [
    "only-storage-imports-cloud-sdks",
    "src/services/S3.ts",
    'export const s3 = () => import("@aws-sdk/client-s3")'
  ],
  ["cloud-sdks-load-lazily", "src/services/storage/eager.ts", 'import "@azure/storage-blob"'],
  ["client-loads-optional-peers-lazily", "src/streams/parquetEager.ts", 'import "hyparquet-writer"'],
  ["platform-imports-name-their-module", "src/services/barrel.ts", 'import "@effect/platform"'],
  ["client-never-imports-emulator", "src/services/embedded.ts", 'import "../emulator/index.js"'],
  ["cli-uses-the-emulator-by-its-entry", "src/cli/internals.ts", 'import "../emulator/engine/index.js"'],
  ["emulator-imports-only-protocol", "src/emulator/client.ts", 'import "../services/Transport.js"'],
  ["emulator-reaches-only-protocol", "src/emulator/decoder.ts", 'import "../protocol/decode/RowDecoder.js"'],
  ["no-circular", "src/streams/ping.ts", 'import "./pong.js"'],
  ["no-orphans", "src/streams/orphan.ts", "export const orphan = 1"],
  ["no-unreachable-modules", "src/streams/unreached.ts", 'import "../errors/index.js"'],
  ["not-to-unresolvable", "src/sql/nowhere.ts", 'import "./missing.js"'],
  ["no-non-package-json", "src/services/undeclared.ts", 'import "semver"'],
  ["not-to-dev-dep", "src/services/devOnly.ts", 'import "fast-check"'],
  ["no-deprecated-core", "src/services/punycode.ts", 'import "node:punycode"']
]

/** Modules that take part in a breach another module is reported for (a cycle is reported once). */
const accomplices: ReadonlyArray<readonly [file: string, text: string]> = [
  ["src/streams/pong.ts", 'import "./ping.js"']
]

/** The modules the breakers import, and the allowances: all reachable from an entry, none breaking a rule. */
const allowed: ReadonlyArray<readonly [file: string, text: string]> = [
  [
    "src/index.ts",
    'import "./layers/Snowflake.js"\nimport "./telemetry/metrics.js"\nimport "./protocol/decode/RowDecoder.js"'
  ],
  ["src/emulator/index.ts", 'import "./engine/index.js"\nimport "./storage/azure.js"'],
  ["src/emulator/engine/index.ts", 'import "../../protocol/decode/json.js"'],
  ["src/emulator/storage/azure.ts", 'export const azure = () => import("@azure/storage-blob")'],
  ["src/cli/main.ts", 'import "../emulator/index.js"\nimport "../index.js"'],
  [
    "src/layers/Snowflake.ts",
    [
      'import type * as HttpClient from "@effect/platform/HttpClient"',
      'import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"',
      'import "../simulation/layer.js"',
      "export type Client = HttpClient.HttpClient",
      "export const node = NodeHttpClient.layerUndici"
    ].join("\n")
  ],
  ["src/simulation/layer.ts", 'import "../services/Transport.js"\nimport "../services/storage/s3.ts"'],
  [
    "src/services/Transport.ts",
    'import "@effect/platform/HttpClient"\nimport "@effect/platform/HttpClientRequest"\nimport "../protocol/binds.js"'
  ],
  ["src/services/storage/s3.ts", 'import "node:https"\nexport const s3 = () => import("@aws-sdk/client-s3")'],
  [
    "src/protocol/binds.ts",
    'import "node:crypto"\nimport "jose"\nimport "effect/Schema"\nimport "../sql/Query.js"'
  ],
  ["src/protocol/decode/json.ts", 'import "effect/BigDecimal"'],
  ["src/protocol/decode/RowDecoder.ts", 'import "../../errors/Query.js"'],
  ["src/sql/Query.ts", 'import "../errors/index.js"'],
  ["src/errors/index.ts", 'import "./Query.js"'],
  ["src/errors/Query.ts", "export const query = 1"],
  ["src/telemetry/metrics.ts", 'import "effect/Metric"']
]

/** A broken rule as dependency-cruiser reports it: `from` is the module that breaks it. */
interface Violation {
  readonly from: string
  readonly rule: { readonly name: string }
}

/** Cruises `dir`'s src/ with the project's configuration; dependency-cruiser exits non-zero on errors. */
const cruise = (dir: string): Promise<ReadonlyArray<Violation>> =>
  new Promise((resolve, reject) => {
    const bin = path.join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs")
    const config = path.join(root, ".dependency-cruiser.cjs")
    execFile(
      process.execPath,
      [bin, "src", "--config", config, "--output-type", "json"],
      { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout).summary.violations)
        } catch {
          reject(new Error(`dependency-cruiser gave no report (${error?.message ?? ""}): ${stderr}`))
        }
      }
    )
  })

const tree = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "architecture-"))
  const modules = [...allowed, ...accomplices, ...breakers.map(([, file, text]) => [file, text] as const)]
  for (const [file, text] of modules) {
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), `${text}\n`)
  }
  for (const file of ["package.json", "tsconfig.json", "tsconfig.base.json"])
    fs.copyFileSync(path.join(root, file), path.join(dir, file))
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir")
  return dir
}

describe("the architecture's rules", () => {
  it("each fails on a module that breaks it, and the allowances pass", async () => {
    const dir = tree()
    try {
      const violations = await cruise(dir)
      const brokenBy = (file: string) =>
        new Set(violations.filter((v) => v.from === file).map((v) => v.rule.name))
      const missed = breakers.filter(([rule, file]) => !brokenBy(file).has(rule))
      assert.deepStrictEqual(missed, [])
      const flagged = allowed.flatMap(([file]) => [...brokenBy(file)].map((rule) => `${file}: ${rule}`))
      assert.deepStrictEqual(flagged, [])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
