import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { Emulator, type EmulatorOptions } from "../../src/emulator/index.js"
import * as Snowflake from "../../src/layers/Snowflake.js"
import * as Query from "../../src/sql/Query.js"
import { clientOptions, emulatorOptions } from "../integration/support.js"

/** A fresh cassette path in a temporary directory removed when the scope closes. */
export const tempCassette = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "sf-cassette-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
).pipe(Effect.map((dir) => path.join(dir, "nested", "session.json")))

/** Writes a hand-made cassette (version 1, empty context) with these interactions. */
export const writeCassette = (file: string, interactions: ReadonlyArray<unknown>): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(
    file,
    JSON.stringify({ format: "effect-snowflake/cassette", version: 1, context: {}, interactions })
  )
}

/** What must never appear in a cassette: secrets, endpoints, tokens, signed URLs, and `extra`. */
export const assertNoSecrets = (text: string, extra: ReadonlyArray<string>): void => {
  for (const secret of ["127.0.0.1", "qrmk", "token", "Token", "X-Amz", "sig=", ...extra])
    assert.notInclude(text, secret)
}

/** `SNOWFLAKE_SIMULATION_MODE=replay` of this cassette, as `layerConfig` reads it. */
export const replayFrom = (cassette: string) =>
  Effect.withConfigProvider(
    ConfigProvider.fromMap(
      new Map([
        ["SNOWFLAKE_SIMULATION_MODE", "replay"],
        ["SNOWFLAKE_SIMULATION_FILE", cassette]
      ])
    )
  )

export const STREAM_SQL =
  "SELECT SEQ4() AS N, 'row ' || SEQ4() AS LABEL FROM TABLE(GENERATOR(ROWCOUNT => 250)) ORDER BY N"

export const Order = Schema.Struct({ ID: Schema.BigIntFromSelf, NAME: Schema.String })

/**
 * A program touching every operation: DDL, DML with binds (stats), lossless values, the same query
 * twice with different answers, multi-statement, a multi-chunk stream, async submit/status/await
 * and a failing query. Everything it saw is returned so two runs can be compared.
 */
export const program = Effect.gen(function* () {
  const sf = yield* Snowflake.Client
  yield* sf.execute("CREATE TABLE orders (id INTEGER, name VARCHAR, amount NUMBER(10,2), day DATE)")
  const inserted = yield* sf.execute(
    Query.make("INSERT INTO orders VALUES (?, ?, ?, ?), (?, ?, ?, ?)").pipe(
      Query.bind(1, "a", "1.50", "2024-02-29", 2, "b", "2.25", "2024-03-01")
    )
  )
  const countBefore = yield* sf.execute("SELECT COUNT(*) AS C FROM orders")
  yield* sf.execute(
    Query.make("INSERT INTO orders VALUES (?, ?, ?, ?)").pipe(Query.bind(3, "c", "3.75", "2024-03-02"))
  )
  const countAfter = yield* sf.execute("SELECT COUNT(*) AS C FROM orders")
  const values = yield* sf.execute(
    "SELECT amount, day, 12345678901234567890::NUMBER(38,0) AS BIG, TO_TIMESTAMP_NTZ('2024-01-02 03:04:05.123456789') AS TS FROM orders ORDER BY id"
  )
  const byId = yield* sf.execute(Query.make("SELECT id, name FROM orders WHERE id = ?").pipe(Query.bind(1)), {
    schema: Order
  })
  const multi = yield* sf.executeMulti("SELECT 1 AS A; SELECT 'x' AS B, 2.5 AS C")
  const streamed = yield* Stream.runCollect(sf.stream(STREAM_SQL, { rowMode: "array" }))
  const handle = yield* sf.submit("SELECT 11 AS ELEVEN")
  const awaited = yield* sf.awaitResult(handle, { timeout: "20 seconds" })
  const status = yield* sf.status(handle.queryId)
  const failure = yield* Effect.flip(sf.execute("SELECT * FROM no_such_table"))
  return {
    inserted,
    countBefore,
    countAfter,
    values,
    byId,
    multi,
    streamed: Chunk.toReadonlyArray(streamed),
    handle,
    awaited,
    status,
    failure
  }
})

/**
 * Starts an emulator with small chunks (and the given stage storage), records `run` against it,
 * stops everything.
 */
export const recordAgainstEmulator = <A, E>(
  cassette: string,
  run: Effect.Effect<A, E, Snowflake.Services>,
  storage: EmulatorOptions["storage"] = "local"
) =>
  Effect.scoped(
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ ...emulatorOptions, chunkRows: 60, inlineRows: 10, storage })
      const context = yield* Layer.build(
        Snowflake.layerSimulated({ mode: "record", cassette, connection: clientOptions(emulator.url) })
      )
      const outcome = yield* Effect.provide(run, context)
      return { outcome, url: emulator.url }
    })
  )
