/**
 * Stage-bound array INSERTs (query-request `bindStage`, as snowflake-sdk and gosnowflake send them
 * above their bind threshold) into a column with a declared length: a longer value fails the
 * statement as Snowflake's bind load does — `User character length limit (n) exceeded by string`,
 * 100074 / 54000, with the bind file and line (gosnowflake#470) — and nothing is inserted.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Emulator } from "../../../src/emulator/index.js"
import { rows, sqlSession, upload } from "./client.js"

const CREATE_BIND_STAGE =
  "CREATE OR REPLACE TEMPORARY STAGE SYSTEM$BIND file_format=( type=csv field_optionally_enclosed_by='\"')"

describe("stage binds and declared string lengths", () => {
  it.scopedLive("a longer value is 100074 naming the bind file and line; n characters fit", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ storage: "local" })
      const sql = yield* sqlSession(emulator.url)
      yield* rows(sql, "CREATE TABLE t (id NUMBER, s VARCHAR(3))")
      yield* rows(sql, CREATE_BIND_STAGE)
      const insert = (uuid: string) =>
        sql("INSERT INTO t VALUES (?, ?)", { bindStage: `@SYSTEM$BIND/${uuid}` })

      const bad = crypto.randomUUID()
      yield* upload(sql, `@SYSTEM$BIND/${bad}`, "1", "1,abc\n2,abcd\n3,x\n", false)
      const failed = yield* insert(bad)
      assert.isFalse(failed.success)
      assert.deepStrictEqual([failed.code, failed.data.sqlState], ["100074", "54000"])
      assert.include(failed.message ?? "", "User character length limit (3) exceeded by string 'abcd'")
      assert.include(failed.message ?? "", `File 'system$bind/${bad}/1', line 2, character 3`)
      assert.deepStrictEqual(yield* rows(sql, "SELECT COUNT(*) AS n FROM t"), [{ N: "0" }])

      // characters, not bytes
      const good = crypto.randomUUID()
      yield* upload(sql, `@SYSTEM$BIND/${good}`, "1", "1,üüü\n2,😀😀😀\n", false)
      const inserted = yield* insert(good)
      assert.isTrue(inserted.success, inserted.message ?? "")
      assert.deepStrictEqual(yield* rows(sql, "SELECT s FROM t ORDER BY id"), [{ S: "üüü" }, { S: "😀😀😀" }])
    })
  )
})
