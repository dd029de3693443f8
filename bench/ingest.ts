/**
 * `npm run bench:ingest`: loading and PUT throughput through one emulator (GCS stages, client-side
 * encryption on), every client in its own process so its wall time and peak RSS are its own.
 *
 * 1. Bulk load of N generated rows (default 1M): effect-snowflake `bulkInsert` (CSV, Parquet, JSON)
 *    against snowflake-sdk array binds (`INSERT … VALUES (?,?,?,?,?)`, `binds: [[…], …]`), twice:
 *    with its defaults (all rows in one execute: above CLIENT_STAGE_ARRAY_BINDING_THRESHOLD,
 *    65,280 values, the sdk uses stage binding — CREATE TEMPORARY STAGE SYSTEM$BIND, PUT of the
 *    binds as CSV, INSERT with bindStage — as against Snowflake), and in batches of 13,056 rows,
 *    just under the threshold, where every batch is one query-request with inline binds. Each
 *    table's row count and checksum (sums over every column) must match the generated rows.
 *    Besides wall time: each client's CPU (its own process) and the emulator's (this process)
 *    while it ran; together over the cores they are the least wall time that run could take here.
 * 2. Raw PUT (no compression, encrypted) of 50 MB and 200 MB files by effect-snowflake — MB/s and
 *    peak RSS, which must not grow with the file — and of the 200 MB file by snowflake-sdk; then
 *    the 200 MB file by both clients to S3 (s3rver, HTTPS) and Azure (azurite) stages, each on an
 *    emulator of its own (ours in 8 MiB parts: S3 multipart, Azure blocks; the sdk in one request).
 *
 *   npm run bench:ingest                       # 1M rows
 *   npx vite-node bench/ingest.ts 200000       # 200k rows
 */
import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs"
import { availableParallelism, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { benchEmulator } from "./emulatorSetup.js"
import { type ChildReport, checksumSql, createSql, record } from "./ingest/shared.js"

const rows = Number(process.argv[2] ?? 1_000_000)
/** Rows per sdk statement just under the stage-binding threshold (65,280 values / 5 columns). */
const INLINE_BATCH = Math.floor(65_280 / 5)
const MB = 1024 * 1024

const child = (script: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.async<ChildReport, Error>((resume) => {
    execFile(
      join("node_modules", ".bin", "vite-node"),
      [join("bench", "ingest", script), ...args],
      { maxBuffer: 1 << 20, env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=8192", ...env } },
      (error, stdout, stderr) => {
        if (error) return resume(Effect.fail(new Error(`${script} failed: ${stderr || error.message}`)))
        const line = stdout.trim().split("\n").pop() ?? ""
        resume(Effect.succeed(JSON.parse(line) as ChildReport))
      }
    )
  })

/** A file of `size` random bytes (incompressible, so "raw" throughput is what it says). */
const randomFile = (dir: string, size: number) => {
  const path = join(dir, `put-${size / MB}mb.bin`)
  const fd = openSync(path, "w")
  for (let written = 0; written < size; written += 4 * MB)
    writeSync(fd, randomBytes(Math.min(4 * MB, size - written)))
  closeSync(fd)
  return path
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US")
const secs = (r: ChildReport) => r.millis / 1000
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")

const program = Effect.gen(function* () {
  const { emulator, sf } = yield* benchEmulator({ storage: "gcs" })
  console.log(`load average before: ${load()}`)

  // ---- 1. bulk load -------------------------------------------------------------------------
  const expected = { n: 0n, ids: 0n, n1s: 0n, cents: 0n, names: 0n, flags: 0n }
  for (let i = 0; i < rows; i++) {
    const r = record(i)
    expected.n++
    expected.ids += BigInt(r.id)
    expected.n1s += BigInt(r.n1)
    expected.cents += BigInt(Math.round(r.amount * 100))
    expected.names += BigInt(r.name.length)
    expected.flags += r.flag ? 1n : 0n
  }
  const expectedLine = [
    expected.n,
    expected.ids,
    expected.n1s,
    `${expected.cents / 100n}.${String(expected.cents % 100n).padStart(2, "0")}`,
    expected.names,
    expected.flags
  ].join(" ")
  const verify = (table: string) =>
    Effect.map(sf.execute(checksumSql(table)), (result) => {
      const r = result.rows[0]!
      const got = [r.N, r.IDS, r.N1S, Number(r.AMOUNTS).toFixed(2), r.NAMES, r.FLAGS].map(String).join(" ")
      if (got !== expectedLine) throw new Error(`${table}: checksum ${got} ≠ expected ${expectedLine}`)
      return got
    })

  console.log(`\n1. bulk load of ${fmt(rows)} rows × 5 columns (GCS stage, encrypted)`)
  const runs = [
    { table: "LOAD_SDK", script: "bulkSdk.ts", args: ["0"] },
    { table: "LOAD_SDK_INLINE", script: "bulkSdk.ts", args: [String(INLINE_BATCH)] },
    { table: "LOAD_CSV", script: "bulkOurs.ts", args: ["csv"] },
    { table: "LOAD_PARQUET", script: "bulkOurs.ts", args: ["parquet"] },
    { table: "LOAD_JSON", script: "bulkOurs.ts", args: ["json"] }
  ]
  const results: Record<string, ChildReport> = {}
  const serverCpu: Record<string, number> = {}
  for (const run of runs) {
    yield* sf.execute(createSql(run.table))
    // The emulator is this process: its CPU while the child runs is the server's side of the load
    // (DuckDB's threads included), idle but for that child.
    const before = process.cpuUsage()
    const r = yield* child(run.script, [emulator.url, String(rows), run.table, ...run.args])
    const server = process.cpuUsage(before)
    serverCpu[run.table] = (server.user + server.system) / 1000
    yield* Effect.try(() => verify(run.table)).pipe(Effect.flatten, Effect.orDie)
    results[run.table] = r
    console.log(
      `  ${r.client.padEnd(36)} ${secs(r).toFixed(2).padStart(7)} s  ${`${fmt(rows / secs(r))} rows/s`.padStart(16)}` +
        `  client CPU ${(r.cpuMillis / 1000).toFixed(2).padStart(6)} s  emulator CPU ${(serverCpu[run.table]! / 1000).toFixed(2).padStart(6)} s` +
        `  peak RSS ${mb(r.peakRss).padStart(7)}  checksum ok${r.detail ? `  (${r.detail})` : ""}`
    )
  }
  for (const [label, sdk] of [
    ["stage binding (sdk default)", results.LOAD_SDK!],
    ["inline batches", results.LOAD_SDK_INLINE!]
  ] as const)
    console.log(
      `  ratio snowflake-sdk (${label}) / bulkInsert: csv ${(sdk.millis / results.LOAD_CSV!.millis).toFixed(2)}×,` +
        ` parquet ${(sdk.millis / results.LOAD_PARQUET!.millis).toFixed(2)}×, json ${(sdk.millis / results.LOAD_JSON!.millis).toFixed(2)}×  (target ≥ 5×);` +
        ` client CPU: csv ${(sdk.cpuMillis / results.LOAD_CSV!.cpuMillis).toFixed(2)}×,` +
        ` parquet ${(sdk.cpuMillis / results.LOAD_PARQUET!.cpuMillis).toFixed(2)}×`
    )
  // Client and emulator share this machine's cores: no run can take less wall time than all the CPU
  // it used spread over every core. The ratio of those floors bounds what any client could show here.
  const cores = availableParallelism()
  const floor = (table: string) => (results[table]!.cpuMillis + serverCpu[table]!) / cores / 1000
  console.log(
    `  CPU floor ((client + emulator CPU) / ${cores} cores): sdk default ${floor("LOAD_SDK").toFixed(2)} s,` +
      ` csv ${floor("LOAD_CSV").toFixed(2)} s, parquet ${floor("LOAD_PARQUET").toFixed(2)} s, json ${floor("LOAD_JSON").toFixed(2)} s` +
      ` — sdk default / csv at best ${(floor("LOAD_SDK") / floor("LOAD_CSV")).toFixed(2)}× on this machine`
  )
  console.log(`  checksum (rows ids n1 amount name-lengths flags): ${expectedLine}`)

  // ---- 2. PUT throughput and memory -----------------------------------------------------------
  const dir = yield* Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "bench-ingest-"))),
    (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
  )
  console.log("\n2. raw PUT (AUTO_COMPRESS=FALSE, client-side AES encryption on, GCS endpoint on loopback)")
  const puts: Array<{ size: number; file: string; r: ChildReport }> = []
  for (const size of [50 * MB, 200 * MB]) {
    const file = randomFile(dir, size)
    const r = yield* child("putOurs.ts", [emulator.url, file])
    puts.push({ size, file, r })
    console.log(
      `  effect-snowflake ${mb(size).padStart(7)}  ${secs(r).toFixed(2).padStart(6)} s  ${(size / MB / secs(r)).toFixed(0).padStart(5)} MB/s  peak RSS ${mb(r.peakRss)}`
    )
    if (size === 200 * MB) {
      const s = yield* child("putSdk.ts", [emulator.url, file])
      console.log(
        `  snowflake-sdk    ${mb(size).padStart(7)}  ${secs(s).toFixed(2).padStart(6)} s  ${(size / MB / secs(s)).toFixed(0).padStart(5)} MB/s  peak RSS ${mb(s.peakRss)}`
      )
    }
  }
  const listed = yield* sf.execute("LIST @~/bench")
  console.log(`  stored: ${listed.rows.map((r) => `${String(r.name)} ${fmt(Number(r.size))} B`).join(", ")}`)
  console.log(
    `  peak RSS 200 MB / 50 MB file: ${(puts[1]!.r.peakRss / puts[0]!.r.peakRss).toFixed(2)}× (flat = 1.00×)`
  )
  for (const storage of ["s3", "azure"] as const) {
    const [ours, sdk] = yield* Effect.scoped(
      Effect.gen(function* () {
        const { emulator: other } = yield* benchEmulator({ storage })
        // The S3 stage serves a self-signed certificate: our client is given exactly that one,
        // snowflake-sdk (which takes no CA option) trusts it through NODE_EXTRA_CA_CERTS.
        const cert = other.storageCertificate
        const ca = join(dir, `${storage}-ca.pem`)
        if (cert !== undefined) writeFileSync(ca, cert)
        const file = puts[1]!.file
        const o = yield* child("putOurs.ts", [other.url, file, ...(cert === undefined ? [] : [ca])])
        const s = yield* child(
          "putSdk.ts",
          [other.url, file],
          cert === undefined ? {} : { NODE_EXTRA_CA_CERTS: ca }
        )
        return [o, s] as const
      })
    )
    for (const [name, r] of [
      ["effect-snowflake", ours],
      ["snowflake-sdk   ", sdk]
    ] as const)
      console.log(
        `  ${name} ${mb(200 * MB).padStart(7)}  ${secs(r).toFixed(2).padStart(6)} s  ${(200 / secs(r)).toFixed(0).padStart(5)} MB/s  peak RSS ${mb(r.peakRss)}  (${storage} stage)`
      )
  }
  console.log(`\nload average after: ${load()} (${availableParallelism()} cores)`)
})

Effect.runPromise(Effect.scoped(program)).catch((error) => {
  console.error(error)
  process.exit(1)
})
