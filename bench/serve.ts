/**
 * A standing emulator with the benchmark tables, for profiling one reader at a time:
 *
 *   npx vite-node bench/serve.ts 1000000 5000000      # prints the URL, runs until killed
 *   npx vite-node bench/clients/ours.ts <url> 1000000
 */
import { Effect, Stream } from "effect"
import { benchEmulator } from "./emulatorSetup.js"
import { createTableSql, scanSql } from "./shared.js"

const sizes = process.argv.slice(2).map(Number)

const program = Effect.gen(function* () {
  const { emulator, sf } = yield* benchEmulator()
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
