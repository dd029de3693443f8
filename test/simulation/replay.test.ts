/** Replay from a hand-written cassette: no emulator, no account, no network. */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as Chunk from "effect/Chunk"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Snowflake from "../../src/layers/Snowflake.js"
import * as Query from "../../src/sql/Query.js"
import { replayFrom, tempCassette } from "./support.js"

const cassette = path.join(import.meta.dirname, "cassettes", "orders.json")

const daily = Query.make(
  "SELECT user_id, SUM(amount) AS total FROM orders WHERE day = ? GROUP BY 1 ORDER BY 1"
).pipe(Query.bind("2026-11-01"))

describe("simulation: replay", () => {
  it.layer(Snowflake.layerSimulated({ mode: "replay", cassette }))((it) => {
    it.effect("serves recorded rows through the ordinary decoders", () =>
      Effect.gen(function* () {
        const sf = yield* Snowflake.Client
        const result = yield* sf.execute(daily)
        assert.deepStrictEqual(result.rows, [
          { USER_ID: 7n, TOTAL: BigDecimal.unsafeFromString("12.50") },
          { USER_ID: 42n, TOTAL: BigDecimal.unsafeFromString("99999999999999999999.99") }
        ])
        assert.strictEqual(result.queryId, "01b2c3d4-0000-0001-0000-000000000001")
        assert.strictEqual(result.statementType, 4096)
      })
    )

    it.effect("a recorded error replays as the same typed error", () =>
      Effect.gen(function* () {
        const sf = yield* Snowflake.Client
        const error = yield* Effect.flip(sf.execute("select * from missing"))
        assert.strictEqual(error._tag, "QuerySyntaxError")
        assert.strictEqual(error.code, "002003")
        assert.strictEqual(error.sqlState, "42S02")
        assert.isFalse(error.retryable)
      })
    )

    it.effect("a stream recorded only in part replays its rows, then says it was cut short", () =>
      Effect.gen(function* () {
        const sf = yield* Snowflake.Client
        const two = yield* Stream.runCollect(
          sf.stream("SELECT n FROM events ORDER BY n", { rowMode: "array" }).pipe(Stream.take(2))
        )
        assert.deepStrictEqual(Chunk.toReadonlyArray(two), [[1], [2]])
        const error = yield* Effect.flip(
          Stream.runCollect(sf.stream("SELECT n FROM events ORDER BY n", { rowMode: "array" }))
        )
        // The single recording was used by the first read; asking again is "not recorded".
        assert.strictEqual(error._tag, "SimulationNotRecorded")
      })
    )

    it.effect("status answers replay in order, then the last one repeats", () =>
      Effect.gen(function* () {
        const sf = yield* Snowflake.Client
        const id = "01b2c3d4-0000-0001-0000-000000000004"
        const seen = yield* Effect.forEach([1, 2, 3], () => sf.status(id))
        assert.deepStrictEqual(
          seen.map((s) => s.status),
          ["RUNNING", "SUCCESS", "SUCCESS"]
        )
      })
    )

    it.effect("awaitResult answers at once: no polling, no sleeping (this runs on the TestClock)", () =>
      Effect.gen(function* () {
        const sf = yield* Snowflake.Client
        const result = yield* sf.awaitResult("01b2c3d4-0000-0001-0000-000000000004", { timeout: "1 minute" })
        assert.deepStrictEqual(result.rows, [{ ELEVEN: 11 }])
      })
    )

    it.effect("the context is part of the fingerprint: another warehouse is a mismatch", () =>
      Effect.gen(function* () {
        const sf = yield* Snowflake.Client
        const error = yield* Effect.flip(sf.execute(daily.pipe(Query.warehouse("ADHOC_WH"))))
        assert.strictEqual(error._tag, "SimulationMismatch")
        assert.include(error.message, 'context.warehouse: recorded "REPORTING_WH", requested "ADHOC_WH"')
      })
    )
  })

  it.effect("the stream's cut is reported when the program reads past it", () =>
    Effect.gen(function* () {
      const sf = yield* Snowflake.Client
      const error = yield* Effect.flip(
        Stream.runCollect(sf.stream("SELECT N FROM EVENTS ORDER BY N", { rowMode: "array" }))
      )
      assert.strictEqual(error._tag, "SimulationNotRecorded")
      assert.include(error.message, "recorded only the first 2 rows")
    }).pipe(Effect.provide(Snowflake.layerSimulated({ mode: "replay", cassette })))
  )

  it.effect("layerConfig replays with SNOWFLAKE_SIMULATION_MODE=replay and no account at all", () =>
    Effect.gen(function* () {
      const sf = yield* Snowflake.Client
      const result = yield* sf.execute(daily, { rowMode: "array", decode: { numbers: "string" } })
      assert.deepStrictEqual(result.rows, [
        ["7", "12.50"],
        ["42", "99999999999999999999.99"]
      ])
    }).pipe(Effect.provide(Snowflake.layerConfig()), replayFrom(cassette))
  )

  it.effect("record or replay without SNOWFLAKE_SIMULATION_FILE is InvalidConfig", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Effect.scoped(Layer.build(Snowflake.layerConfig())))
      assert.strictEqual(error._tag, "InvalidConfig")
      assert.include(error.message, "SNOWFLAKE_SIMULATION_FILE")
    }).pipe(
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["SNOWFLAKE_SIMULATION_MODE", "record"]])))
    )
  )

  it.scoped("a missing cassette, a newer format version and a malformed file fail the layer clearly", () =>
    Effect.gen(function* () {
      const file = yield* tempCassette
      const build = Effect.flip(
        Effect.scoped(Layer.build(Snowflake.layerSimulated({ mode: "replay", cassette: file })))
      )
      const missing = yield* build
      assert.strictEqual(missing._tag, "SimulationNotRecorded")
      assert.include(missing.message, "record it first")
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(
        file,
        JSON.stringify({ format: "effect-snowflake/cassette", version: 2, context: {}, interactions: [] })
      )
      const newer = yield* build
      assert.strictEqual(newer._tag, "InvalidConfig")
      assert.include(newer.message, "version 2")
      fs.writeFileSync(file, "{ not json")
      const malformed = yield* build
      assert.strictEqual(malformed._tag, "InvalidConfig")
    })
  )
})
