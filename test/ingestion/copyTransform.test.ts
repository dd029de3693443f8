/**
 * COPY INTO with a transform (`CopyInto.select`), built by the client and run by the emulator:
 * CSV fields and JSON paths picked and computed, METADATA$ columns, ON_ERROR on what the
 * expressions produce, and a column count that does not match.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as CopyInto from "../../src/sql/CopyInto.js"
import * as FileFormat from "../../src/sql/FileFormat.js"
import { textFile as file, withStages } from "./support.js"

describe("COPY INTO with a transform, against the emulator (GCS stage, encrypted)", () => {
  it.scopedLive(
    "CSV fields and JSON paths, computed (aliases allowed); METADATA$ columns; bad results per ON_ERROR",
    () =>
      Effect.gen(function* () {
        const { stages, ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE people (id NUMBER, name VARCHAR, source VARCHAR)")
        yield* stages.put(file("people.csv", "1,alice,x\n2,bob,y\n"), "@%people/csv")
        yield* stages.put(
          file(
            "people.json",
            '{"id": 7, "name": {"first": "carol"}}\n{"id": 8, "name": {"first": "dave"}}\n'
          ),
          "@%people/json"
        )
        // fields reordered and computed, the file and row named
        const csv = yield* ingestion.copyInto(
          CopyInto.table("people").pipe(
            CopyInto.from("@%people/csv/"),
            // aliases are allowed, and change nothing: the column list (here the table's) decides
            CopyInto.select([
              "$1::NUMBER * 10 AS id",
              "UPPER($2) name",
              "METADATA$FILENAME || '#' || METADATA$FILE_ROW_NUMBER AS \"Source\""
            ]),
            CopyInto.fileFormat(FileFormat.csv())
          )
        )
        assert.strictEqual(csv.rowsLoaded, 2)
        // JSON paths, into chosen columns
        const json = yield* ingestion.copyInto(
          CopyInto.table("people").pipe(
            CopyInto.columns(["name", "id"]),
            CopyInto.from("@%people/json/"),
            CopyInto.select(["$1:name.first::STRING", "$1:id"]),
            CopyInto.fileFormat(FileFormat.json())
          )
        )
        assert.strictEqual(json.rowsLoaded, 2)
        const rows = (yield* sf.execute("SELECT id, name, source FROM people ORDER BY id")).rows
        assert.deepStrictEqual(
          rows.map((r) => [r.ID, r.NAME, r.SOURCE]),
          [
            [7n, "carol", null],
            [8n, "dave", null],
            [10n, "ALICE", "csv/people.csv.gz#1"],
            [20n, "BOB", "csv/people.csv.gz#2"]
          ]
        )

        // what an expression yields is checked against the column: CONTINUE skips that row
        yield* stages.put(file("mixed.csv", "3,ok\nnot a number,bad\n"), "@%people/mixed")
        const mixed = yield* ingestion.copyInto(
          CopyInto.table("people").pipe(
            CopyInto.columns(["id", "name"]),
            CopyInto.from("@%people/mixed/"),
            CopyInto.select(["$1", "$2"]),
            CopyInto.fileFormat(FileFormat.csv()),
            CopyInto.onError("CONTINUE")
          )
        )
        assert.deepStrictEqual(
          [mixed.rowsLoaded, mixed.results[0]?.status, mixed.results[0]?.firstErrorLine],
          [1, "PARTIALLY_LOADED", 2]
        )
        assert.include(mixed.results[0]?.firstError ?? "", "Numeric value 'not a number' is not recognized")

        // an expression that fails for a record is that record's error: CONTINUE loads the others,
        // ABORT_STATEMENT fails with Snowflake's message and loads nothing
        const lines = Array.from({ length: 200 }, (_, i) => (i === 57 || i === 140 ? `x${i},bad` : `${i},ok`))
        yield* stages.put(file("computed.csv", `${lines.join("\n")}\n`), "@%people/computed")
        const computed = (onError: "CONTINUE" | "ABORT_STATEMENT") =>
          ingestion.copyInto(
            CopyInto.table("people").pipe(
              CopyInto.columns(["id", "name"]),
              CopyInto.from("@%people/computed/"),
              CopyInto.select(["$1::NUMBER * 10", "$2"]),
              CopyInto.fileFormat(FileFormat.csv()),
              CopyInto.onError(onError),
              CopyInto.force(true)
            )
          )
        const aborted = yield* Effect.flip(computed("ABORT_STATEMENT"))
        assert.include(aborted.message, "Numeric value 'x57' is not recognized")
        const before = Number((yield* sf.execute("SELECT COUNT(*) AS n FROM people")).rows[0]!.N)
        const continued = yield* computed("CONTINUE")
        assert.deepStrictEqual(
          [continued.rowsLoaded, continued.results[0]?.errorsSeen, continued.results[0]?.rowsParsed],
          [198, 2, 200]
        )
        assert.strictEqual(continued.results[0]?.firstErrorLine, 58)
        assert.include(continued.results[0]?.firstError ?? "", "Numeric value 'x57' is not recognized")
        const after = yield* sf.execute("SELECT COUNT(*) AS n, MAX(id) AS top FROM people")
        assert.deepStrictEqual([Number(after.rows[0]!.N) - before, after.rows[0]!.TOP], [198, 1990n])

        // a transform failing on most records fails the statement after a bounded search, in
        // Snowflake's words (Snowflake would report every record; the emulator stops looking)
        const allBad = Array.from({ length: 3000 }, (_, i) => `y${i},bad`)
        yield* stages.put(file("allbad.csv", `${allBad.join("\n")}\n`), "@%people/allbad")
        const hopeless = yield* Effect.flip(
          ingestion.copyInto(
            CopyInto.table("people").pipe(
              CopyInto.columns(["id", "name"]),
              CopyInto.from("@%people/allbad/"),
              CopyInto.select(["$1::NUMBER", "$2"]),
              CopyInto.fileFormat(FileFormat.csv()),
              CopyInto.onError("CONTINUE")
            )
          )
        )
        assert.include(hopeless.message, "Numeric value 'y")
        assert.notInclude(hopeless.message, "internal error")

        // as many expressions as columns, or a compilation error
        const wrong = yield* Effect.flip(
          ingestion.copyInto(
            CopyInto.table("people").pipe(
              CopyInto.columns(["id"]),
              CopyInto.from("@%people/csv/"),
              CopyInto.select(["$1", "$2"])
            )
          )
        )
        assert.include(wrong.message, "Insert value list does not match column list expecting 1 but got 2")
      })
  )

  it.scopedLive(
    "a file of 150,000 records goes through a transform whole (no spread of its records)",
    () =>
      Effect.gen(function* () {
        const { stages, ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE big (id NUMBER, doubled NUMBER)")
        const lines = Stream.range(1, 150_000).pipe(
          Stream.map((i) => `${i},x\n`),
          Stream.encodeText
        )
        yield* stages.put({ name: "big.csv", stream: lines }, "@%big")
        const loaded = yield* ingestion.copyInto(
          CopyInto.table("big").pipe(CopyInto.from("@%big"), CopyInto.select(["$1", "$1::NUMBER * 2"]))
        )
        assert.strictEqual(loaded.rowsLoaded, 150_000)
        const check = (yield* sf.execute("SELECT COUNT(*) AS n, SUM(doubled) - 2 * SUM(id) AS diff FROM big"))
          .rows[0]
        assert.deepStrictEqual([check?.N, check?.DIFF], [150_000n, 0n])
      }),
    60_000
  )
})
