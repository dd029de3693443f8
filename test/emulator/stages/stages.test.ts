/**
 * Stages against a real emulator over loopback, for the LOCAL_FS and GCS backends: PUT
 * instructions, files written as a driver would (encrypted with node:crypto here, independently
 * of the emulator), LIST, COPY INTO (CSV, JSON, Parquet; ON_ERROR; load history; FILES, PATTERN;
 * PURGE), REMOVE, and named stage DDL.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Emulator } from "../../../src/emulator/index.js"
import { rows, sqlSession, upload } from "./client.js"

const CSV = "id,name,amount\n1,alice,10.5\n2,bob,20\n3,carol,30.25\n"
const BAD_CSV = "id,name,amount\n1,dave,1\n2,erin,notanumber\n3,frank,3\n"

const backends = ["local", "gcs"] as const

for (const storage of backends) {
  describe(`stages on ${storage}`, () => {
    const setup = Effect.gen(function* () {
      const emulator = yield* Emulator.start({ storage })
      const sql = yield* sqlSession(emulator.url)
      yield* rows(sql, "CREATE TABLE t (id NUMBER, name VARCHAR, amount NUMBER(10,2))")
      return { emulator, sql }
    })

    it.scopedLive("PUT answers with transfer instructions of the §9.2 shape", () =>
      Effect.gen(function* () {
        const { sql } = yield* setup
        const answer = yield* sql(
          "PUT 'file:///tmp/data/f1.csv' @~/in AUTO_COMPRESS=FALSE OVERWRITE=TRUE PARALLEL=2"
        )
        assert.isTrue(answer.success)
        const data = answer.data
        assert.strictEqual(data.command, "UPLOAD")
        assert.deepStrictEqual(data.src_locations, ["/tmp/data/f1.csv"])
        assert.strictEqual(data.autoCompress, false)
        assert.strictEqual(data.overwrite, true)
        assert.strictEqual(data.parallel, 2)
        assert.strictEqual(data.sourceCompression, "auto_detect")
        const info = data.stageInfo
        assert.isString(info.region)
        if (storage === "local") {
          assert.strictEqual(info.locationType, "LOCAL_FS")
          assert.isNull(data.encryptionMaterial)
          assert.match(info.location, /users\/TESTER\/in\/$/)
        } else {
          assert.strictEqual(info.locationType, "GCS")
          assert.match(info.location, /^sfc-emulator-stages\/users\/TESTER\/in\/$/)
          assert.match(info.endPoint, /^http:\/\/127\.0\.0\.1:\d+$/)
          assert.isString(info.creds.GCS_ACCESS_TOKEN)
          assert.isTrue(info.isClientSideEncrypted)
          const material = data.encryptionMaterial
          assert.strictEqual(Buffer.from(material.queryStageMasterKey, "base64").length, 16)
          assert.strictEqual(material.queryId, data.queryId)
          // smkId is a raw JSON number above 2^53, as Snowflake sends it
          assert.match(answer.text, /"smkId":\d{16,}[,}]/)
        }
      })
    )

    it.scopedLive("a staged file is listed, loaded by COPY INTO, and removed", () =>
      Effect.gen(function* () {
        const { sql } = yield* setup
        const name = yield* upload(sql, "@%t", "orders.csv", CSV)
        const listed = yield* rows(sql, "LIST @%t")
        assert.strictEqual(listed.length, 1)
        assert.strictEqual(listed[0]!.name, name)
        assert.match(listed[0]!.md5!, /^[0-9a-f]{32}$/)
        assert.isAbove(Number(listed[0]!.size), 0)
        assert.match(listed[0]!.last_modified!, /GMT$/)

        const copy = yield* sql("COPY INTO t FROM @%t FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)")
        assert.isTrue(copy.success, copy.message ?? "")
        assert.strictEqual(copy.data.statementTypeId, 13824)
        const names = (copy.data.rowtype as Array<{ name: string }>).map((c) => c.name)
        assert.deepStrictEqual(names, [
          "file",
          "status",
          "rows_parsed",
          "rows_loaded",
          "error_limit",
          "errors_seen",
          "first_error",
          "first_error_line",
          "first_error_character",
          "first_error_column_name"
        ])
        assert.deepStrictEqual(copy.data.rowset, [
          [name, "LOADED", "3", "3", "1", "0", null, null, null, null]
        ])
        const loaded = yield* rows(sql, "SELECT id, name, amount FROM t ORDER BY id")
        assert.deepStrictEqual(
          loaded.map((r) => [r.ID, r.NAME, r.AMOUNT]),
          [
            ["1", "alice", "10.50"],
            ["2", "bob", "20.00"],
            ["3", "carol", "30.25"]
          ]
        )

        const removed = yield* rows(sql, "REMOVE @%t")
        assert.deepStrictEqual(removed, [{ name, result: "removed" }])
        assert.deepStrictEqual(yield* rows(sql, "LIST @%t"), [])
      })
    )

    it.scopedLive(
      "ON_ERROR: ABORT_STATEMENT loads nothing, CONTINUE the good rows, SKIP_FILE no row of a bad file",
      () =>
        Effect.gen(function* () {
          const { sql } = yield* setup
          const name = yield* upload(sql, "@~/bad", "bad.csv", BAD_CSV)
          const ff = "FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)"

          const aborted = yield* sql(`COPY INTO t FROM @~/bad ${ff}`)
          assert.isFalse(aborted.success)
          assert.strictEqual(aborted.code, "100038")
          assert.match(aborted.message!, /Numeric value 'notanumber' is not recognized/)
          assert.match(aborted.message!, /line 3/)
          assert.deepStrictEqual(yield* rows(sql, "SELECT count(*) AS n FROM t"), [{ N: "0" }])

          const skipped = yield* sql(`COPY INTO t FROM @~/bad ${ff} ON_ERROR = SKIP_FILE`)
          assert.isTrue(skipped.success, skipped.message ?? "")
          assert.deepStrictEqual(skipped.data.rowset[0].slice(0, 6), [
            `bad/${name}`,
            "LOAD_FAILED",
            "3",
            "0",
            "1",
            "1"
          ])
          assert.deepStrictEqual(yield* rows(sql, "SELECT count(*) AS n FROM t"), [{ N: "0" }])

          const continued = yield* sql(`COPY INTO t FROM @~/bad ${ff} ON_ERROR = 'CONTINUE'`)
          assert.isTrue(continued.success, continued.message ?? "")
          assert.deepStrictEqual(continued.data.rowset[0], [
            `bad/${name}`,
            "PARTIALLY_LOADED",
            "3",
            "2",
            "3",
            "1",
            "Numeric value 'notanumber' is not recognized",
            "3",
            "8",
            '"T"["AMOUNT":3]'
          ])
          const loaded = yield* rows(sql, "SELECT name FROM t ORDER BY id")
          assert.deepStrictEqual(
            loaded.map((r) => r.NAME),
            ["dave", "frank"]
          )
        })
    )

    it.scopedLive(
      "load history: a loaded file is skipped unless FORCE = TRUE; a changed file loads again",
      () =>
        Effect.gen(function* () {
          const { sql } = yield* setup
          yield* upload(sql, "@%t", "a.csv", CSV)
          const ff = "FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)"
          assert.strictEqual((yield* sql(`COPY INTO t FROM @%t ${ff}`)).data.rowset[0][1], "LOADED")
          const again = yield* sql(`COPY INTO t FROM @%t ${ff}`)
          assert.deepStrictEqual(again.data.rowset, [["Copy executed with 0 files processed."]])
          assert.deepStrictEqual(
            (again.data.rowtype as Array<{ name: string }>).map((c) => c.name),
            ["status"]
          )
          const forced = yield* sql(`COPY INTO t FROM @%t ${ff} FORCE = TRUE`)
          assert.strictEqual(forced.data.rowset[0][1], "LOADED")
          assert.deepStrictEqual(yield* rows(sql, "SELECT count(*) AS n FROM t"), [{ N: "6" }])
          // same name, new content: a new file for the load history
          yield* upload(sql, "@%t", "a.csv", "id,name,amount\n9,zed,9\n")
          const changed = yield* sql(`COPY INTO t FROM @%t ${ff}`)
          assert.deepStrictEqual(changed.data.rowset[0].slice(1, 4), ["LOADED", "1", "1"])
        })
    )

    it.scopedLive("timestamps with time zone as Snowflake writes them (a space before the offset) load", () =>
      Effect.gen(function* () {
        const { sql } = yield* setup
        yield* rows(sql, "CREATE TABLE zoned (id NUMBER, tz TIMESTAMP_TZ, ltz TIMESTAMP_LTZ)")
        const text = [
          "1,2024-01-02 03:04:05.123 +0530,2024-01-02 03:04:05.123 +0530",
          "2,2024-01-02 03:04:05 -08:00,2024-01-02T03:04:05-08:00",
          "3,2024-01-02T03:04:05Z,  2024-01-02 03:04:05+0000  "
        ].join("\n")
        yield* upload(sql, "@%zoned", "z.csv", `${text}\n`)
        const copied = yield* sql("COPY INTO zoned FROM @%zoned")
        assert.isTrue(copied.success, copied.message ?? "")
        assert.deepStrictEqual(
          yield* rows(
            sql,
            "SELECT id, DATE_PART(epoch_millisecond, tz) AS tz, DATE_PART(epoch_millisecond, ltz) AS ltz FROM zoned ORDER BY id"
          ),
          [
            { ID: "1", TZ: "1704144845123", LTZ: "1704144845123" },
            { ID: "2", TZ: "1704193445000", LTZ: "1704193445000" },
            { ID: "3", TZ: "1704164645000", LTZ: "1704164645000" }
          ]
        )
      })
    )

    it.scopedLive(
      "COPY with a transform over an aliased stage; a Parquet transform over a CSV file fails naming it",
      () =>
        Effect.gen(function* () {
          const { sql } = yield* setup
          yield* upload(sql, "@%t", "a.csv", CSV)
          const copied = yield* sql(
            "COPY INTO t (name, id, amount) FROM (SELECT s.$2, s.$1, s.$3::NUMBER(10,2) + 1 FROM @%t s) FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)"
          )
          assert.isTrue(copied.success, copied.message ?? "")
          assert.deepStrictEqual(yield* rows(sql, "SELECT id, name, amount FROM t ORDER BY id"), [
            { ID: "1", NAME: "alice", AMOUNT: "11.50" },
            { ID: "2", NAME: "bob", AMOUNT: "21.00" },
            { ID: "3", NAME: "carol", AMOUNT: "31.25" }
          ])
          const parquet = yield* sql(
            "COPY INTO t (id) FROM (SELECT $1:id FROM @%t) FILE_FORMAT = (TYPE = PARQUET) FORCE = TRUE"
          )
          assert.isFalse(parquet.success)
          assert.include(parquet.message ?? "", "cannot read Parquet file a.csv.gz")
        })
    )

    it.scopedLive("FILES and PATTERN choose the files; PURGE removes the loaded ones", () =>
      Effect.gen(function* () {
        const { sql } = yield* setup
        yield* rows(sql, "CREATE STAGE s")
        yield* upload(sql, "@s/2024", "jan.csv", "id,name,amount\n1,a,1\n")
        yield* upload(sql, "@s/2024", "feb.csv", "id,name,amount\n2,b,2\n3,c,3\n")
        yield* upload(sql, "@s/2025", "jan.csv", "id,name,amount\n4,d,4\n")
        const ff = "FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)"

        const byFiles = yield* sql(`COPY INTO t FROM @s/2024 FILES = ('feb.csv.gz') ${ff}`)
        assert.deepStrictEqual(
          byFiles.data.rowset.map((r: Array<string>) => [r[0], r[3]]),
          [["s/2024/feb.csv.gz", "2"]]
        )
        const byPattern = yield* sql(`COPY INTO t FROM @s PATTERN = '.*jan[.]csv[.]gz' ${ff} PURGE = TRUE`)
        assert.deepStrictEqual(byPattern.data.rowset.map((r: Array<string>) => r[0]).sort(), [
          "s/2024/jan.csv.gz",
          "s/2025/jan.csv.gz"
        ])
        const left = yield* rows(sql, "LIST @s")
        assert.deepStrictEqual(
          left.map((r) => r.name),
          ["s/2024/feb.csv.gz"]
        )
        const listed = yield* rows(sql, "LIST @s PATTERN = '.*feb.*'")
        assert.strictEqual(listed.length, 1)
        assert.deepStrictEqual(yield* rows(sql, "SELECT count(*) AS n FROM t"), [{ N: "4" }])
      })
    )

    it.scopedLive("JSON and Parquet files load (VARIANT column, MATCH_BY_COLUMN_NAME)", () =>
      Effect.gen(function* () {
        const { sql, emulator } = yield* setup
        yield* rows(sql, "CREATE TABLE j (v VARIANT)")
        yield* upload(sql, "@%j", "docs.json", '{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n')
        const json = yield* sql("COPY INTO j FROM @%j FILE_FORMAT = (TYPE = JSON)")
        assert.isTrue(json.success, json.message ?? "")
        assert.deepStrictEqual(json.data.rowset[0].slice(1, 4), ["LOADED", "2", "2"])
        const docs = yield* rows(sql, "SELECT v:b::string AS b FROM j ORDER BY b")
        assert.deepStrictEqual(
          docs.map((r) => r.B),
          ["x", "y"]
        )

        yield* upload(
          sql,
          "@%t",
          "rows.json",
          '[{"AMOUNT": 5, "Name": "p", "id": 7}, {"id": 8, "name": "q"}]'
        )
        const matched = yield* sql(
          "COPY INTO t FROM @%t FILE_FORMAT = (TYPE = JSON STRIP_OUTER_ARRAY = TRUE) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE"
        )
        assert.isTrue(matched.success, matched.message ?? "")
        const loaded = yield* rows(sql, "SELECT id, name, amount FROM t ORDER BY id")
        assert.deepStrictEqual(
          loaded.map((r) => [r.ID, r.NAME, r.AMOUNT]),
          [
            ["7", "p", "5.00"],
            ["8", "q", null]
          ]
        )
        // CASE_SENSITIVE: only names spelled as the table's match (AMOUNT); the rest load as NULL
        yield* rows(sql, "DELETE FROM t")
        const sensitive = yield* sql(
          "COPY INTO t FROM @%t FILE_FORMAT = (TYPE = JSON STRIP_OUTER_ARRAY = TRUE) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE FORCE = TRUE"
        )
        assert.isTrue(sensitive.success, sensitive.message ?? "")
        assert.deepStrictEqual(
          (yield* rows(sql, "SELECT id, name, amount FROM t ORDER BY amount")).map((r) => [
            r.ID,
            r.NAME,
            r.AMOUNT
          ]),
          [
            [null, null, "5.00"],
            [null, null, null]
          ]
        )

        // a Parquet file made by DuckDB through the emulator itself, then staged
        yield* rows(sql, "REMOVE @%t")
        const parquet = yield* Effect.promise(async () => {
          const { DuckDBInstance } = await import("@duckdb/node-api")
          const db = await DuckDBInstance.create(":memory:")
          const c = await db.connect()
          const { tmpdir } = await import("node:os")
          const file = `${tmpdir()}/effect-sf-test-${process.pid}-${Date.now()}.parquet`
          await c.run(
            `COPY (SELECT 10 + i AS id, 'n' || i AS name, i * 1.5 AS amount FROM range(3) t(i)) TO '${file}' (FORMAT parquet)`
          )
          c.closeSync()
          const fs = await import("node:fs/promises")
          const body = await fs.readFile(file)
          await fs.rm(file)
          return body
        })
        yield* upload(sql, "@%t", "p.parquet", parquet, false)
        const pq = yield* sql(
          "COPY INTO t FROM @%t FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE"
        )
        assert.isTrue(pq.success, pq.message ?? "")
        assert.deepStrictEqual(pq.data.rowset[0].slice(1, 4), ["LOADED", "3", "3"])
        // the file's names are lower-case, the table's upper-case: CASE_SENSITIVE matches none (3 NULL rows, and the JSON load's one)
        const pqSensitive = yield* sql(
          "COPY INTO t FROM @%t FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE FORCE = TRUE"
        )
        assert.isTrue(pqSensitive.success, pqSensitive.message ?? "")
        assert.deepStrictEqual(
          yield* rows(
            sql,
            "SELECT count(*) AS n, count(id) AS ids, count(name) AS names FROM t WHERE amount IS NULL"
          ),
          [{ N: "4", IDS: "0", NAMES: "0" }]
        )
        const fromParquet = yield* rows(sql, "SELECT name, amount FROM t WHERE id >= 10 ORDER BY id")
        assert.deepStrictEqual(
          fromParquet.map((r) => [r.NAME, r.AMOUNT]),
          [
            ["n0", "0.00"],
            ["n1", "1.50"],
            ["n2", "3.00"]
          ]
        )
        assert.strictEqual(emulator.storage, storage)
      })
    )

    it.scopedLive("named stages: CREATE, SHOW STAGES, DROP; a missing stage is an error", () =>
      Effect.gen(function* () {
        const { sql } = yield* setup
        const created = yield* rows(
          sql,
          "CREATE STAGE my_stage FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1) COMMENT = 'raw'"
        )
        assert.deepStrictEqual(created, [{ status: "Stage area MY_STAGE successfully created." }])
        const dup = yield* sql("CREATE STAGE my_stage")
        assert.strictEqual(dup.code, "002002")
        yield* rows(sql, "CREATE STAGE IF NOT EXISTS my_stage")
        const shown = yield* rows(sql, "SHOW STAGES LIKE 'MY%'")
        assert.strictEqual(shown.length, 1)
        assert.strictEqual(shown[0]!.name, "MY_STAGE")
        assert.strictEqual(shown[0]!.comment, "raw")
        assert.strictEqual(shown[0]!.type, "INTERNAL")
        // the stage's file format is the default for COPY INTO
        yield* upload(sql, "@my_stage", "x.csv", CSV)
        const copy = yield* sql("COPY INTO t FROM @my_stage")
        assert.deepStrictEqual(copy.data.rowset[0].slice(0, 4), ["my_stage/x.csv.gz", "LOADED", "3", "3"])
        yield* rows(sql, "DROP STAGE my_stage")
        const missing = yield* sql("LIST @my_stage")
        assert.strictEqual(missing.code, "002003")
        assert.match(missing.message!, /Stage 'EMULATOR.PUBLIC.MY_STAGE' does not exist/)
        const dropAgain = yield* rows(sql, "DROP STAGE IF EXISTS my_stage")
        assert.strictEqual(dropAgain.length, 1)
      })
    )
  })
}
