import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import type { EmulatorHandle } from "../../src/emulator/index.js"
import * as Query from "../../src/sql/Query.js"
import { withClient } from "./support.js"

/**
 * 10^12 rows of cross join: still running whenever we interrupt it. (10^10 took DuckDB only a few
 * seconds on a quiet machine: a test that waited 2 s before cancelling sometimes saw it finish.)
 * Every test aborts it, so its length costs nothing.
 */
const slowQuery =
  "SELECT COUNT(*) AS C FROM TABLE(GENERATOR(ROWCOUNT => 1000000)) a, TABLE(GENERATOR(ROWCOUNT => 1000000)) b"

/** Waits (polling the emulator's own view) until the query with this text reaches `status`. */
const awaitStatus = (emulator: EmulatorHandle, sqlText: string, status: string) =>
  Effect.suspend(() => {
    const entry = emulator.history().find((q) => q.sqlText === sqlText)
    return entry?.status === status ? Effect.succeed(entry) : Effect.fail(entry?.status ?? "not seen")
  }).pipe(Effect.retry(Schedule.spaced(Duration.millis(50)).pipe(Schedule.upTo(Duration.seconds(30)))))

describe("execution against the emulator", () => {
  it.scopedLive("interrupting a running execute aborts the query on the server", () =>
    Effect.gen(function* () {
      const { emulator, sf } = yield* withClient()
      const fiber = yield* Effect.fork(sf.execute(slowQuery))
      yield* awaitStatus(emulator, slowQuery, "RUNNING")
      yield* Fiber.interrupt(fiber)
      const entry = yield* awaitStatus(emulator, slowQuery, "ABORTED")
      assert.strictEqual(entry.status, "ABORTED")
    })
  )

  it.scopedLive("a client-side timeout fails with QueryTimeout and aborts the query", () =>
    Effect.gen(function* () {
      // One session, logged in first: the deadline covers the login too, and on a loaded machine a
      // login can take the whole second, leaving no statement to abort.
      const { emulator, sf } = yield* withClient({ pool: { min: 1, max: 1 } })
      yield* sf.execute("SELECT 1")
      const error = yield* Effect.flip(sf.execute(Query.make(slowQuery).pipe(Query.timeout("1 second"))))
      assert.strictEqual(error._tag, "QueryTimeout")
      yield* awaitStatus(emulator, slowQuery, "ABORTED")
    })
  )

  it.scopedLive("an abandoned awaitResult leaves the query running unless asked to cancel it", () =>
    Effect.gen(function* () {
      const { emulator, sf } = yield* withClient()
      const handle = yield* sf.submit(slowQuery)
      const timedOut = yield* Effect.flip(sf.awaitResult(handle, { timeout: "1 second" }))
      assert.strictEqual(timedOut._tag, "QueryTimeout")
      assert.strictEqual((yield* sf.status(handle.queryId)).status, "RUNNING")
      const cancelled = yield* Effect.flip(
        sf.awaitResult(handle, { timeout: "1 second", cancelOnInterrupt: true })
      )
      assert.strictEqual(cancelled._tag, "QueryTimeout")
      yield* awaitStatus(emulator, slowQuery, "ABORTED")
    })
  )

  it.scopedLive("a query tag reaches the server's query history", () =>
    Effect.gen(function* () {
      const { emulator, sf } = yield* withClient()
      yield* sf.execute(Query.make("SELECT 1 AS ONE").pipe(Query.tag("nightly-report")))
      const entry = emulator.history().find((q) => q.sqlText === "SELECT 1 AS ONE")
      assert.strictEqual(entry?.queryTag, "nightly-report")
    })
  )

  it.scopedLive("named bindings", () =>
    Effect.gen(function* () {
      const { sf } = yield* withClient()
      const result = yield* sf.execute(
        Query.make("SELECT :name AS NAME, :n + 1 AS NEXT").pipe(Query.bindNamed({ name: "ada", n: 41 })),
        { rowMode: "array" }
      )
      assert.deepStrictEqual(
        result.rows.map((row) => [row[0], Number(row[1])]),
        [["ada", 42]]
      )
    })
  )
})
