import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { withStages } from "./support.js"

describe("Ingestion.bulkInsert against the emulator (GCS stage, encrypted)", () => {
  it.scopedLive(
    "tables named as SQL writes them (qualified, quoted); record keys find their columns whatever the case",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE SCHEMA other")
        // "lower" is how pandas and dbt create columns: quoted, lower-case
        yield* sf.execute(
          `CREATE TABLE other."My Table" ("Mixed Case" NUMBER, plain VARCHAR, "lower" VARCHAR)`
        )
        for (const format of ["csv", "json", "parquet"] as const) {
          const loaded = yield* ingestion.bulkInsert(
            'other."My Table"',
            [{ "Mixed Case": 1, Plain: format, lower: "y" }],
            { format }
          )
          assert.strictEqual(loaded.rowsLoaded, 1, format)
        }
        const rows = (yield* sf.execute(`SELECT * FROM other."My Table" ORDER BY plain`)).rows
        assert.deepStrictEqual(
          rows.map((r) => [r["Mixed Case"], r.PLAIN, r.lower]),
          [
            [1n, "csv", "y"],
            [1n, "json", "y"],
            [1n, "parquet", "y"]
          ]
        )
        // a key that names no column fails before anything is uploaded, naming it and the columns
        for (const format of ["csv", "json", "parquet"] as const) {
          const error = yield* Effect.flip(
            ingestion.bulkInsert('other."My Table"', [{ "Mixed Case": 2, plian: "typo" }], { format })
          )
          assert.strictEqual(error._tag, "DataError")
          assert.include(
            error.message,
            'record key "plian" matches no column (columns: Mixed Case, PLAIN, lower)'
          )
        }
        // a later record with a key the first lacks would lose that field: it fails the load
        for (const format of ["csv", "json", "parquet"] as const) {
          const records = Stream.range(1, 5000).pipe(
            Stream.map((i) =>
              i === 4321 ? { plain: "p", lower: "l", extra: i } : { plain: "p", lower: "l" }
            )
          )
          const error = yield* Effect.flip(ingestion.bulkInsert('other."My Table"', records, { format }))
          assert.strictEqual(error._tag, "DataError", format)
          assert.include(error.message, 'record 4321 has key "extra", which the first record has not')
          // with the columns chosen, other keys are left out on purpose
          const chosen = yield* ingestion.bulkInsert('other."My Table"', records, {
            format,
            columns: ["plain", "lower"]
          })
          assert.strictEqual(chosen.rowsLoaded, 5000, format)
        }
        yield* sf.execute(`DELETE FROM other."My Table" WHERE plain = 'p'`)
        assert.deepStrictEqual((yield* sf.execute(`LIST @other.%"My Table"`)).rows, [])
        const missing = yield* Effect.flip(ingestion.bulkInsert("no_such_table", [{ a: 1 }]))
        assert.include(missing.message, "NO_SUCH_TABLE")
      }),
    60_000
  )

  it.scopedLive(
    "CSV from a stream and JSON from an array: every record arrives, values intact",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE people (id NUMBER, name VARCHAR, note VARCHAR)")
        const records = Stream.range(1, 300).pipe(
          Stream.map((id) => ({ id, name: `person, "${id}"`, note: id % 10 === 0 ? null : `n${id}` }))
        )
        const csv = yield* ingestion.bulkInsert("people", records, { format: "csv" })
        assert.deepStrictEqual(
          [csv.recordsSent, csv.rowsLoaded, csv.rejected, csv.filesProcessed],
          [300, 300, 0, 1]
        )
        const json = yield* ingestion.bulkInsert(
          "people",
          [
            { id: 1000, name: "json 'one'", note: null },
            { id: 1001, name: "two", note: "x" }
          ],
          { format: "json" }
        )
        assert.deepStrictEqual([json.recordsSent, json.rowsLoaded], [2, 2])
        const check = yield* sf.execute(
          "SELECT COUNT(*) AS n, COUNT(note) AS notes, MAX(CASE WHEN id = 7 THEN name END) AS seven, MAX(CASE WHEN id = 1000 THEN name END) AS j FROM people"
        )
        const row = check.rows[0]!
        assert.strictEqual(Number(row.N), 302)
        assert.strictEqual(Number(row.NOTES), 300 - 30 + 1)
        assert.strictEqual(row.SEVEN, 'person, "7"')
        assert.strictEqual(row.J, "json 'one'")
        // PURGE: the table stage is empty again
        const left = yield* sf.execute("LIST @%people")
        assert.strictEqual(left.rows.length, 0)
      }),
    60_000
  )

  it.scopedLive(
    "every string comes back exactly, in each format: backslashes, \\N, NULL, quotes, delimiters, line breaks, empty",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        const texts = [
          "C:\\path\\to",
          "\\N",
          "\\",
          "ends with \\",
          "NULL",
          "null",
          'say "hi"',
          '"',
          "a,b",
          "line\nbreak",
          "cr\r\nlf",
          "",
          " padded ",
          "tab\there",
          "naïve 日本 😀"
        ]
        const records = [...texts.map((text, i) => ({ id: i, text })), { id: texts.length, text: null }]
        for (const format of ["csv", "json", "parquet"] as const) {
          const table = `texts_${format}`
          yield* sf.execute(`CREATE TABLE ${table} (id NUMBER, text VARCHAR)`)
          const loaded = yield* ingestion.bulkInsert(table, records, { format })
          assert.strictEqual(loaded.rowsLoaded, records.length, format)
          const back = yield* sf.execute(`SELECT id, text FROM ${table} ORDER BY id`)
          assert.deepStrictEqual(
            back.rows.map((r) => r.TEXT),
            records.map((r) => r.text),
            format
          )
        }
      }),
    60_000
  )

  it.scopedLive(
    "bad records are reported with file, line and error (CONTINUE), or fail the load (default)",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE nums (id NUMBER, label VARCHAR)")
        const records = [
          { id: 1, label: "a" },
          { id: "not a number", label: "b" },
          { id: 3, label: "c" }
        ]
        const result = yield* ingestion.bulkInsert("nums", records, { onError: "CONTINUE" })
        assert.deepStrictEqual([result.recordsSent, result.rowsLoaded, result.rejected], [3, 2, 1])
        const file = result.results[0]!
        assert.strictEqual(file.errorsSeen, 1)
        assert.strictEqual(file.firstErrorLine, 2)
        assert.isString(file.firstError)
        assert.match(file.file, /bulk_.*\.csv\.gz$/)
        assert.deepStrictEqual(
          result.rejectedRecords.map((r) => [r.index, r.line, r.error, r.columnName]),
          [[1, 2, "Numeric value 'not a number' is not recognized", '"NUMS"["ID":1]']]
        )
        const failed = yield* ingestion.bulkInsert("nums", records).pipe(Effect.flip)
        assert.notStrictEqual(failed._tag, "StageUploadError")
        const count = yield* sf.execute("SELECT COUNT(*) AS n FROM nums")
        assert.strictEqual(Number(count.rows[0]!.N), 2)
      }),
    60_000
  )

  it.scopedLive(
    "every rejected record is named by its index in the input, across several files, in each format",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE spread (id NUMBER, label VARCHAR NOT NULL)")
        // a NULL label every 997 records (Parquet can write it, the table refuses it), and a
        // multi-line label (one record, two lines) every 500: record numbers are not line numbers
        const bad = (i: number) => i % 997 === 5
        const records = Stream.range(0, 19_999).pipe(
          Stream.map((i) => ({ id: i, label: bad(i) ? null : i % 500 === 0 ? `two\nlines ${i}` : `l${i}` }))
        )
        const expected = Array.from({ length: 20_000 }, (_, i) => i).filter(bad)
        for (const format of ["csv", "json", "parquet"] as const) {
          yield* sf.execute("TRUNCATE TABLE spread")
          const load = (maxRejectedRecords?: number) =>
            ingestion.bulkInsert("spread", records, {
              format,
              onError: "CONTINUE",
              // several CSV and JSON files (Parquet files end at row groups of 65,536: one here)
              fileSize: 32 * 1024,
              maxRejectedRecords
            })
          const result = yield* load()
          if (format !== "parquet") assert.isAbove(result.results.length, 2, format)
          assert.strictEqual(result.rejected, expected.length, format)
          assert.deepStrictEqual(
            result.rejectedRecords.map((r) => r.index),
            expected,
            format
          )
          for (const r of result.rejectedRecords) {
            assert.strictEqual(r.error, "NULL result in a non-nullable column", format)
            assert.strictEqual(r.columnName, '"SPREAD"["LABEL":2]', format)
          }
          // at most maxRejectedRecords, the first ones
          const capped = yield* load(2)
          assert.deepStrictEqual(
            capped.rejectedRecords.map((r) => r.index),
            expected.slice(0, 2),
            format
          )
        }
        // nothing is left on the table's stage
        const left = yield* sf.execute("LIST @%spread")
        assert.strictEqual(left.rows.length, 0)
      }),
    120_000
  )

  it.scopedLive(
    "a load that stops at a bad record (ABORT_STATEMENT, the default) says which record of the input it is",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE strict (id NUMBER, label VARCHAR NOT NULL)")
        // one NULL label, in a later file; multi-line labels before it (records are not lines)
        const records = Stream.range(0, 19_999).pipe(
          Stream.map((i) => ({
            id: i,
            label: i === 13_337 ? null : i % 500 === 0 ? `two\nlines ${i}` : `l${i}`
          }))
        )
        for (const format of ["csv", "json", "parquet"] as const) {
          const error = yield* ingestion
            .bulkInsert("strict", records, { format, fileSize: 32 * 1024 })
            .pipe(Effect.flip)
          assert.strictEqual(error._tag, "DataError", format)
          assert.include(error.message, "NULL result in a non-nullable column", format)
          assert.include(error.message, "the record at index 13337 (0-based)", format)
        }
        const count = yield* sf.execute("SELECT COUNT(*) AS n FROM strict")
        assert.strictEqual(Number(count.rows[0]!.N), 0)
      }),
    120_000
  )

  it.scopedLive(
    "Parquet: column types from the table (null first values, scaled numbers, dates), values intact",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute(
          "CREATE TABLE typed (id NUMBER, price NUMBER(10,2), ok BOOLEAN, ratio DOUBLE, label VARCHAR, day DATE, ts TIMESTAMP_NTZ)"
        )
        const records = Stream.range(1, 1000).pipe(
          Stream.map((id) => ({
            id,
            // the first record has nulls: the types cannot come from it
            price: id === 1 ? null : id + 0.25,
            ok: id === 1 ? null : id % 2 === 0,
            ratio: id / 8,
            label: id === 1 ? null : `label "${id}", ünïcode`,
            day: "2024-02-29",
            ts: new Date(Date.UTC(2024, 0, 1, 0, 0, id))
          }))
        )
        const result = yield* ingestion.bulkInsert("typed", records, { format: "parquet" })
        assert.deepStrictEqual([result.recordsSent, result.rowsLoaded, result.rejected], [1000, 1000, 0])
        assert.match(result.results[0]!.file, /bulk_.*\.parquet$/)
        const check = yield* sf.execute(
          `SELECT COUNT(*) AS n, SUM(id) AS ids, SUM(price)::DOUBLE AS prices, COUNT_IF(ok) AS oks, SUM(ratio) AS ratios,
             MAX(CASE WHEN id = 7 THEN label END) AS seven, COUNT(label) AS labels,
             MIN(day) AS day, MAX(ts) AS ts FROM typed`
        )
        const row = check.rows[0]!
        assert.strictEqual(Number(row.N), 1000)
        assert.strictEqual(Number(row.IDS), 500_500)
        assert.strictEqual(Number(row.PRICES), 500_500 - 1 + 999 * 0.25)
        assert.strictEqual(Number(row.OKS), 500)
        assert.strictEqual(Number(row.RATIOS), 500_500 / 8)
        assert.strictEqual(row.SEVEN, 'label "7", ünïcode')
        assert.strictEqual(Number(row.LABELS), 999)
        assert.strictEqual(String(row.DAY).slice(0, 10), "2024-02-29")
        assert.strictEqual(new Date(String(row.TS)).getTime(), Date.UTC(2024, 0, 1, 0, 16, 40))
        // a value that does not fit its column's Parquet type fails typed, before anything loads
        const unfit = yield* ingestion
          .bulkInsert("typed", [{ id: 1 }, { id: "one" }], { format: "parquet" })
          .pipe(Effect.flip)
        assert.strictEqual(unfit._tag, "ExportError")
        assert.match(unfit.message, /ID/)
        const after = yield* sf.execute("SELECT COUNT(*) AS n FROM typed")
        assert.strictEqual(Number(after.rows[0]!.N), 1000)
      }),
    60_000
  )
})
