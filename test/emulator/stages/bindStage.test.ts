/**
 * Stage binding (query-request `bindStage`, PROTOCOL.md §5.2) against a real emulator over
 * loopback, on LOCAL_FS and GCS: snowflake-sdk's exact CREATE TEMPORARY STAGE and PUT statements,
 * bind files written here by hand (gzip and plain, encrypted on GCS), the statement run once per
 * record, and the errors for broken files. The sdk itself is in test/conformance/stageBinds.test.ts.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Emulator } from "../../../src/emulator/index.js"
import { openSession, rows, type Sql, sqlSession, upload } from "./client.js"

/** What snowflake-sdk 3.3.0 sends (connection/bind_uploader.js). */
const CREATE_BIND_STAGE =
  "CREATE OR REPLACE TEMPORARY STAGE SYSTEM$BIND file_format=( type=csv field_optionally_enclosed_by='\"')"
const sdkPut = (file: string, uuid: string) =>
  `PUT file://${file}'@SYSTEM$BIND/${uuid}' overwrite=true auto_compress=false source_compression=gzip`

/** Puts bind files under `@SYSTEM$BIND/<uuid>/` as the driver would (gzip'ed or not). */
const bindFiles = (sql: Sql, uuid: string, files: ReadonlyArray<readonly [string, string, boolean?]>) =>
  Effect.forEach(
    files,
    ([name, text, gzip]) => upload(sql, `@SYSTEM$BIND/${uuid}`, name, text, gzip === true),
    {
      discard: true
    }
  )

const failure = (sql: Sql, sqlText: string, extra: Record<string, unknown>) =>
  Effect.map(sql(sqlText, extra), (answer) => {
    assert.isFalse(answer.success, `${sqlText} should fail`)
    return { code: answer.code, message: answer.message ?? "" }
  })

for (const storage of ["local", "gcs"] as const) {
  describe(`stage binds on ${storage}`, () => {
    const setup = Effect.gen(function* () {
      const emulator = yield* Emulator.start({ storage })
      const sql = yield* sqlSession(emulator.url)
      yield* rows(sql, "CREATE TABLE t (id NUMBER, s VARCHAR, n NUMBER(10,2))")
      yield* rows(sql, CREATE_BIND_STAGE)
      return { emulator, sql }
    })

    it.scopedLive(
      "the sdk's CREATE TEMPORARY STAGE SYSTEM$BIND and its PUT (no space before the quote) parse",
      () =>
        Effect.gen(function* () {
          const { sql } = yield* setup
          const created = yield* rows(sql, CREATE_BIND_STAGE)
          assert.deepStrictEqual(created, [{ status: "Stage area SYSTEM$BIND successfully created." }])
          const shown = yield* rows(sql, "SHOW STAGES LIKE 'SYSTEM%'")
          assert.strictEqual(shown[0]?.type, "INTERNAL TEMPORARY")
          const uuid = crypto.randomUUID()
          const put = yield* sql(sdkPut("1", uuid))
          assert.isTrue(put.success, put.message ?? "")
          assert.strictEqual(put.data.command, "UPLOAD")
          assert.deepStrictEqual(put.data.src_locations, ["1"])
          assert.strictEqual(put.data.overwrite, true)
          assert.strictEqual(put.data.autoCompress, false)
          assert.strictEqual(put.data.sourceCompression, "gzip")
          // the stage's files are the session's own, under a plain `$` (the sdk does not encode URLs)
          assert.match(
            put.data.stageInfo.location,
            new RegExp(`temp/\\d+/EMULATOR/PUBLIC/SYSTEM\\$BIND/${uuid}/$`)
          )
        })
    )

    it.scopedLive("runs the statement once per record of every file, files in name order, gzip or not", () =>
      Effect.gen(function* () {
        const { sql } = yield* setup
        const uuid = crypto.randomUUID()
        yield* bindFiles(sql, uuid, [
          ["10", '5,"ten, with ""quotes""",1.5\n', true],
          ["2", '3,"two\nlines",\n4,,0\n'],
          ["1", '1,"",2\n2,plain,\n', true]
        ])
        const inserted = yield* sql("INSERT INTO t VALUES (?, ?, ?)", { bindStage: `@SYSTEM$BIND/${uuid}` })
        assert.isTrue(inserted.success, inserted.message ?? "")
        assert.strictEqual(inserted.data.rowtype[0].name, "number of rows inserted")
        assert.deepStrictEqual(inserted.data.rowset, [["5"]])
        assert.strictEqual(inserted.data.statementTypeId, 0x3100)
        const got = yield* rows(sql, "SELECT id, s, n FROM t ORDER BY id")
        assert.deepStrictEqual(got, [
          { ID: "1", S: "", N: "2.00" },
          { ID: "2", S: "plain", N: null },
          { ID: "3", S: "two\nlines", N: null },
          { ID: "4", S: null, N: "0.00" },
          { ID: "5", S: 'ten, with "quotes"', N: "1.50" }
        ])
      })
    )

    it.scopedLive("numbered markers, a column list, a last blank line (NULL) and other statements", () =>
      Effect.gen(function* () {
        const { sql } = yield* setup
        const a = crypto.randomUUID()
        yield* bindFiles(sql, a, [["1", "x,1\ny,2\n"]])
        const reordered = yield* sql("INSERT INTO t (s, id) VALUES (:1, :2)", {
          bindStage: `@SYSTEM$BIND/${a}`
        })
        assert.deepStrictEqual(reordered.data.rowset, [["2"]])
        // one column: a NULL is an empty line, the last one too
        const b = crypto.randomUUID()
        yield* bindFiles(sql, b, [["1", '""\nz\n\n']])
        const single = yield* sql("INSERT INTO t (s) VALUES (?)", { bindStage: `@SYSTEM$BIND/${b}` })
        assert.deepStrictEqual(single.data.rowset, [["3"]])
        // not a plain VALUES of markers: the engine runs it with the records as binds
        const c = crypto.randomUUID()
        yield* bindFiles(sql, c, [["1", "7,abc\n8,def\n"]])
        const computed = yield* sql("INSERT INTO t (id, s) VALUES (?, UPPER(?))", {
          bindStage: `@SYSTEM$BIND/${c}`
        })
        assert.deepStrictEqual(computed.data.rowset, [["2"]])
        const d = crypto.randomUUID()
        yield* bindFiles(sql, d, [["1", "X!,1\nY!,2\n"]])
        const updated = yield* sql("UPDATE t SET s = ? WHERE id = ?", { bindStage: `@SYSTEM$BIND/${d}` })
        assert.isTrue(updated.success, updated.message ?? "")
        assert.deepStrictEqual(updated.data.rowset, [["2", "0"]])
        const got = yield* rows(sql, "SELECT id, s FROM t ORDER BY id NULLS LAST, s NULLS LAST")
        assert.deepStrictEqual(got, [
          { ID: "1", S: "X!" },
          { ID: "2", S: "Y!" },
          { ID: "7", S: "ABC" },
          { ID: "8", S: "DEF" },
          { ID: null, S: "" },
          { ID: null, S: "z" },
          { ID: null, S: null }
        ])
      })
    )

    it.scopedLive(
      "broken files and wrong values are SQL errors naming the file and line; nothing is inserted",
      () =>
        Effect.gen(function* () {
          const { sql } = yield* setup
          const bind = (uuid: string) => ({ bindStage: `@SYSTEM$BIND/${uuid}` })
          const insert = "INSERT INTO t VALUES (?, ?, ?)"

          const count = crypto.randomUUID()
          yield* bindFiles(sql, count, [["1", "1,a,1\n2,b\n3,c,3\n"]])
          const mismatch = yield* failure(sql, insert, bind(count))
          assert.strictEqual(mismatch.code, "100080")
          assert.match(
            mismatch.message,
            /Number of columns in file \(2\) does not match the number of bind variables \(3\)/
          )
          assert.match(mismatch.message, new RegExp(`File 'system\\$bind/${count}/1', line 2, character 1`))

          const unclosed = crypto.randomUUID()
          yield* bindFiles(sql, unclosed, [["1", '1,a,1\n2,"never closed,2\n']])
          const open = yield* failure(sql, insert, bind(unclosed))
          assert.strictEqual(open.code, "100065")
          assert.match(open.message, /End of file reached while looking for the closing " of a field/)
          assert.match(open.message, /line 2, character 3/)

          const stray = crypto.randomUUID()
          yield* bindFiles(sql, stray, [["1", '1,"a"b,1\n']])
          const after = yield* failure(sql, insert, bind(stray))
          assert.strictEqual(after.code, "100065")
          assert.match(after.message, /Found character 'b' instead of field delimiter ','/)

          const typed = crypto.randomUUID()
          yield* bindFiles(sql, typed, [
            ["1", "1,a,1\n"],
            ["2", "2,b,2\n3,c,not-a-number\n"]
          ])
          const value = yield* failure(sql, insert, bind(typed))
          assert.strictEqual(value.code, "100038")
          assert.match(value.message, /Numeric value 'not-a-number' is not recognized/)
          assert.match(value.message, new RegExp(`File 'system\\$bind/${typed}/2', line 2, character 5`))
          assert.match(value.message, /column "T"\["N":3\]/)

          const nothing = yield* failure(sql, insert, bind(crypto.randomUUID()))
          assert.strictEqual(nothing.code, "002003")
          assert.match(nothing.message, /has no files/)

          const noStage = yield* failure(sql, insert, { bindStage: "@NO_SUCH_STAGE/x" })
          assert.match(noStage.message, /Stage 'EMULATOR.PUBLIC.NO_SUCH_STAGE' does not exist/)

          assert.deepStrictEqual(yield* rows(sql, "SELECT COUNT(*) AS n FROM t"), [{ N: "0" }])
        })
    )

    it.scopedLive("a temporary stage is its session's own and goes with it", () =>
      Effect.gen(function* () {
        const dir = yield* Effect.acquireRelease(
          Effect.promise(() => fs.mkdtemp(nodePath.join(os.tmpdir(), "effect-sf-bind-"))),
          (d) => Effect.promise(() => fs.rm(d, { recursive: true, force: true }))
        )
        const emulator = yield* Emulator.start({ storage, stageDir: dir })
        const first = yield* openSession(emulator.url)
        const second = yield* openSession(emulator.url)
        yield* rows(first.sql, "CREATE TABLE t (id NUMBER)")
        yield* rows(first.sql, CREATE_BIND_STAGE)
        const uuid = crypto.randomUUID()
        yield* bindFiles(first.sql, uuid, [["1", "1\n2\n"]])
        // another connection's CREATE OR REPLACE does not touch the first one's files
        yield* rows(second.sql, CREATE_BIND_STAGE)
        assert.deepStrictEqual(yield* rows(second.sql, "LIST @SYSTEM$BIND"), [])
        assert.strictEqual((yield* rows(first.sql, "LIST @SYSTEM$BIND")).length, 1)
        const inserted = yield* first.sql("INSERT INTO t VALUES (?)", { bindStage: `@SYSTEM$BIND/${uuid}` })
        assert.deepStrictEqual(inserted.data.rowset, [["2"]])
        const stolen = yield* second.sql("INSERT INTO t VALUES (?)", { bindStage: `@SYSTEM$BIND/${uuid}` })
        assert.match(stolen.message ?? "", /has no files/)
        yield* first.logout
        const missing = yield* second.sql("SHOW STAGES")
        assert.strictEqual(missing.data.rowset.length, 1)
        if (storage === "local") {
          const left = yield* Effect.promise(() =>
            fs
              .readdir(dir, { recursive: true })
              .then((names) => names.filter((n) => n.endsWith(nodePath.join(uuid, "1"))))
          )
          assert.deepStrictEqual(left, [])
        }
      })
    )
  })
}
