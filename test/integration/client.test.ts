import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Snowflake from "../../src/layers/Snowflake.js"
import * as Query from "../../src/sql/Query.js"
import { clientOptions, emulatorOptions, withClient } from "./support.js"

describe("client ↔ emulator", () => {
  it.scopedLive("runs DDL, DML with bindings and a SELECT", () =>
    Effect.gen(function* () {
      const { sf } = yield* withClient()
      yield* sf.execute("CREATE TABLE orders (id INTEGER, name VARCHAR, amount NUMBER(10,2))")
      const insert = yield* sf.execute(
        Query.make("INSERT INTO orders VALUES (?, ?, ?), (?, ?, ?)").pipe(
          Query.bind(1, "a", 1.5, 2, "b", 2.25)
        )
      )
      assert.strictEqual(insert.stats?.rowsInserted, 2)
      const result = yield* sf.execute("SELECT id, name FROM orders ORDER BY id", { rowMode: "array" })
      assert.deepStrictEqual(
        result.rows.map((row) => [Number(row[0]), row[1]]),
        [
          [1, "a"],
          [2, "b"]
        ]
      )
      assert.deepStrictEqual(
        result.columns.map((c) => c.name),
        ["ID", "NAME"]
      )
    })
  )

  it.scopedLive("a wrong password fails with InvalidCredentials that does not carry the password", () =>
    Effect.gen(function* () {
      const { emulator } = yield* withClient()
      const error = yield* Effect.flip(
        Effect.scoped(
          Effect.gen(function* () {
            const context = yield* Layer.build(
              Snowflake.layer(
                clientOptions(emulator.url, {
                  auth: { type: "password", password: Redacted.make("wrong-pw-123") }
                })
              )
            )
            const sf = yield* Effect.provide(Snowflake.Client, context)
            return yield* sf.execute("SELECT 1")
          })
        )
      )
      assert.strictEqual(error._tag, "InvalidCredentials")
      assert.notInclude(JSON.stringify(error), "wrong-pw-123")
      assert.notInclude(String(error), "wrong-pw-123")
    })
  )

  it.scopedLive("50 concurrent executes through a pool of max 5 all succeed", () =>
    Effect.gen(function* () {
      const { emulator, sf } = yield* withClient({ pool: { min: 1, max: 5 } })
      const results = yield* Effect.forEach(
        Array.from({ length: 50 }, (_, i) => i),
        (i) => sf.execute(Query.make("SELECT ? AS N").pipe(Query.bind(i))),
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual(
        results.map((r) => Number(r.rows[0]!.N)),
        Array.from({ length: 50 }, (_, i) => i)
      )
      const sessions = new Set(emulator.history().map((h) => h.sessionId))
      assert.isAtMost(sessions.size, 5)
    })
  )

  it.scopedLive("an expired session token (390112) is renewed transparently", () =>
    Effect.gen(function* () {
      const { emulator, sf } = yield* withClient({ pool: { min: 1, max: 1 } })
      yield* sf.execute("SELECT 1")
      yield* emulator.faults.inject({ route: "query", times: 1, kind: { _tag: "expireSession" } })
      const result = yield* sf.execute("SELECT 2 AS TWO")
      assert.strictEqual(Number(result.rows[0]!.TWO), 2)
      const sessions = new Set(emulator.history().map((h) => h.sessionId))
      assert.strictEqual(sessions.size, 1, "renewal keeps the same server session")
    })
  )

  it.scopedLive("an expired master token (390114) leads to a fresh login, transparently", () =>
    Effect.gen(function* () {
      const { emulator, sf } = yield* withClient(
        { pool: { min: 1, max: 1 } },
        { ...emulatorOptions, sessionValiditySeconds: 1, masterValiditySeconds: 1 }
      )
      yield* sf.execute("SELECT 1")
      yield* Effect.sleep("2100 millis")
      const result = yield* sf.execute("SELECT 3 AS THREE")
      assert.strictEqual(Number(result.rows[0]!.THREE), 3)
      const sessions = new Set(emulator.history().map((h) => h.sessionId))
      assert.strictEqual(sessions.size, 2, "a new server session after re-login")
    })
  )

  it.scopedLive("an INSERT whose answer was lost is retried with its requestId and runs exactly once", () =>
    Effect.gen(function* () {
      const { emulator, sf } = yield* withClient()
      yield* sf.execute("CREATE TABLE once (v INTEGER)")
      yield* emulator.faults.inject({ route: "query", times: 1, kind: { _tag: "dropAfterExecute" } })
      yield* sf.execute(Query.make("INSERT INTO once VALUES (?)").pipe(Query.bind(7)))
      const count = yield* sf.execute("SELECT COUNT(*) AS C FROM once")
      assert.strictEqual(Number(count.rows[0]!.C), 1)
    })
  )

  it.scopedLive("retries 503 and 429 from the server", () =>
    Effect.gen(function* () {
      const { emulator, sf } = yield* withClient()
      yield* sf.execute("SELECT 1")
      yield* emulator.faults.inject({ route: "query", times: 1, kind: { _tag: "status", status: 503 } })
      yield* emulator.faults.inject({
        route: "query",
        times: 1,
        kind: { _tag: "status", status: 429, retryAfterSeconds: 0 }
      })
      const result = yield* sf.execute("SELECT 5 AS FIVE")
      assert.strictEqual(Number(result.rows[0]!.FIVE), 5)
    })
  )

  it.scopedLive("bindings of every JS type round-trip", () =>
    Effect.gen(function* () {
      const { sf } = yield* withClient()
      const positional = yield* sf.execute(
        Query.make("SELECT ? AS I, ? AS F, ? AS S, ? AS B, ? AS Z").pipe(
          Query.bind(42, 1.5, "héllo 'q'", true, null)
        )
      )
      const row = positional.rows[0]!
      assert.strictEqual(Number(row.I), 42)
      assert.strictEqual(Number(row.F), 1.5)
      assert.strictEqual(row.S, "héllo 'q'")
      assert.isTrue(row.B === true || row.B === "true")
      assert.isNull(row.Z)
    })
  )

  it.scopedLive("a per-query warehouse and schema do not leak into the next query on the same session", () =>
    Effect.gen(function* () {
      const { sf } = yield* withClient({ pool: { min: 1, max: 1 } })
      const before = yield* sf.execute("SELECT CURRENT_WAREHOUSE() AS WH, CURRENT_SCHEMA() AS SC")
      yield* sf.execute("CREATE WAREHOUSE IF NOT EXISTS OTHER_WH")
      yield* sf.execute("CREATE SCHEMA IF NOT EXISTS OTHER_SCHEMA")
      const during = yield* sf.execute(
        Query.make("SELECT CURRENT_WAREHOUSE() AS WH, CURRENT_SCHEMA() AS SC").pipe(
          Query.warehouse("OTHER_WH"),
          Query.schema("OTHER_SCHEMA")
        )
      )
      assert.strictEqual(during.rows[0]!.WH, "OTHER_WH")
      assert.strictEqual(during.rows[0]!.SC, "OTHER_SCHEMA")
      const after = yield* sf.execute("SELECT CURRENT_WAREHOUSE() AS WH, CURRENT_SCHEMA() AS SC")
      assert.deepStrictEqual(after.rows, before.rows)
      // A statement that switches context itself is undone as well.
      yield* sf.execute("USE SCHEMA OTHER_SCHEMA")
      const afterUse = yield* sf.execute("SELECT CURRENT_WAREHOUSE() AS WH, CURRENT_SCHEMA() AS SC")
      assert.deepStrictEqual(afterUse.rows, before.rows)
    })
  )

  it.scopedLive("executeMulti returns one result per statement", () =>
    Effect.gen(function* () {
      const { sf } = yield* withClient()
      const results = yield* sf.executeMulti("SELECT 1 AS A; SELECT 2 AS B, 3 AS C")
      assert.strictEqual(results.length, 2)
      assert.strictEqual(Number(results[0]!.rows[0]!.A), 1)
      assert.strictEqual(Number(results[1]!.rows[0]!.C), 3)
    })
  )

  it.scopedLive("large results arrive through chunks, in order, by execute and by stream", () =>
    Effect.gen(function* () {
      const { sf } = yield* withClient({}, { ...emulatorOptions, chunkRows: 100, inlineRows: 10 })
      const sql = "SELECT SEQ4() AS N FROM TABLE(GENERATOR(ROWCOUNT => 1000)) ORDER BY N"
      const all = yield* sf.execute(sql, { rowMode: "array" })
      assert.strictEqual(all.rowCount, 1000)
      assert.deepStrictEqual(
        all.rows.map((r) => Number(r[0])),
        Array.from({ length: 1000 }, (_, i) => i)
      )
      const streamed = yield* Stream.runCollect(sf.stream(sql, { rowMode: "array" }))
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(streamed).map((r) => Number(r[0])),
        Array.from({ length: 1000 }, (_, i) => i)
      )
    })
  )

  it.scopedLive("the result of a submitted query can be fetched again by id, also as a stream", () =>
    Effect.gen(function* () {
      const { sf } = yield* withClient({}, { ...emulatorOptions, chunkRows: 100, inlineRows: 10 })
      const handle = yield* sf.submit("SELECT SEQ4() AS N FROM TABLE(GENERATOR(ROWCOUNT => 750)) ORDER BY N")
      const awaited = yield* sf.awaitResult(handle, { rowMode: "array" })
      const again = yield* sf.awaitResult(handle.queryId, { rowMode: "array" })
      const streamed = yield* Stream.runCollect(sf.streamResult(handle, { rowMode: "array" }))
      const expected = Array.from({ length: 750 }, (_, i) => i)
      assert.deepStrictEqual(
        awaited.rows.map((r) => Number(r[0])),
        expected
      )
      assert.deepStrictEqual(
        again.rows.map((r) => Number(r[0])),
        expected
      )
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(streamed).map((r) => Number(r[0])),
        expected
      )
    })
  )

  it.scopedLive("submit, status and awaitResult", () =>
    Effect.gen(function* () {
      const { sf } = yield* withClient()
      const handle = yield* sf.submit("SELECT 11 AS ELEVEN")
      assert.isString(handle.queryId)
      const result = yield* sf.awaitResult(handle, { timeout: "20 seconds" })
      assert.strictEqual(Number(result.rows[0]!.ELEVEN), 11)
      const status = yield* sf.status(handle.queryId)
      assert.strictEqual(status.status, "SUCCESS")
    })
  )
})
