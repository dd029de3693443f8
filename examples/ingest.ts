/**
 * The README's stages and ingestion snippet as a program (type-checked by `npm test`).
 */
import { Effect, Stream } from "effect"
import { CopyInto, FileFormat, Snowflake } from "../src/index.js"

const records = Stream.range(1, 1000).pipe(
  Stream.map((id) => ({ ID: id, CUSTOMER: `c${id % 7}`, AMOUNT: id / 4 }))
)

const program = Effect.gen(function* () {
  const sf = yield* Snowflake.Client
  yield* sf.execute("CREATE OR REPLACE TABLE orders (id INT, customer VARCHAR, amount NUMBER(10,2))")
  yield* sf.execute("CREATE OR REPLACE STAGE orders_stage")

  const stages = yield* Snowflake.Stages
  yield* stages.put("./data/*.csv", "@orders_stage", { parallel: 4, overwrite: false })
  yield* Effect.log(yield* stages.list("@orders_stage"))

  const ingestion = yield* Snowflake.Ingestion
  const loaded = yield* ingestion.copyInto(
    CopyInto.table("orders").pipe(
      CopyInto.from("@orders_stage"),
      CopyInto.fileFormat(FileFormat.csv({ skipHeader: 1 })),
      CopyInto.onError("CONTINUE")
    )
  )
  yield* Effect.log(`${loaded.rowsLoaded} rows from ${loaded.filesProcessed} files`)

  const bulk = yield* ingestion.bulkInsert("orders", records, { format: "csv" })
  yield* Effect.log(bulk)
})

program.pipe(Effect.provide(Snowflake.layerConfig()), Effect.runPromise)
