/**
 * Declared string lengths (VARCHAR(n), CHAR(n), STRING(n), …) on the emulator, through the client
 * over HTTP: kept for the table's life, described as Snowflake describes them, and enforced with
 * Snowflake's errors (fakesnow accepts any length: tekumara/fakesnow#37).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { withClient } from "../../integration/support.js"

const TABLE = `CREATE TABLE people (name VARCHAR(10), initial CHAR, code STRING(3), note TEXT, n NUMBER)`

describe("emulator: declared string lengths", () => {
  it.scopedLive("DESCRIBE, SHOW COLUMNS and INFORMATION_SCHEMA.COLUMNS report them", () =>
    Effect.gen(function* () {
      const { sf } = yield* withClient()
      yield* sf.execute(TABLE)
      const described = (yield* sf.execute("DESCRIBE TABLE people")).rows.map((r) => [r.name, r.type])
      assert.deepStrictEqual(described, [
        ["NAME", "VARCHAR(10)"],
        ["INITIAL", "VARCHAR(1)"],
        ["CODE", "VARCHAR(3)"],
        ["NOTE", "VARCHAR(16777216)"],
        ["N", "NUMBER(38,0)"]
      ])
      const shown = (yield* sf.execute("SHOW COLUMNS IN TABLE people")).rows
      assert.strictEqual(
        shown.find((r) => r.column_name === "NAME")?.data_type,
        '{"type":"TEXT","length":10,"byteLength":40,"nullable":true,"fixed":false}'
      )
      const info = yield* sf.execute(
        `SELECT COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH AS chars, CHARACTER_OCTET_LENGTH AS bytes
         FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'PEOPLE' ORDER BY ORDINAL_POSITION`
      )
      assert.deepStrictEqual(
        info.rows.map((r) => [r.COLUMN_NAME, r.CHARS, r.BYTES]),
        [
          ["NAME", 10n, 40n],
          ["INITIAL", 1n, 4n],
          ["CODE", 3n, 12n],
          ["NOTE", 16777216n, 16777216n],
          ["N", null, null]
        ]
      )
    })
  )

  it.scopedLive(
    "a longer string fails INSERT, UPDATE and CAST (100078); n characters, however many bytes, fit",
    () =>
      Effect.gen(function* () {
        const { sf } = yield* withClient()
        yield* sf.execute(TABLE)
        const tooLong = yield* Effect.flip(
          sf.execute("INSERT INTO people (name) VALUES ('ok'), ('abcdefghijk')")
        )
        assert.deepStrictEqual(
          [tooLong.code, tooLong.sqlState, tooLong.message],
          ["100078", "22000", "String 'abcdefghijk' is too long and would be truncated"]
        )
        const count = (yield* sf.execute("SELECT COUNT(*) AS n FROM people")).rows[0]?.N
        assert.strictEqual(count, 0n)
        // characters, not bytes: 10 letters of 2 bytes and an emoji of 4 (Snowflake counts 10 and 1)
        yield* sf.execute("INSERT INTO people (name, initial) VALUES ('üüüüüüüüüü', '😀')")
        const initial = yield* Effect.flip(sf.execute("INSERT INTO people (initial) VALUES ('ab')"))
        assert.strictEqual(initial.message, "String 'ab' is too long and would be truncated")
        const updated = yield* Effect.flip(sf.execute("UPDATE people SET code = 'abcd'"))
        assert.deepStrictEqual(
          [updated.code, updated.message],
          ["100078", "String 'abcd' is too long and would be truncated"]
        )
        const cast = yield* Effect.flip(sf.execute("SELECT 'abcdef'::VARCHAR(3) AS v"))
        assert.deepStrictEqual(
          [cast.code, cast.message],
          ["100078", "String 'abcdef' is too long and would be truncated"]
        )
        // a long value is quoted by its first 200 characters
        const long = yield* Effect.flip(sf.execute(`INSERT INTO people (name) VALUES ('${"x".repeat(250)}')`))
        assert.strictEqual(long.message, `String '${"x".repeat(200)}...' is too long and would be truncated`)
        const rows = (yield* sf.execute("SELECT name, initial FROM people")).rows
        assert.deepStrictEqual(rows, [{ NAME: "üüüüüüüüüü", INITIAL: "😀" }])
      })
  )

  it.scopedLive("lengths live with the table: RENAME, CREATE OR REPLACE, ADD COLUMN, widening", () =>
    Effect.gen(function* () {
      const { sf } = yield* withClient()
      yield* sf.execute(TABLE)
      yield* sf.execute("ALTER TABLE people RENAME TO folks")
      yield* sf.execute("ALTER TABLE folks RENAME COLUMN name TO full_name")
      const renamed = yield* Effect.flip(sf.execute("INSERT INTO folks (full_name) VALUES ('abcdefghijk')"))
      assert.strictEqual(renamed.code, "100078")
      yield* sf.execute("COMMENT ON COLUMN folks.note IS 'kept'")
      yield* sf.execute("INSERT INTO folks (full_name, note) VALUES ('a', 'b')")
      yield* sf.execute("ALTER TABLE folks ADD COLUMN tag VARCHAR(2)")
      const added = yield* Effect.flip(sf.execute("INSERT INTO folks (tag) VALUES ('abc')"))
      assert.strictEqual(added.code, "100078")
      yield* sf.execute("ALTER TABLE folks ALTER COLUMN tag SET DATA TYPE VARCHAR(5)")
      yield* sf.execute("INSERT INTO folks (tag) VALUES ('abcde')")
      const narrowed = yield* Effect.flip(
        sf.execute("ALTER TABLE folks ALTER COLUMN tag SET DATA TYPE VARCHAR(4)")
      )
      assert.strictEqual(narrowed.code, "040050")
      assert.include(narrowed.message, "cannot change column TAG from type VARCHAR(5) to VARCHAR(4)")
      const described = (yield* sf.execute("DESCRIBE TABLE folks")).rows
      assert.deepStrictEqual(
        described.map((r) => [r.name, r.type, r.comment]),
        [
          ["FULL_NAME", "VARCHAR(10)", null],
          ["INITIAL", "VARCHAR(1)", null],
          ["CODE", "VARCHAR(3)", null],
          ["NOTE", "VARCHAR(16777216)", "kept"],
          ["N", "NUMBER(38,0)", null],
          ["TAG", "VARCHAR(5)", null]
        ]
      )
      assert.strictEqual((yield* sf.execute("SELECT COUNT(*) AS n FROM folks")).rows[0]?.N, 2n)
      yield* sf.execute("CREATE OR REPLACE TABLE folks (full_name VARCHAR)")
      yield* sf.execute(`INSERT INTO folks VALUES ('${"y".repeat(50)}')`)
      yield* sf.execute("DROP TABLE folks")
      yield* sf.execute("CREATE TABLE folks (full_name VARCHAR(2))")
      const recreated = yield* Effect.flip(sf.execute("INSERT INTO folks VALUES ('abc')"))
      assert.strictEqual(recreated.code, "100078")
    })
  )
})
