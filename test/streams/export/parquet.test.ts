import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DuckDBInstance } from "@duckdb/node-api"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { compileRowDecoder } from "../../../src/protocol/decode/index.js"
import type { RowTypeEntry } from "../../../src/protocol/wire/query.js"
import { parquet } from "../../../src/streams/export/parquet.js"

const rowtype: ReadonlyArray<RowTypeEntry> = [
  { name: "I", type: "fixed", precision: 10, scale: 0 },
  { name: "BIG", type: "fixed", precision: 38, scale: 0 },
  { name: "D", type: "fixed", precision: 12, scale: 3 },
  { name: "D38", type: "fixed", precision: 38, scale: 10 },
  { name: "R", type: "real" },
  { name: "T", type: "text" },
  { name: "B", type: "boolean" },
  { name: "DT", type: "date" },
  { name: "TM", type: "time", scale: 9 },
  { name: "NTZ", type: "timestamp_ntz", scale: 9 },
  { name: "LTZ", type: "timestamp_ltz", scale: 9 },
  { name: "TZ", type: "timestamp_tz", scale: 9 },
  { name: "NTZ6", type: "timestamp_ntz", scale: 6 },
  { name: "V", type: "variant" },
  { name: "BIN", type: "binary" },
  { name: "T", type: "text" }
]

// Wire cells (PROTOCOL.md §5.5), then what DuckDB must read back (as the SELECT below renders it).
const cells: ReadonlyArray<ReadonlyArray<string | null>> = [
  [
    "42",
    "99999999999999999999999999999999999999",
    "-1234.5",
    "1234567890123456789012345678.0123456789",
    "1.5",
    'héllo, "world"',
    "1",
    "19782",
    "3723.123456789",
    "1700000000.123456789",
    "1700000000.000000001",
    "1700000000.123456789 960",
    "1700000000.123456",
    '{"big":12345678901234567890,"a":[1,2]}',
    "00ff10",
    "dup"
  ],
  [
    "-9000000000",
    "-12345678901234567890123",
    "0.001",
    "-0.0000000001",
    "-2.25e10",
    "",
    "0",
    "-1",
    "0",
    "-1.5",
    "0",
    "-86400 1440",
    "-0.000001",
    "[]",
    "",
    null
  ],
  Array.from({ length: 16 }, () => null)
]

const expected = [
  [
    "42",
    "99999999999999999999999999999999999999",
    "-1234.500",
    "1234567890123456789012345678.0123456789",
    "1.5",
    'héllo, "world"',
    "true",
    "2024-02-29",
    "01:02:03.123456789",
    "1700000000123456789",
    "1700000000000000",
    "1700000000123456",
    "1700000000123456",
    '{"big":12345678901234567890,"a":[1,2]}',
    "00FF10",
    "dup"
  ],
  [
    "-9000000000",
    "-12345678901234567890123",
    "0.001",
    "-0.0000000001",
    "-22500000000.0",
    "",
    "false",
    "1969-12-31",
    "00:00:00",
    "-1500000000",
    "0",
    "-86400000000",
    "-1",
    "[]",
    "",
    null
  ],
  Array.from({ length: 16 }, () => null)
]

// Everything as text so that every value is compared exactly (timestamps as epoch integers).
const select = `SELECT
  I::VARCHAR, BIG::VARCHAR, D::VARCHAR, D38::VARCHAR, R::VARCHAR, T, B::VARCHAR, DT::VARCHAR,
  TM::VARCHAR, epoch_ns(NTZ)::VARCHAR, epoch_us(LTZ)::VARCHAR,
  epoch_us(TZ)::VARCHAR, epoch_us(NTZ6)::VARCHAR, V, hex(BIN), T_2
FROM read_parquet(?)`

const duck = <A>(f: (connection: Awaited<ReturnType<DuckDBInstance["connect"]>>) => Promise<A>) =>
  Effect.acquireUseRelease(
    Effect.promise(() => DuckDBInstance.create(":memory:")),
    (instance) =>
      Effect.promise(async () => {
        const connection = await instance.connect()
        try {
          return await f(connection)
        } finally {
          connection.closeSync()
        }
      }),
    (instance) => Effect.sync(() => instance.closeSync())
  )

const writeFile = (parts: Chunk.Chunk<Uint8Array>) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const dir = mkdtempSync(join(tmpdir(), "parquet-export-"))
      const path = join(dir, "out.parquet")
      writeFileSync(path, Buffer.concat(Chunk.toReadonlyArray(parts)))
      return { dir, path }
    }),
    ({ dir }) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  ).pipe(Effect.map(({ path }) => path))

describe("Export.parquet", () => {
  it.scoped("writes every Snowflake type so that DuckDB reads back the same values, nulls included", () =>
    Effect.gen(function* () {
      const decoder = compileRowDecoder(rowtype)
      const rows = Stream.fromIterable(cells.map(decoder.toObject))
      const path = yield* writeFile(yield* Stream.runCollect(parquet(rows, decoder.columns)))
      const { types, values } = yield* duck(async (connection) => {
        const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)
        const read = await connection.runAndReadAll(select.replace("?", `'${path}'`))
        return {
          types: Object.fromEntries(described.getRowsJS().map((row) => [String(row[0]), String(row[1])])),
          values: read.getRowsJS()
        }
      })
      assert.deepStrictEqual(types, {
        I: "BIGINT",
        BIG: "DECIMAL(38,0)",
        D: "DECIMAL(12,3)",
        D38: "DECIMAL(38,10)",
        R: "DOUBLE",
        T: "VARCHAR",
        B: "BOOLEAN",
        DT: "DATE",
        TM: "TIME_NS",
        NTZ: "TIMESTAMP_NS",
        LTZ: "TIMESTAMP WITH TIME ZONE",
        TZ: "TIMESTAMP WITH TIME ZONE",
        NTZ6: "TIMESTAMP",
        V: "VARCHAR",
        BIN: "BLOB",
        T_2: "VARCHAR"
      })
      assert.deepStrictEqual(values, expected)
    })
  )

  it.scoped("streams row groups as they fill, before the input ends, and keeps every row in order", () =>
    Effect.gen(function* () {
      const decoder = compileRowDecoder([
        { name: "N", type: "fixed", precision: 18, scale: 0 },
        { name: "S", type: "text" }
      ])
      const total = 50_000
      let pulled = 0
      const rows = Stream.range(0, total - 1).pipe(
        Stream.rechunk(1000),
        Stream.tap(() => Effect.sync(() => pulled++)),
        Stream.map((n) => decoder.toArray([String(n), n % 7 === 0 ? null : `s${n}`]))
      )
      const bytes = parquet(rows, decoder.columns, { rowGroupSize: 10_000 })
      const first = yield* Stream.runHead(bytes)
      assert.isTrue(first._tag === "Some" && first.value.length > 0)
      assert.isBelow(pulled, total, "the first bytes waited for the whole input")

      const parts = yield* Stream.runCollect(bytes)
      assert.isAtLeast(Chunk.size(parts), 6)
      const path = yield* writeFile(parts)
      const [summary] = yield* duck(async (connection) =>
        (
          await connection.runAndReadAll(`SELECT count(*)::VARCHAR, sum(N)::VARCHAR, count(S)::VARCHAR,
            bool_and(S IS NULL OR S = 's' || N), bool_and(N = rn - 1)::VARCHAR
            FROM (SELECT *, row_number() OVER () AS rn FROM read_parquet('${path}'))`)
        ).getRowsJS()
      )
      assert.deepStrictEqual(summary, [
        String(total),
        String((total * (total - 1)) / 2),
        String(total - Math.ceil(total / 7)),
        true,
        "true"
      ])
    })
  )

  it.scoped("writes sentinel timestamps with timestampUnit micros, and refuses them as nanos", () =>
    Effect.gen(function* () {
      const decoder = compileRowDecoder([{ name: "TS", type: "timestamp_ntz", scale: 9 }])
      // 0001-01-01 and 9999-12-31: outside what INT64 nanoseconds can hold.
      const rows = [["-62135596800.000000000"], ["253402214400.123456789"]].map(decoder.toArray)
      const error = yield* Effect.flip(Stream.runCollect(parquet(Stream.fromIterable(rows), decoder.columns)))
      assert.strictEqual(error._tag, "ExportError")
      const parts = yield* Stream.runCollect(
        parquet(Stream.fromIterable(rows), decoder.columns, { timestampUnit: "micros" })
      )
      const path = yield* writeFile(parts)
      const read = yield* duck(async (connection) =>
        (await connection.runAndReadAll(`SELECT TS::VARCHAR FROM read_parquet('${path}')`)).getRowsJS()
      )
      assert.deepStrictEqual(read, [["0001-01-01 00:00:00"], ["9999-12-31 00:00:00.123456"]])
    })
  )

  it.effect("fails with ExportError on a value that does not fit its column", () =>
    Effect.gen(function* () {
      const decoder = compileRowDecoder([{ name: "N", type: "fixed", precision: 10, scale: 2 }])
      const rows = Stream.make({ N: "not a number" })
      const error = yield* Effect.flip(Stream.runCollect(parquet(rows, decoder.columns)))
      assert.strictEqual(error._tag, "ExportError")
      assert.include(error.message, '"N"')
      const tooPrecise = Stream.make({ N: 1.234 })
      const rounding = yield* Effect.flip(Stream.runCollect(parquet(tooPrecise, decoder.columns)))
      assert.include(rounding.message, "2 fraction digits")
    })
  )
})
