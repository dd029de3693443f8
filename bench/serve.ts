/**
 * A standing emulator with the benchmark tables, for profiling one reader at a time:
 *
 *   npx vite-node bench/serve.ts 1000000 5000000      # prints the URL, runs until killed
 *   npx vite-node bench/clients/ours.ts <url> 1000000
 */
import { Context, Effect, Layer, Redacted, Stream } from "effect"
import { Emulator } from "../src/emulator/index.js"
import { Snowflake } from "../src/index.js"
import { createTableSql, PASSWORD, scanSql, USER } from "./shared.js"

const sizes = process.argv.slice(2).map(Number)

const program = Effect.gen(function* () {
  const emulator = yield* Emulator.start({ users: [{ name: USER, password: PASSWORD }], port: 0 })
  const context = yield* Layer.build(
    Snowflake.layer({
      account: "emulator",
      user: USER,
      auth: { type: "password", password: Redacted.make(PASSWORD) },
      accessUrl: emulator.url
    })
  )
  const sf = Context.get(context, Snowflake.Client)
  for (const rows of sizes) {
    yield* sf.execute(createTableSql(rows))
    // Fill the result cache so that readers measure reading.
    yield* Stream.runDrain(sf.stream(scanSql(rows)))
  }
  console.log(emulator.url)
  return yield* Effect.never
})

Effect.runPromise(Effect.scoped(program)).catch((error) => {
  console.error(error)
  process.exit(1)
})
