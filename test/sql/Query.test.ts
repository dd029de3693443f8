import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Equal from "effect/Equal"
import { pipe } from "effect/Function"
import * as Query from "../../src/sql/Query.js"

describe("Query", () => {
  it("make has no bindings and no context", () => {
    const q = Query.make("SELECT 1")
    assert.strictEqual(q.sql, "SELECT 1")
    assert.isUndefined(q.bindings)
    assert.isFalse("warehouse" in q)
    assert.isTrue(Query.isQuery(q))
    assert.isFalse(Query.isQuery({ sql: "SELECT 1" }))
  })

  it("pipeable data-last combinators", () => {
    const q = Query.make("SELECT ? , ?").pipe(
      Query.bind(1, "a"),
      Query.warehouse("WH"),
      Query.role("R"),
      Query.database("DB"),
      Query.schema("S"),
      Query.tag("daily"),
      Query.timeout("30 seconds"),
      Query.describeOnly,
      Query.parameter("MULTI_STATEMENT_COUNT", 2),
      Query.parameter("TIMEZONE", "UTC")
    )
    assert.deepStrictEqual(q.bindings, { _tag: "Positional", values: [1, "a"] })
    assert.strictEqual(q.warehouse, "WH")
    assert.strictEqual(q.role, "R")
    assert.strictEqual(q.database, "DB")
    assert.strictEqual(q.schema, "S")
    assert.strictEqual(q.tag, "daily")
    assert.isTrue(Duration.equals(q.timeout!, Duration.seconds(30)))
    assert.isTrue(q.describeOnly)
    assert.deepStrictEqual(q.parameters, { MULTI_STATEMENT_COUNT: 2, TIMEZONE: "UTC" })
  })

  it("data-first style works too", () => {
    const q = Query.tag(Query.bind(Query.make("SELECT ?"), 42), "x")
    assert.deepStrictEqual(q.bindings, { _tag: "Positional", values: [42] })
    assert.strictEqual(q.tag, "x")
    assert.deepStrictEqual(Query.bindNamed(Query.make("SELECT :a"), { a: 1 }).bindings, {
      _tag: "Named",
      values: { a: 1 }
    })
    assert.strictEqual(Query.parameter(Query.make("x"), "A", true).parameters?.A, true)
  })

  it("is immutable: combinators return new values", () => {
    const base = Query.make("SELECT ?")
    const one = base.pipe(Query.bind(1))
    const two = pipe(one, Query.bind(2))
    assert.isUndefined(base.bindings)
    assert.deepStrictEqual(one.bindings, { _tag: "Positional", values: [1] })
    assert.deepStrictEqual(two.bindings, { _tag: "Positional", values: [2] })
    const named = one.pipe(Query.bindNamed({ a: 1 }))
    assert.strictEqual(named.bindings?._tag, "Named")
  })

  it("structural equality", () => {
    const a = Query.make("SELECT ?").pipe(Query.bind(1), Query.tag("t"), Query.timeout(1000))
    const b = Query.make("SELECT ?").pipe(Query.bind(1), Query.tag("t"), Query.timeout("1 second"))
    assert.isTrue(Equal.equals(a, b))
    assert.isFalse(Equal.equals(a, b.pipe(Query.bind(2))))
    assert.isFalse(Equal.equals(a, b.pipe(Query.warehouse("W"))))
  })
})
