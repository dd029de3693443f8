/**
 * bulkInsert of JS values into typed columns, in every format, read back exactly: big integers
 * (bigint beyond 2^53), scaled decimals, negative zero, booleans, doubles, dates as strings and as
 * Date, timestamps with milliseconds, VARIANT objects with big integers, NULLs.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { withStages } from "./support.js"

describe("Ingestion.bulkInsert: typed values round-trip", () => {
  it.scopedLive(
    "csv, json and parquet load the same values",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        const records = [
          {
            id: 1,
            big: 12345678901234567890n,
            price: 19.99,
            ok: true,
            ratio: 0.1,
            day: "2024-02-29",
            ts: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
            doc: { a: 1, b: [true, null, "x"] }
          },
          {
            id: 2,
            big: -9007199254740993n,
            price: -0.5,
            ok: false,
            ratio: -1e-7,
            day: "1999-12-31",
            ts: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 1)),
            doc: [1, 2, 3]
          },
          { id: 3, big: null, price: null, ok: null, ratio: null, day: null, ts: null, doc: null }
        ]
        const expected = yield* Effect.gen(function* () {
          yield* sf.execute(
            "CREATE TABLE typed_expected (id NUMBER, big NUMBER(38,0), price NUMBER(10,2), ok BOOLEAN, ratio DOUBLE, day DATE, ts TIMESTAMP_NTZ(3), doc VARIANT)"
          )
          yield* sf.execute(
            `INSERT INTO typed_expected SELECT 1, 12345678901234567890, 19.99, TRUE, 0.1, '2024-02-29', '2024-01-02 03:04:05.678', PARSE_JSON('{"a":1,"b":[true,null,"x"]}')
             UNION ALL SELECT 2, -9007199254740993, -0.5, FALSE, -1e-7, '1999-12-31', '1999-12-31 23:59:59.001', PARSE_JSON('[1,2,3]')
             UNION ALL SELECT 3, NULL, NULL, NULL, NULL, NULL, NULL, NULL`
          )
          return (yield* sf.execute("SELECT * FROM typed_expected ORDER BY id")).rows
        })
        for (const format of ["csv", "json", "parquet"] as const) {
          const table = `typed_${format}`
          yield* sf.execute(
            `CREATE TABLE ${table} (id NUMBER, big NUMBER(38,0), price NUMBER(10,2), ok BOOLEAN, ratio DOUBLE, day DATE, ts TIMESTAMP_NTZ(3), doc VARIANT)`
          )
          const loaded = yield* ingestion.bulkInsert(table, records, { format })
          assert.strictEqual(loaded.rowsLoaded, records.length, format)
          const back = (yield* sf.execute(`SELECT * FROM ${table} ORDER BY id`)).rows
          assert.deepStrictEqual(back, expected, format)
        }
      }),
    60_000
  )

  it.scopedLive(
    "rows read from a table go back in through bulkInsert unchanged, in every format",
    () =>
      Effect.gen(function* () {
        const { ingestion, sf } = yield* withStages("gcs")
        const ddl = (table: string) =>
          `CREATE TABLE ${table} (id NUMBER, n NUMBER(38,10), f FLOAT, s VARCHAR, b BOOLEAN, d DATE, t TIME,
             ntz TIMESTAMP_NTZ(9), ltz TIMESTAMP_LTZ(9), tz TIMESTAMP_TZ(9), bin BINARY, v VARIANT, o OBJECT, a ARRAY)`
        yield* sf.execute(ddl("source_rows"))
        yield* sf.execute(
          `INSERT INTO source_rows SELECT 1, 1234567890123456789012345678.0123456789, 1.5e300, 'a,"b"\nc\\d', TRUE,
             '2024-02-29', '23:59:59.123456', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123456+05:30',
             '2024-01-02 03:04:05.123456-08:00', TO_BINARY('DEADBEEF00', 'HEX'),
             PARSE_JSON('{"big": 123456789012345678901234567890, "dec": 1234567890.123456789, "x": [1, "two"]}'),
             OBJECT_CONSTRUCT('k', 1), PARSE_JSON('[1, "x", null]')`
        )
        yield* sf.execute(
          "INSERT INTO source_rows SELECT 2, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
        )
        const rows = (yield* sf.execute("SELECT * FROM source_rows ORDER BY id")).rows
        for (const format of ["csv", "json", "parquet"] as const) {
          const table = `copied_${format}`
          yield* sf.execute(ddl(table))
          const loaded = yield* ingestion.bulkInsert(table, rows, { format })
          assert.strictEqual(loaded.rowsLoaded, rows.length, format)
          assert.deepStrictEqual((yield* sf.execute(`SELECT * FROM ${table} ORDER BY id`)).rows, rows, format)
        }
      }),
    60_000
  )
})
