/**
 * The README's minimal program (type-checked by `npm test`, so the README stays true).
 * Run against the emulator: `npx effect-snowflake emulator --port 8080` in one terminal, then
 * `SNOWFLAKE_ACCOUNT=emulator SNOWFLAKE_USER=me SNOWFLAKE_PASSWORD=x SNOWFLAKE_ACCESS_URL=http://127.0.0.1:8080 npx vite-node examples/minimal.ts`.
 */
import { Effect, Stream } from "effect"
import { Query, Snowflake } from "../src/index.js"

const program = Effect.gen(function* () {
  const sf = yield* Snowflake.Client
  yield* sf.execute("CREATE TABLE IF NOT EXISTS orders (user_id INT, amount NUMBER(10,2), day DATE)")
  yield* sf.execute("CREATE TABLE IF NOT EXISTS events (id INT, kind VARCHAR)")
  const top = yield* sf.execute(
    Query.make("SELECT user_id, SUM(amount) AS total FROM orders WHERE day = ? GROUP BY 1").pipe(
      Query.bind("2026-11-01"),
      Query.warehouse("COMPUTE_WH"),
      Query.tag("daily_sales")
    )
  )
  yield* Effect.log(top.rows)

  // Any size: rows arrive as they are downloaded, memory stays bounded.
  yield* sf.stream("SELECT * FROM events").pipe(Stream.runForEach((row) => Effect.log(row)))
})

const SnowflakeLive = Snowflake.layerConfig()

program.pipe(Effect.provide(SnowflakeLive), Effect.runPromise)
