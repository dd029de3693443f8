import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fingerprint from "../../src/simulation/Fingerprint.js"
import * as Query from "../../src/sql/Query.js"

const defaults = { warehouse: "WH", database: "DB" }

describe("Fingerprint", () => {
  it.effect("context: the query's overrides on top of the defaults, unquoted names upper-cased", () =>
    Effect.gen(function* () {
      const plain = yield* Fingerprint.ofStatement("execute", Query.make("select 1"), defaults)
      const same = yield* Fingerprint.ofStatement(
        "execute",
        Query.make("SELECT 1").pipe(Query.warehouse("wh")),
        defaults
      )
      assert.strictEqual(Fingerprint.key(plain), Fingerprint.key(same))
      const other = yield* Fingerprint.ofStatement(
        "execute",
        Query.make("SELECT 1").pipe(Query.schema("My Schema")),
        defaults
      )
      assert.deepStrictEqual(other.context, { warehouse: "WH", database: "DB", schema: "My Schema" })
    })
  )

  it.effect("query tag and timeout do not count; parameters and describeOnly do", () =>
    Effect.gen(function* () {
      const base = Query.make("SELECT 1")
      const key = (query: Query.Query) =>
        Effect.map(Fingerprint.ofStatement("execute", query, defaults), Fingerprint.key)
      const plain = yield* key(base)
      assert.strictEqual(yield* key(base.pipe(Query.tag("nightly"), Query.timeout("5 seconds"))), plain)
      assert.strictEqual(yield* key(base.pipe(Query.parameter("QUERY_TAG", "x"))), plain)
      assert.notStrictEqual(yield* key(base.pipe(Query.parameter("TIMEZONE", "UTC"))), plain)
      assert.notStrictEqual(yield* key(Query.describeOnly(base)), plain)
    })
  )

  it.effect("bindings count as sent on the wire; an unsupported value fails like sending would", () =>
    Effect.gen(function* () {
      const sql = Query.make("SELECT ?")
      const key = (query: Query.Query) =>
        Effect.map(Fingerprint.ofStatement("execute", query, {}), Fingerprint.key)
      assert.strictEqual(yield* key(sql.pipe(Query.bind(1n))), yield* key(sql.pipe(Query.bind(1))))
      assert.notStrictEqual(yield* key(sql.pipe(Query.bind("1"))), yield* key(sql.pipe(Query.bind(1))))
      const error = yield* Effect.flip(
        Fingerprint.ofStatement("execute", sql.pipe(Query.bind(Symbol("x"))), {})
      )
      assert.strictEqual(error._tag, "InvalidBinding")
    })
  )
})
