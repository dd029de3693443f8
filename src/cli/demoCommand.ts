/**
 * `effect-snowflake demo`: a tour of the client. Without SNOWFLAKE_ACCOUNT it starts the emulator
 * in-process and points the client at it; with it, it runs against the configured account.
 */
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { Emulator } from "../emulator/index.js"
import * as Snowflake from "../layers/Snowflake.js"
import { displayValue } from "../protocol/values/display.js"
import * as Query from "../sql/Query.js"

const renderTable = (columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<unknown>>): string => {
  const cells = rows.map((row) => row.map((value) => displayValue(value, "NULL")))
  const widths = columns.map((name, i) => Math.max(name.length, ...cells.map((row) => row[i]!.length)))
  const line = (values: ReadonlyArray<string>) =>
    `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`
  const rule = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`
  return [rule, line(columns), rule, ...cells.map(line), rule].join("\n")
}

const tour = Effect.gen(function* () {
  const sf = yield* Snowflake.Client
  yield* sf.execute("CREATE OR REPLACE TABLE demo_orders (id INTEGER, customer VARCHAR, amount NUMBER(10,2))")
  yield* sf.execute(
    Query.make("INSERT INTO demo_orders VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)").pipe(
      Query.bind(1, "ada", 12.5, 2, "grace", 30.25, 3, "ada", 7.75)
    )
  )
  const result = yield* sf.execute(
    Query.make(
      "SELECT customer, SUM(amount) AS total FROM demo_orders GROUP BY customer ORDER BY customer"
    ).pipe(Query.warehouse("COMPUTE_WH"), Query.tag("effect-snowflake-demo")),
    { rowMode: "array" }
  )
  yield* Console.log(
    renderTable(
      result.columns.map((c) => c.name),
      result.rows
    )
  )
  yield* Console.log(`query ${result.queryId}: ${result.rowCount} rows`)

  // a bulk load: records streamed as CSV → gzip → AES → the table's stage, then one COPY INTO
  const ingestion = yield* Snowflake.Ingestion
  yield* sf.execute(
    "CREATE OR REPLACE TABLE demo_events (id NUMBER, customer VARCHAR, amount NUMBER(10,2), happened_at TIMESTAMP_NTZ)"
  )
  const customers = ["ada", "grace", "linus"] as const
  const events = Stream.range(1, 10_000).pipe(
    Stream.map((id) => ({
      id,
      customer: customers[id % 3],
      amount: (id % 400) / 4,
      happened_at: new Date(Date.UTC(2026, 0, 1) + id * 60_000)
    }))
  )
  const loaded = yield* ingestion.bulkInsert("demo_events", events)
  yield* Console.log(
    `bulkInsert: ${loaded.rowsLoaded} of ${loaded.recordsSent} records loaded (${loaded.filesProcessed} file, ${loaded.rejected} rejected)`
  )
  const summary = yield* sf.execute(
    "SELECT customer, COUNT(*) AS events, SUM(amount) AS amount, MAX(happened_at) AS last_at FROM demo_events GROUP BY customer ORDER BY customer",
    { rowMode: "array" }
  )
  yield* Console.log(
    renderTable(
      summary.columns.map((c) => c.name),
      summary.rows
    )
  )
})

/** Runs the tour against SNOWFLAKE_* when SNOWFLAKE_ACCOUNT is set, else against an in-process emulator. */
export const demo = Effect.gen(function* () {
  const account = yield* Config.option(Config.nonEmptyString("SNOWFLAKE_ACCOUNT"))
  if (Option.isSome(account)) {
    return yield* Effect.provide(tour, Snowflake.layerConfig())
  }
  return yield* Effect.scoped(
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ port: 0 })
      yield* Console.log(`emulator listening on ${emulator.url}`)
      const client = Snowflake.layerConfig({
        account: "emulator",
        user: "demo",
        auth: { type: "password", password: Redacted.make("demo") },
        accessUrl: emulator.url
      })
      yield* Effect.provide(tour, Layer.fresh(client))
    })
  )
})
