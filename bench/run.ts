/**
 * `npm run bench`: effect-snowflake against snowflake-sdk and against the floor (raw HTTP + gunzip +
 * JSON.parse), on the same emulator, in the same run. Each client runs in its own process so its
 * peak RSS is its own; each reads the same table with the same query and must produce the same
 * checksum. Prints wall time, rows/s, peak RSS and the ratios.
 *
 *   npm run bench                 # 1M rows, then 5M rows (memory)
 *   npm run bench -- 200000       # one size only
 */
import { execFile } from "node:child_process"
import { join } from "node:path"
import { Effect } from "effect"
import { benchEmulator } from "./emulatorSetup.js"
import { type ClientReport, createTableSql } from "./shared.js"

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1_000_000, 5_000_000]
const clients = ["floor", "snowflake-sdk", "effect-snowflake"] as const
const scripts: Record<(typeof clients)[number], string> = {
  floor: "floor.ts",
  "snowflake-sdk": "sdk.ts",
  "effect-snowflake": "ours.ts"
}

const HEAP_MB = 1024

const runClient = (client: (typeof clients)[number], url: string, rows: number) =>
  Effect.async<ClientReport, Error>((resume) => {
    execFile(
      join("node_modules", ".bin", "vite-node"),
      [join("bench", "clients", scripts[client]), url, String(rows)],
      // The heap is capped so that peak RSS shows what a reader must hold, not how lazily V8
      // collects garbage on a large machine; a reader that cannot stay under it fails (reported).
      { maxBuffer: 1 << 20, env: { ...process.env, NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` } },
      (error, stdout, stderr) => {
        if (error) return resume(Effect.fail(new Error(`${client} failed: ${stderr || error.message}`)))
        const line = stdout.trim().split("\n").pop() ?? ""
        resume(Effect.succeed(JSON.parse(line) as ClientReport))
      }
    )
  })

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const rate = (r: ClientReport) => `${Math.round(r.rows / (r.millis / 1000)).toLocaleString("en-US")} rows/s`

const program = Effect.gen(function* () {
  const { emulator, sf: setup } = yield* benchEmulator()
  const results: Array<{ rows: number; reports: ReadonlyArray<ClientReport> }> = []
  for (const rows of sizes) {
    const t0 = performance.now()
    yield* setup.execute(createTableSql(rows))
    console.log(
      `\n${rows.toLocaleString("en-US")} rows × 8 columns (table created in ${((performance.now() - t0) / 1000).toFixed(1)} s)`
    )
    // Warm the emulator's result cache so every client measures reading, not the server producing.
    yield* runClient("floor", emulator.url, rows)
    const reports: Array<ClientReport> = []
    for (const client of clients) {
      const outcome = yield* Effect.either(runClient(client, emulator.url, rows))
      if (outcome._tag === "Left") {
        console.log(
          `  ${client.padEnd(17)} failed: ${outcome.left.message.split("\n").slice(-3).join(" ").slice(0, 200)}`
        )
        continue
      }
      const r = outcome.right
      reports.push(r)
      console.log(
        `  ${client.padEnd(17)} ${(r.millis / 1000).toFixed(2).padStart(7)} s  ${rate(r).padStart(18)}  peak RSS ${mb(r.peakRss).padStart(7)}`
      )
    }
    const checksums = new Set(reports.map((r) => r.checksum))
    if (checksums.size !== 1)
      return yield* Effect.die(new Error(`checksums differ: ${[...checksums].join(", ")}`))
    const by = (name: string) => reports.find((r) => r.client === name)
    const ratio = (a: ClientReport | undefined, b: ClientReport | undefined) =>
      a && b ? `${(a.millis / b.millis).toFixed(2)}×` : "n/a"
    const ours = by("effect-snowflake")
    console.log(
      `  ratios: snowflake-sdk / ours = ${ratio(by("snowflake-sdk"), ours)},` +
        ` ours / floor = ${ratio(ours, by("floor"))}`
    )
    results.push({ rows, reports })
  }
  if (results.length > 1) {
    const last = results.length - 1
    const growth = (client: string) => {
      const rss = (i: number) => results[i]!.reports.find((r) => r.client === client)?.peakRss
      const [first, final] = [rss(0), rss(last)]
      return first && final ? `${(final / first).toFixed(2)}×` : "n/a"
    }
    console.log(
      `\npeak RSS, ${results[last]!.rows.toLocaleString("en-US")} vs ${results[0]!.rows.toLocaleString("en-US")} rows` +
        ` (heap capped at ${HEAP_MB} MiB): ours ${growth("effect-snowflake")},` +
        ` snowflake-sdk ${growth("snowflake-sdk")}, floor ${growth("floor")}`
    )
  }
})

Effect.runPromise(Effect.scoped(program)).catch((error) => {
  console.error(error)
  process.exit(1)
})
