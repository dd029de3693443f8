import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Query from "../../src/sql/Query.js"
import { withClient } from "./support.js"

describe("client ↔ emulator smoke", () => {
  it.scopedLive("logs in and runs a query", () =>
    Effect.gen(function* () {
      const { sf } = yield* withClient()
      const result = yield* sf.execute(Query.make("SELECT 1 AS ONE, 'x' AS TXT"))
      assert.deepStrictEqual(
        result.rows.map((r) => [Number(r.ONE), r.TXT]),
        [[1, "x"]]
      )
      assert.strictEqual(result.columns.length, 2)
      assert.strictEqual(result.rowCount, 1)
      assert.isString(result.queryId)
    })
  )
})
