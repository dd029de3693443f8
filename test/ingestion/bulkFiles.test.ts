/**
 * bulkInsert in several files: the records are cut into files of about `fileSize` bytes under one
 * stage directory, loaded by one COPY (so ON_ERROR holds across all of them), and purged after.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { withStages } from "./support.js"

describe("Ingestion.bulkInsert in several files", () => {
  it.scopedLive(
    "20,000 records in 64 KiB files: every record once, one result per file, stage empty after",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE many (id NUMBER, label VARCHAR)")
        const records = Stream.range(1, 20_000).pipe(Stream.map((id) => ({ id, label: `label, "${id}"` })))
        for (const format of ["csv", "json"] as const) {
          yield* sf.execute("TRUNCATE TABLE many")
          const result = yield* ingestion.bulkInsert("many", records, { format, fileSize: 64 * 1024 })
          assert.strictEqual(result.rowsLoaded, 20_000, format)
          assert.strictEqual(result.recordsSent, 20_000, format)
          assert.isAbove(result.filesProcessed, 3, format)
          assert.strictEqual(result.results.length, result.filesProcessed)
          // one directory, parts in order
          const names = result.results.map((r) => r.file).sort()
          assert.match(names[0]!, new RegExp(`^bulk_[0-9a-f-]{36}/part_00001\\.${format}\\.gz$`))
          assert.strictEqual(new Set(names.map((n) => n.split("/")[0])).size, 1)
          const check = yield* sf.execute(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids, SUM(id) AS total, MAX(CASE WHEN id = 777 THEN label END) AS l FROM many"
          )
          const row = check.rows[0]!
          assert.deepStrictEqual(
            [Number(row.N), Number(row.IDS), Number(row.TOTAL), row.L],
            [20_000, 20_000, (20_000 * 20_001) / 2, 'label, "777"'],
            format
          )
          assert.deepStrictEqual((yield* sf.execute("LIST @%many")).rows, [], "purged")
        }
      }),
    60_000
  )

  it.scopedLive(
    "Parquet: files end at row groups past fileSize, or where NUMBER values outgrow INT64; every value exact",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE typed (id NUMBER, amount NUMBER(38,2), label VARCHAR)")
        const wide = 10n ** 20n + 7n
        // 140,000 records: three row groups of up to 65,536; one value past 18 digits in the second
        const records = Stream.range(0, 139_999).pipe(
          Stream.map((i) => ({ id: i === 70_000 ? wide : i, amount: i / 4, label: `r${i}` }))
        )
        const check = Effect.map(
          sf.execute(
            "SELECT COUNT(*) AS n, SUM(id)::VARCHAR AS ids, SUM(amount)::VARCHAR AS amounts, MAX(id)::VARCHAR AS top, MAX(CASE WHEN id = 139999 THEN label END) AS l FROM typed"
          ),
          (r) => r.rows[0]!
        )
        const ids = (139_999n * 140_000n) / 2n - 70_000n + wide
        for (const [fileSize, files] of [
          [undefined, 2], // the first row group's file is INT64; the wide value starts a second
          [1, 3] // a file per row group
        ] as const) {
          yield* sf.execute("TRUNCATE TABLE typed")
          const result = yield* ingestion.bulkInsert("typed", records, { format: "parquet", fileSize })
          assert.deepStrictEqual(
            [result.rowsLoaded, result.filesProcessed],
            [140_000, files],
            String(fileSize)
          )
          const row = yield* check
          assert.deepStrictEqual(
            [Number(row.N), row.IDS, row.AMOUNTS, row.TOP, row.L],
            [140_000, String(ids), "2449982500.00", String(wide), "r139999"]
          )
          assert.deepStrictEqual((yield* sf.execute("LIST @%typed")).rows, [], "purged")
        }
      }),
    120_000
  )

  it.scopedLive(
    "a bad record in a later file: ABORT_STATEMENT loads no file at all; CONTINUE names that file and line",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE guarded (id NUMBER, label VARCHAR)")
        const records = Array.from({ length: 20_000 }, (_, i) => ({
          id: i === 15_321 ? "not a number" : i,
          label: `row ${i}`
        }))
        const failed = yield* ingestion
          .bulkInsert("guarded", records, { fileSize: 16 * 1024 })
          .pipe(Effect.flip)
        assert.notStrictEqual(failed._tag, "StageUploadError")
        assert.strictEqual(Number((yield* sf.execute("SELECT COUNT(*) AS n FROM guarded")).rows[0]!.N), 0)
        // nothing left behind for a later plain COPY INTO guarded FROM @%guarded to pick up
        assert.deepStrictEqual((yield* sf.execute("LIST @%guarded")).rows, [])

        const result = yield* ingestion.bulkInsert("guarded", records, {
          fileSize: 16 * 1024,
          onError: "CONTINUE"
        })
        assert.deepStrictEqual([result.rowsLoaded, result.rejected], [19_999, 1])
        const bad = result.results.filter((r) => r.errorsSeen > 0)
        assert.strictEqual(bad.length, 1)
        assert.notMatch(bad[0]!.file, /part_00001\./, "the bad record is not in the first file")
        assert.isAbove(bad[0]!.firstErrorLine ?? 0, 0)
        // its line is counted within its own file
        assert.isBelow(bad[0]!.firstErrorLine ?? 0, 15_322)
        assert.deepStrictEqual((yield* sf.execute("LIST @%guarded")).rows, [])
      }),
    60_000
  )

  it.scopedLive(
    "records that fail after some files went up: the source's error, nothing loaded, nothing left in the stage",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE broken (id NUMBER, label VARCHAR)")
        const records = Stream.concat(
          Stream.range(1, 20_000).pipe(Stream.map((id) => ({ id, label: `label ${id}` }))),
          Stream.fail("records broke" as const)
        )
        // in many files, and in one (a typed failure either way, not a defect)
        for (const fileSize of [16 * 1024, undefined]) {
          const error = yield* ingestion.bulkInsert("broken", records, { fileSize }).pipe(Effect.flip)
          assert.strictEqual(error, "records broke")
          assert.strictEqual(Number((yield* sf.execute("SELECT COUNT(*) AS n FROM broken")).rows[0]!.N), 0)
          assert.deepStrictEqual(
            (yield* sf.execute("LIST @%broken")).rows.map((r) => r.name),
            []
          )
        }
      }),
    60_000
  )

  it.scopedLive(
    "interrupted while its files go up: nothing loaded, nothing left on the stage",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE endless (id NUMBER, label VARCHAR)")
        // records without end: the load can only stop by interruption
        const records = Stream.iterate(1, (n) => n + 1).pipe(Stream.map((id) => ({ id, label: `row ${id}` })))
        const fiber = yield* Effect.fork(ingestion.bulkInsert("endless", records, { fileSize: 16 * 1024 }))
        // wait until some files are on the stage
        const listed = Effect.map(sf.execute("LIST @%endless"), (r) => r.rows.length)
        yield* listed.pipe(
          Effect.repeat({ until: (n) => n >= 3, schedule: Schedule.spaced("20 millis") }),
          Effect.timeout("30 seconds")
        )
        yield* Fiber.interrupt(fiber)
        assert.strictEqual(yield* listed, 0)
        assert.strictEqual(Number((yield* sf.execute("SELECT COUNT(*) AS n FROM endless")).rows[0]!.N), 0)
      }),
    60_000
  )

  it.effect("a fileSize that is not a positive number is a typed error, nothing sent", () =>
    Effect.gen(function* () {
      const { ingestion } = yield* withStages("gcs")
      for (const fileSize of [0, -1, Number.NaN]) {
        const error = yield* ingestion.bulkInsert("nowhere", [{ id: 1 }], { fileSize }).pipe(Effect.flip)
        assert.strictEqual(error._tag, "StageUploadError")
        assert.include(error.message, "fileSize must be a positive number of bytes")
      }
    }).pipe(Effect.scoped)
  )
})
