/** effect-snowflake `Stages.put` of one local file, no compression (encryption per the stage). Args: url file [caFile] */
import { Effect } from "effect"
import { Snowflake } from "../../src/index.js"
import { benchClient } from "../support.js"
import { report, start } from "./shared.js"

const [url, file, caFile] = process.argv.slice(2)

const program = Effect.gen(function* () {
  const stages = yield* Snowflake.Stages
  const sf = yield* Snowflake.Client
  yield* sf.execute("SELECT 1")
  const started = start()
  const [row] = yield* stages.put(file!, "@~/bench", { autoCompress: false, overwrite: true })
  if (row?.status !== "UPLOADED") return yield* Effect.die(new Error(`PUT: ${JSON.stringify(row)}`))
  report("effect-snowflake PUT", started, String(row.targetSize))
})

await Effect.runPromise(
  program.pipe(Effect.provide(benchClient(url!, { storage: { caCertificatePath: caFile } })))
)
