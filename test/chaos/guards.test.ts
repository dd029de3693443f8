/**
 * Fault matrix — what already holds, kept so it stays that way: idempotent retries of
 * query-request, statements that run exactly once after a lost answer, and result chunks that are
 * cut off failing typed instead of shortening the result.
 *
 * The cases whose retried request met a network error (a dropped connection, a lost answer) also
 * prove, through the secret scan, that the error kept for the retry carries no token (issue 15 #4).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { Query } from "../../src/index.js"
import { bounded, client, emulatorAndProxy, emulatorOptions, paths } from "./support/harness.js"

const chunked = { ...emulatorOptions, chunkRows: 100, inlineRows: 10 }
const thousandRows = "SELECT SEQ4() AS N FROM TABLE(GENERATOR(ROWCOUNT => 1000)) ORDER BY N"

describe("fault matrix: guards", () => {
  const transient = [
    ["503", { _tag: "status", status: 503 }],
    ["429 Retry-After: 0", { _tag: "status", status: 429, retryAfter: "0" }],
    ["dropped connection", { _tag: "drop" }]
  ] as const

  for (const [name, action] of transient) {
    it.live(`${name} twice on query × execute → retried with the same requestId, runs once`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { emulator, proxy } = yield* emulatorAndProxy()
          const { sf } = yield* client({ accessUrl: proxy.url })
          yield* proxy.rule({ path: paths.query, times: 2, action })
          const result = yield* bounded("execute", sf.execute("SELECT 42 AS ANSWER"))
          assert.strictEqual(Number(result.rows[0]!.ANSWER), 42)
          const attempts = proxy.requestsTo(paths.query)
          assert.strictEqual(attempts.length, 3)
          const ids = new Set(attempts.map((r) => r.query.get("requestId")))
          assert.strictEqual(ids.size, 1, "one requestId on every attempt")
          assert.isString([...ids][0])
          assert.strictEqual(emulator.history().filter((h) => h.sqlText === "SELECT 42 AS ANSWER").length, 1)
        })
      )
    )
  }

  const lostAnswers = [
    ["answer dropped after execution (emulator)", "emulator"],
    ["answer cut mid-body (proxy)", "proxy"]
  ] as const

  for (const [name, where] of lostAnswers) {
    it.live(`${name} × INSERT → retried and inserted exactly once`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { emulator, proxy } = yield* emulatorAndProxy()
          const { sf } = yield* client({ accessUrl: proxy.url })
          yield* bounded("CREATE TABLE", sf.execute("CREATE TABLE once_only (v INTEGER)"))
          if (where === "emulator") {
            yield* emulator.faults.inject({ route: "query", kind: { _tag: "dropAfterExecute" } })
          } else {
            yield* proxy.rule({ path: paths.query, action: { _tag: "cutBody" } })
          }
          yield* bounded(
            "INSERT",
            sf.execute(Query.make("INSERT INTO once_only VALUES (?)").pipe(Query.bind(7)))
          )
          const count = yield* bounded("COUNT", sf.execute("SELECT COUNT(*) AS C FROM once_only"))
          assert.strictEqual(Number(count.rows[0]!.C), 1)
        })
      )
    )
  }

  const cutChunks = [
    ["chunk truncated (emulator)", "emulator"],
    ["chunk body cut (proxy)", "proxy"]
  ] as const

  for (const [name, where] of cutChunks) {
    it.live(`${name} × execute of a chunked result → a typed error, never a short result`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { emulator, proxy } = yield* emulatorAndProxy(chunked)
          const { sf } = yield* client({ accessUrl: proxy.url })
          if (where === "emulator") {
            yield* emulator.faults.inject({ route: "chunk", times: 100, kind: { _tag: "truncate" } })
          } else {
            yield* proxy.rule({ path: paths.chunk, times: 100, action: { _tag: "cutBody" } })
          }
          const outcome = yield* bounded(
            "execute",
            Effect.either(sf.execute(thousandRows, { rowMode: "array" }))
          )
          assert.strictEqual(outcome._tag, "Left", "a cut chunk must not yield a result")
          if (outcome._tag === "Left") assert.include(["NetworkError", "ProtocolError"], outcome.left._tag)
        })
      )
    )
  }

  it.live("no fault × execute of a chunked result through the proxy → every row, in order", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { proxy } = yield* emulatorAndProxy(chunked)
        const { sf } = yield* client({ accessUrl: proxy.url })
        const result = yield* bounded("execute", sf.execute(thousandRows, { rowMode: "array" }))
        assert.deepStrictEqual(
          result.rows.map((r) => Number(r[0])),
          Array.from({ length: 1000 }, (_, i) => i)
        )
        assert.isAtLeast(proxy.requestsTo(paths.chunk).length, 9, "the chunks came through the proxy")
      })
    )
  )
})
