/** effect-snowflake `Ingestion.bulkInsert` of N generated rows (CSV, Parquet or JSON). Args: url rows table format */
import { Effect, Stream } from "effect"
import { Snowflake } from "../../src/index.js"
import { benchClient } from "../support.js"
import { record, report, start } from "./shared.js"

const [url, rowsArg, table, format] = process.argv.slice(2)
const rows = Number(rowsArg)

const program = Effect.gen(function* () {
  const ingestion = yield* Snowflake.Ingestion
  const sf = yield* Snowflake.Client
  yield* sf.execute("SELECT 1") // log in before the clock starts, as the sdk child does
  const started = start()
  const result = yield* ingestion.bulkInsert(table!, Stream.range(0, rows - 1).pipe(Stream.map(record)), {
    format: format as "csv" | "parquet" | "json"
  })
  if (result.rowsLoaded !== rows)
    return yield* Effect.die(new Error(`loaded ${result.rowsLoaded} of ${rows}`))
  report(`effect-snowflake bulkInsert (${format})`, started)
})

await Effect.runPromise(program.pipe(Effect.provide(benchClient(url!))))
