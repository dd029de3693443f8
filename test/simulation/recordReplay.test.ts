import * as fs from "node:fs"
import * as os from "node:os"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Snowflake from "../../src/layers/Snowflake.js"
import * as Query from "../../src/sql/Query.js"
import { PASSWORD } from "../integration/support.js"
import { assertNoSecrets, program, recordAgainstEmulator, tempCassette } from "./support.js"

/** Runs `effect` with the client replaying `cassette`. */
const replay = <A, E, R>(cassette: string, effect: Effect.Effect<A, E, R>) =>
  Effect.scoped(
    Effect.flatMap(Layer.build(Snowflake.layerSimulated({ mode: "replay", cassette })), (context) =>
      Effect.provide(effect, context)
    )
  )

/** The cassette text with every query id replaced by its order of first appearance. */
const withoutIds = (text: string): string => {
  const ids = [...new Set([...text.matchAll(/"queryId": "([^"]+)"/g)].map((m) => m[1]!))]
  return ids.reduce((acc, id, i) => acc.replaceAll(id, `<query ${i}>`), text)
}

describe("simulation: record against the emulator, replay without it", () => {
  it.scopedLive("replays every operation with identical results and errors", () =>
    Effect.gen(function* () {
      const cassette = yield* tempCassette
      const { outcome: recorded } = yield* recordAgainstEmulator(cassette, program)
      // The emulator is stopped now: whatever follows cannot have used the network.
      assert.isAbove(recorded.streamed.length, 200)
      assert.strictEqual(recorded.failure._tag, "QuerySyntaxError")
      assert.notDeepEqual(recorded.countBefore.rows, recorded.countAfter.rows)
      const replayed = yield* replay(cassette, program)
      assert.deepStrictEqual(replayed, recorded)
      // The lossless values really are lossless values, not strings, on both sides.
      const first = replayed.values.rows[0]!
      assert.strictEqual(typeof first.BIG, "bigint")
      assert.strictEqual(first.BIG, 12345678901234567890n)
      assert.strictEqual(replayed.failure.queryId, recorded.failure.queryId)
      assert.strictEqual(Object.getPrototypeOf(replayed.failure), Object.getPrototypeOf(recorded.failure))
    })
  )

  it.scopedLive("replay matches whitespace, comments and keyword case, and applies decode options anew", () =>
    Effect.gen(function* () {
      const cassette = yield* tempCassette
      const sql = "SELECT id, name FROM orders WHERE id = ?"
      yield* recordAgainstEmulator(
        cassette,
        Effect.gen(function* () {
          const sf = yield* Snowflake.Client
          yield* sf.execute("CREATE TABLE orders (id INTEGER, name VARCHAR)")
          yield* sf.execute("INSERT INTO orders VALUES (1, 'a'), (2, 'B b')")
          yield* sf.execute(Query.make(sql).pipe(Query.bind(1)))
          yield* sf.execute("SELECT 'Keep  CASE' AS \"MixedCase\"")
        })
      )
      const rows = yield* replay(
        cassette,
        Effect.gen(function* () {
          const sf = yield* Snowflake.Client
          const byId = yield* sf.execute(
            Query.make("select id,\n   name  -- the name\n from orders /* one */ where id = ?;").pipe(
              Query.bind(1)
            ),
            { rowMode: "array", decode: { numbers: "string" } }
          )
          const literal = yield* sf.execute("select 'Keep  CASE' as \"MixedCase\"")
          return { byId: byId.rows, literal: literal.rows }
        })
      )
      assert.deepStrictEqual(rows.byId, [["1", "a"]])
      assert.deepStrictEqual(rows.literal, [{ MixedCase: "Keep  CASE" }])
      // A string literal is not normalised: changing its inner spacing is another request.
      const other = yield* replay(
        cassette,
        Effect.flatMap(Snowflake.Client, (sf) =>
          Effect.flip(sf.execute("SELECT 'Keep CASE' AS \"MixedCase\""))
        )
      )
      assert.strictEqual(other._tag, "SimulationMismatch")
    })
  )

  it.scopedLive("mismatch, not-recorded, exhausted and type errors say what is wrong", () =>
    Effect.gen(function* () {
      const cassette = yield* tempCassette
      yield* recordAgainstEmulator(
        cassette,
        Effect.gen(function* () {
          const sf = yield* Snowflake.Client
          yield* sf.execute("CREATE TABLE orders (id INTEGER, name VARCHAR)")
          yield* sf.execute("INSERT INTO orders VALUES (1, 'a')")
          yield* sf.execute("CREATE WAREHOUSE wh_a")
          yield* sf.execute(Query.make("SELECT id, name FROM orders WHERE id = ?").pipe(Query.bind(1)))
          yield* sf.execute(Query.make("SELECT name FROM orders").pipe(Query.warehouse("WH_A")))
        })
      )
      const errors = yield* replay(
        cassette,
        Effect.gen(function* () {
          const sf = yield* Snowflake.Client
          const binding = yield* Effect.flip(
            sf.execute(Query.make("SELECT id, name FROM orders WHERE id = ?").pipe(Query.bind(2)))
          )
          const sql = yield* Effect.flip(
            sf.execute(Query.make("SELECT id, name FROM orders WHERE id > ?").pipe(Query.bind(1)))
          )
          const warehouse = yield* Effect.flip(
            sf.execute(Query.make("SELECT name FROM orders").pipe(Query.warehouse("WH_B")))
          )
          const unknown = yield* Effect.flip(sf.execute("SHOW TABLES"))
          const status = yield* Effect.flip(sf.status("01-not-a-recorded-id"))
          yield* sf.execute(Query.make("SELECT id, name FROM orders WHERE id = ?").pipe(Query.bind(1)))
          const again = yield* Effect.flip(
            sf.execute(Query.make("SELECT id, name FROM orders WHERE id = ?").pipe(Query.bind(1)))
          )
          const typed = yield* Effect.flip(
            sf.execute(Query.make("SELECT name FROM orders").pipe(Query.warehouse("wh_a")), {
              schema: Schema.Struct({ NAME: Schema.Number })
            })
          )
          return { binding, sql, warehouse, unknown, status, again, typed }
        })
      )
      assert.strictEqual(errors.binding._tag, "SimulationMismatch")
      assert.include(errors.binding.message, "interaction #4")
      assert.include(
        errors.binding.message,
        'execute of "SELECT ID, NAME FROM ORDERS WHERE ID = ?" does not match'
      )
      assert.include(errors.binding.message, 'bindings.1.value: recorded "1", requested "2"')
      assert.strictEqual(errors.sql._tag, "SimulationMismatch")
      assert.include(errors.sql.message, "recorded:  SELECT ID, NAME FROM ORDERS WHERE ID = ?")
      assert.include(errors.sql.message, "requested: SELECT ID, NAME FROM ORDERS WHERE ID > ?")
      // The caret sits under the first differing character.
      const lines = errors.sql.message.split("\n")
      const requested = lines.find((l) => l.includes("requested:"))!
      const caret = lines[lines.indexOf(requested) + 1]!
      assert.strictEqual(requested[caret.indexOf("^")], ">")
      assert.strictEqual(errors.warehouse._tag, "SimulationMismatch")
      assert.include(errors.warehouse.message, 'context.warehouse: recorded "WH_A", requested "WH_B"')
      assert.strictEqual(errors.unknown._tag, "SimulationNotRecorded")
      assert.include(errors.unknown.message, 'execute of "SHOW TABLES" is not in')
      assert.strictEqual(errors.status._tag, "SimulationNotRecorded")
      assert.strictEqual(errors.again._tag, "SimulationNotRecorded")
      assert.include(errors.again.message, "recorded 1 time(s)")
      assert.strictEqual(errors.typed._tag, "SimulationTypeError")
      assert.include(errors.typed.message, "NAME")
    })
  )

  it.scopedLive("a re-recorded program gives the same cassette except ids; no secret or URL is written", () =>
    Effect.gen(function* () {
      const first = yield* tempCassette
      const second = yield* tempCassette
      const { url } = yield* recordAgainstEmulator(first, program)
      yield* recordAgainstEmulator(second, program)
      const a = fs.readFileSync(first, "utf8")
      const b = fs.readFileSync(second, "utf8")
      assert.strictEqual(withoutIds(a), withoutIds(b))
      const json = JSON.parse(a) as { format: string; version: number; interactions: ReadonlyArray<unknown> }
      assert.strictEqual(json.format, "effect-snowflake/cassette")
      assert.strictEqual(json.version, 1)
      assert.strictEqual(json.interactions.length, 13)
      // Human-diffable: one row per line.
      assert.match(a, /\n {12}\["1\.50", "\d+", "12345678901234567890", "\d+\.\d+"\],?\n/)
      assert.match(a, /\n {12}\{"name": "AMOUNT", "type": "fixed", /)
      assertNoSecrets(a, [PASSWORD, url, os.tmpdir()])
      assert.isFalse(fs.readdirSync(first.slice(0, first.lastIndexOf("/"))).some((f) => f.endsWith(".tmp")))
    })
  )
})
