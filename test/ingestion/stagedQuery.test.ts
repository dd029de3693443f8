/**
 * Querying staged files on the emulator: `SELECT $1, … FROM @stage (FILE_FORMAT => …, PATTERN => …)`,
 * CSV fields and JSON paths, METADATA$ columns, with the rest of SQL around it.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { textFile as file, withStages } from "./support.js"

describe("querying staged files (GCS stage, encrypted)", () => {
  it.scopedLive("CSV fields and JSON paths, METADATA$ columns, a named format and a pattern", () =>
    Effect.gen(function* () {
      const { stages, sf } = yield* withStages("gcs")
      yield* sf.execute("CREATE STAGE landing")
      yield* stages.put(file("a.csv", "1,ada\n2,grace\n"), "@landing/csv")
      yield* stages.put(file("b.csv", "3,linus\n"), "@landing/csv")
      const fields = yield* sf.execute(
        "SELECT $1::NUMBER AS id, UPPER($2) AS name FROM @landing/csv/ ORDER BY id"
      )
      assert.deepStrictEqual(
        fields.rows.map((r) => [r.ID, r.NAME]),
        [
          [1n, "ADA"],
          [2n, "GRACE"],
          [3n, "LINUS"]
        ]
      )
      const perFile = yield* sf.execute(
        "SELECT METADATA$FILENAME AS f, COUNT(*) AS n, MAX(METADATA$FILE_ROW_NUMBER) AS last FROM @landing (PATTERN => '.*[.]csv[.]gz') GROUP BY 1 ORDER BY 1"
      )
      assert.deepStrictEqual(
        perFile.rows.map((r) => [r.F, r.N, r.LAST]),
        [
          ["csv/a.csv.gz", 2n, 2n],
          ["csv/b.csv.gz", 1n, 1n]
        ]
      )

      // files of different widths: a field a file does not have is NULL
      yield* stages.put(file("wide.csv", "4,edsger,dijkstra\n"), "@landing/csv")
      const widths = yield* sf.execute("SELECT $1::NUMBER AS id, $3 AS last FROM @landing/csv/ ORDER BY id")
      assert.deepStrictEqual(
        widths.rows.map((r) => [r.ID, r.LAST]),
        [
          [1n, null],
          [2n, null],
          [3n, null],
          [4n, "dijkstra"]
        ]
      )

      yield* sf.execute("CREATE FILE FORMAT docs TYPE = JSON")
      yield* stages.put(
        file("people.json", '{"id": 7, "name": {"first": "carol"}}\n{"id": 8, "name": {"first": "dave"}}\n'),
        "@landing/json"
      )
      const json = yield* sf.execute(
        "SELECT p.$1:name.first::STRING AS first FROM @landing/json/ (FILE_FORMAT => 'docs') p WHERE p.$1:id::NUMBER > 7"
      )
      assert.deepStrictEqual(json.rows, [{ FIRST: "dave" }])
      // the staged rows are gone with the query, and a query without a stage is untouched
      assert.deepStrictEqual((yield* sf.execute("SELECT 1 AS one")).rows, [{ ONE: 1 }])
      const missing = yield* Effect.flip(sf.execute("SELECT $1 FROM @nowhere"))
      assert.include(missing.message, "Stage 'EMULATOR.PUBLIC.NOWHERE' does not exist or not authorized.")
    })
  )
})
