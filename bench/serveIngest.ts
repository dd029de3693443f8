/**
 * A standing emulator with GCS stages and the ingestion bench's tables, for profiling one loader
 * at a time:
 *
 *   npx vite-node bench/serveIngest.ts LOAD_CSV LOAD_SDK     # prints the URL, runs until killed
 *   npx vite-node bench/ingest/bulkOurs.ts <url> 1000000 LOAD_CSV csv
 */
import { Effect } from "effect"
import { benchEmulator } from "./emulatorSetup.js"
import { createSql } from "./ingest/shared.js"

const tables = process.argv.slice(2)
// exit normally on Ctrl-C, so that `node --cpu-prof` writes its profile
process.on("SIGINT", () => process.exit(0))

const program = Effect.gen(function* () {
  const { emulator, sf } = yield* benchEmulator({ storage: "gcs" })
  for (const table of tables) yield* sf.execute(createSql(table))
  console.log(emulator.url)
  return yield* Effect.never
})

Effect.runPromise(Effect.scoped(program)).catch((error) => {
  console.error(error)
  process.exit(1)
})
