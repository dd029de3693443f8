/**
 * A TEMPORARY file format is its session's own, as in Snowflake: another session neither sees,
 * uses nor drops it, and it hides a permanent format of the same name in its own session.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Emulator } from "../../../src/emulator/index.js"
import { openSession, rows } from "./client.js"

describe("temporary file formats", () => {
  it.scopedLive("belong to their session and hide a permanent one there", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({})
      const first = yield* openSession(emulator.url)
      const second = yield* openSession(emulator.url)
      yield* rows(first.sql, "CREATE FILE FORMAT shared TYPE = CSV")
      yield* rows(first.sql, "CREATE TEMPORARY FILE FORMAT mine TYPE = JSON")
      yield* rows(first.sql, "CREATE TEMP FILE FORMAT shared TYPE = PARQUET")
      const shown = (sql: typeof first.sql) =>
        Effect.map(rows(sql, "SHOW FILE FORMATS"), (r) => r.map((f) => [f.name, f.type]).sort())
      assert.deepStrictEqual(yield* shown(first.sql), [
        ["MINE", "JSON"],
        ["SHARED", "PARQUET"]
      ])
      assert.deepStrictEqual(yield* shown(second.sql), [["SHARED", "CSV"]])
      // the other session cannot use it, nor drop it
      yield* rows(second.sql, "CREATE TABLE t (v VARIANT)")
      const used = yield* second.sql("COPY INTO t FROM @~ FILE_FORMAT = (FORMAT_NAME = mine)")
      assert.isFalse(used.success)
      assert.include(used.message ?? "", "MINE' does not exist")
      assert.isFalse((yield* second.sql("DROP FILE FORMAT mine")).success)
      // dropping in the first session drops its temporary one first, then the permanent one shows
      yield* rows(first.sql, "DROP FILE FORMAT shared")
      assert.deepStrictEqual(yield* shown(first.sql), [
        ["MINE", "JSON"],
        ["SHARED", "CSV"]
      ])
    })
  )
})
