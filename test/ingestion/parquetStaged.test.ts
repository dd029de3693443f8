/**
 * Parquet files read as staged records on the emulator: each row is `$1`, the object of its
 * columns (as Snowflake shows Parquet), in staged-file queries and COPY transforms alike.
 */
import { assert, describe, it } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { compileRowDecoder } from "../../src/protocol/decode/index.js"
import { parquet } from "../../src/streams/export/parquet.js"
import { withStages } from "./support.js"

const decoder = compileRowDecoder([
  { name: "ID", type: "fixed", precision: 38, scale: 0 },
  { name: "NAME", type: "text" },
  { name: "AMOUNT", type: "fixed", precision: 12, scale: 2 }
])
const rows = [
  ["1", "ada", "10.50"],
  ["2", "grace", null],
  ["3", null, "-0.25"]
]
const people = parquet(Stream.fromIterable(rows.map(decoder.toArray)), decoder.columns)

describe("Parquet files as staged records (GCS stage, encrypted)", () => {
  it.scopedLive("a staged-file query reads each row as $1, the object of its columns", () =>
    Effect.gen(function* () {
      const { stages, sf } = yield* withStages("gcs")
      yield* sf.execute("CREATE STAGE landing")
      yield* sf.execute("CREATE FILE FORMAT pq TYPE = PARQUET")
      yield* stages.put({ name: "people.parquet", stream: people }, "@landing/pq")
      const read = yield* sf.execute(
        `SELECT $1:ID::NUMBER AS id, $1:NAME::STRING AS name, $1:AMOUNT::NUMBER(12,2) AS amount,
                METADATA$FILENAME AS f, METADATA$FILE_ROW_NUMBER AS r
         FROM @landing/pq/ (FILE_FORMAT => 'pq') ORDER BY id`
      )
      assert.deepStrictEqual(
        read.rows.map((r) => [
          r.ID,
          r.NAME,
          r.AMOUNT === null ? null : BigDecimal.format(r.AMOUNT as BigDecimal.BigDecimal),
          r.F,
          r.R
        ]),
        [
          [1n, "ada", "10.5", "pq/people.parquet", 1n],
          [2n, "grace", null, "pq/people.parquet", 2n],
          [3n, null, "-0.25", "pq/people.parquet", 3n]
        ]
      )
    })
  )

  it.scopedLive("a COPY transform over Parquet loads computed columns", () =>
    Effect.gen(function* () {
      const { stages, sf } = yield* withStages("gcs")
      yield* sf.execute("CREATE TABLE loaded (id NUMBER, name VARCHAR, cents NUMBER)")
      yield* stages.put({ name: "people.parquet", stream: people }, "@%loaded/in")
      const copied = yield* sf.execute(
        `COPY INTO loaded (id, name, cents)
         FROM (SELECT $1:ID, UPPER($1:NAME::STRING), $1:AMOUNT::NUMBER(12,2) * 100 FROM @%loaded/in/)
         FILE_FORMAT = (TYPE = PARQUET)`
      )
      assert.deepStrictEqual(
        copied.rows.map((r) => [r.status, r.rows_loaded]),
        [["LOADED", 3n]]
      )
      const loaded = yield* sf.execute("SELECT id, name, cents FROM loaded ORDER BY id")
      assert.deepStrictEqual(
        loaded.rows.map((r) => [r.ID, r.NAME, r.CENTS]),
        [
          [1n, "ADA", 1050n],
          [2n, "GRACE", null],
          [3n, null, -25n]
        ]
      )
    })
  )
})
