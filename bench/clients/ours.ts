/** effect-snowflake: `sf.stream(...)` with its defaults (prefetch 4, 64 MiB byte budget), object rows. */
import { Effect, Stream } from "effect"
import { Snowflake } from "../../src/index.js"
import { report, scanSql } from "../shared.js"
import { benchClient } from "../support.js"

const [url, rowsArg] = process.argv.slice(2)
const rows = Number(rowsArg)

const program = Effect.gen(function* () {
  const started = performance.now()
  const sf = yield* Snowflake.Client
  const { seen, checksum } = yield* sf.stream(scanSql(rows)).pipe(
    Stream.runFold({ seen: 0, checksum: 0n }, (acc, row) => {
      acc.seen++
      acc.checksum += BigInt(row.ID as bigint)
      return acc
    })
  )
  if (seen !== rows)
    return yield* Effect.die(new Error(`effect-snowflake saw ${seen} rows, expected ${rows}`))
  report("effect-snowflake", seen, checksum, started)
})

await Effect.runPromise(program.pipe(Effect.provide(benchClient(url!))))
