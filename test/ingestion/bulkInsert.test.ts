import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { withStages } from "./support.js"

describe("Ingestion.bulkInsert against the emulator (GCS stage, encrypted)", () => {
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
        const failed = yield* ingestion.bulkInsert("nums", records).pipe(Effect.flip)
        assert.notStrictEqual(failed._tag, "StageUploadError")
        const count = yield* sf.execute("SELECT COUNT(*) AS n FROM nums")
        assert.strictEqual(Number(count.rows[0]!.N), 2)
      }),
    60_000
  )
})
