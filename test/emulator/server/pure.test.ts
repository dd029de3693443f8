import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, FiberId } from "effect"
import { canceled, failureOf } from "../../../src/emulator/server/execution.js"
import { makeFaults, ruleFromJson } from "../../../src/emulator/server/faults.js"
import { tokenFromHeader } from "../../../src/emulator/server/ids.js"
import { parseAlterSession, responseParameters } from "../../../src/emulator/server/parameters.js"
import { classify } from "../../../src/emulator/server/routes.js"

describe("protocol helpers", () => {
  it("a query's failure: typed as failed; a defect is an internal error naming it; an interruption is canceled", () => {
    const typed = { code: "100038", sqlState: "22018", message: "Numeric value 'x' is not recognized" }
    assert.deepStrictEqual(failureOf(Cause.fail(typed)), typed)
    assert.deepStrictEqual(failureOf(Cause.die(new RangeError("Maximum call stack size exceeded"))), {
      code: "000603",
      sqlState: "XX000",
      message: "SQL execution internal error: Maximum call stack size exceeded"
    })
    assert.deepStrictEqual(failureOf(Cause.interrupt(FiberId.none)), canceled)
  })

  it("parses ALTER SESSION SET / UNSET", () => {
    assert.deepStrictEqual(
      parseAlterSession("alter session set TIMEZONE = 'UTC', statement_timeout_in_seconds=5;"),
      {
        _tag: "Set",
        values: [
          ["TIMEZONE", "UTC"],
          ["STATEMENT_TIMEOUT_IN_SECONDS", 5]
        ]
      }
    )
    assert.deepStrictEqual(parseAlterSession("ALTER SESSION SET QUERY_TAG = 'it''s'"), {
      _tag: "Set",
      values: [["QUERY_TAG", "it's"]]
    })
    assert.deepStrictEqual(parseAlterSession("alter session unset query_tag, timezone"), {
      _tag: "Unset",
      names: ["QUERY_TAG", "TIMEZONE"]
    })
    assert.isUndefined(parseAlterSession("select 1"))
  })

  it("overlays session values on the default parameter list", () => {
    const list = responseParameters(
      new Map<string, string | boolean>([
        ["TIMEZONE", "UTC"],
        ["JS_TREAT_INTEGER_AS_BIGINT", true]
      ])
    )
    assert.strictEqual(list.find((p) => p.name === "TIMEZONE")?.value, "UTC")
    assert.strictEqual(list.find((p) => p.name === "BINARY_OUTPUT_FORMAT")?.value, "HEX")
    assert.strictEqual(list.find((p) => p.name === "JS_TREAT_INTEGER_AS_BIGINT")?.value, true)
  })

  it('reads the token between Token=" and the last quote', () => {
    assert.strictEqual(tokenFromHeader('Snowflake Token="abc"'), "abc")
    assert.strictEqual(tokenFromHeader('Snowflake Token="a"b"'), 'a"b')
    assert.isUndefined(tokenFromHeader("Bearer x"))
    assert.isUndefined(tokenFromHeader(undefined))
  })

  it("classifies routes", () => {
    assert.deepStrictEqual(classify("POST", "/queries/v1/abort-request"), {
      name: "abort",
      queryId: undefined
    })
    assert.deepStrictEqual(classify("POST", "/queries/abc/abort-request"), { name: "abort", queryId: "abc" })
    assert.deepStrictEqual(classify("GET", "/queries/abc/result"), { name: "result", queryId: "abc" })
    assert.deepStrictEqual(classify("GET", "/monitoring/queries/abc"), { name: "monitoring", queryId: "abc" })
    assert.deepStrictEqual(classify("GET", "/chunks/abc/3"), { name: "chunk", queryId: "abc", index: 3 })
    assert.deepStrictEqual(classify("POST", "/session"), { name: "logout" })
    assert.deepStrictEqual(classify("GET", "/nope"), { name: "notFound" })
  })
})

describe("fault injector", () => {
  it.effect("uses rules in order, per route, for the number of times asked", () =>
    Effect.gen(function* () {
      const faults = yield* makeFaults
      yield* faults.inject({ route: "query", times: 2, kind: { _tag: "drop" } })
      yield* faults.inject({ route: "any", kind: { _tag: "truncate" } })
      assert.deepStrictEqual(yield* faults.take("query"), { _tag: "drop" })
      assert.deepStrictEqual(yield* faults.take("login"), { _tag: "truncate" })
      assert.deepStrictEqual(yield* faults.take("login"), undefined)
      assert.deepStrictEqual(yield* faults.take("query"), { _tag: "drop" })
      assert.deepStrictEqual(yield* faults.take("query"), undefined)
      yield* faults.inject({ route: "chunk", times: 3, kind: { _tag: "delay", millis: 5 } })
      yield* faults.clear
      assert.deepStrictEqual(yield* faults.pending, [])
    })
  )

  it("decodes admin rules and rejects bad ones", () => {
    assert.deepStrictEqual(
      ruleFromJson({ route: "query", kind: "status", status: 429, retryAfterSeconds: 1 }),
      {
        route: "query",
        times: 1,
        kind: { _tag: "status", status: 429, retryAfterSeconds: 1 }
      }
    )
    assert.isUndefined(ruleFromJson({ route: "nowhere", kind: "drop" }))
    assert.isUndefined(ruleFromJson({ kind: "status" }))
    assert.isUndefined(ruleFromJson({ kind: "explode" }))
  })
})
