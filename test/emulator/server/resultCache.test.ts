import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { Emulator, type EmulatorHandle } from "../../../src/emulator/index.js"
import { login, queryToEnd } from "./wire.js"

interface Answer {
  readonly queryId: string
  readonly total: number
  readonly rowset: ReadonlyArray<ReadonlyArray<string | null>>
  readonly chunks?: ReadonlyArray<{ readonly url: string; readonly rowCount: number }>
}

const sql = (url: string, token: string, sqlText: string) =>
  Effect.map(queryToEnd(url, token, { sqlText }), (a) => {
    if (!a.json.success) throw new Error(`${sqlText}: ${a.json.code} ${a.json.message}`)
    return a.json.data as unknown as Answer
  })

/** How many times the engine really ran this text (a reused result still gets its own query id). */
const runs = (emulator: EmulatorHandle, text: string) =>
  emulator.history().filter((q) => q.sqlText === text && !q.reusedResult).length

describe("persisted query results (USE_CACHED_RESULT)", () => {
  it.scopedLive("a repeated SELECT is answered from the stored result until a table changes", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ chunkRows: 100, inlineRows: 10 })
      const { token } = yield* login(emulator.url)
      yield* sql(emulator.url, token, "CREATE TABLE T (ID INT)")
      yield* sql(emulator.url, token, "INSERT INTO T SELECT seq4() FROM TABLE(GENERATOR(ROWCOUNT => 1000))")
      const select = "SELECT ID FROM T ORDER BY ID"
      const first = yield* sql(emulator.url, token, select)
      const second = yield* sql(emulator.url, token, select)
      // The same rows and chunk sizes, but each answer is its own query with its own chunk URLs.
      assert.notStrictEqual(second.queryId, first.queryId)
      assert.deepStrictEqual(second.rowset, first.rowset)
      assert.deepStrictEqual(
        second.chunks?.map((c) => c.rowCount),
        first.chunks?.map((c) => c.rowCount)
      )
      assert.notStrictEqual(second.chunks?.[0]?.url, first.chunks?.[0]?.url)
      assert.strictEqual(second.total, 1000)
      assert.strictEqual(runs(emulator, select), 1)

      yield* sql(emulator.url, token, "INSERT INTO T VALUES (5000)")
      const afterInsert = yield* sql(emulator.url, token, select)
      assert.strictEqual(afterInsert.total, 1001)
      assert.strictEqual(runs(emulator, select), 2)
    })
  )

  it.scopedLive("volatile functions and USE_CACHED_RESULT = FALSE are never answered from the cache", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({})
      const { token } = yield* login(emulator.url)
      const random = "SELECT RANDOM() AS R"
      const a = yield* sql(emulator.url, token, random)
      const b = yield* sql(emulator.url, token, random)
      assert.notDeepEqual(a.rowset, b.rowset)

      yield* sql(emulator.url, token, "CREATE TABLE U (X INT)")
      yield* sql(emulator.url, token, "ALTER SESSION SET USE_CACHED_RESULT = FALSE")
      const count = "SELECT COUNT(*) AS N FROM U"
      const c = yield* sql(emulator.url, token, count)
      const d = yield* sql(emulator.url, token, count)
      assert.deepStrictEqual(c.rowset, d.rowset)
      assert.strictEqual(runs(emulator, count), 2)
    })
  )
})
