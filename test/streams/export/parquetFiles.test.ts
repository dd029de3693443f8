/**
 * `parquetFiles`, the Parquet body of `bulkInsert`: several whole files one after another, each
 * followed by FILE_END; NUMBER(p > 18) columns as INT64 in files whose values all fit, the
 * declared type from the row group on where one does not. DuckDB reads every file back.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DuckDBInstance } from "@duckdb/node-api"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { compileRowDecoder } from "../../../src/protocol/decode/index.js"
import { FILE_END } from "../../../src/streams/export/fileEnd.js"
import { parquet, parquetFiles } from "../../../src/streams/export/parquet.js"

const decoder = compileRowDecoder([
  { name: "BIG", type: "fixed", precision: 38, scale: 0 },
  { name: "D38", type: "fixed", precision: 38, scale: 2 },
  { name: "S", type: "text" }
])

/** The stream's pieces as files: split at FILE_END, which must close every file. */
const filesOf = (pieces: Chunk.Chunk<Uint8Array>): Array<Buffer> => {
  const files: Array<Buffer> = []
  let current: Array<Uint8Array> = []
  for (const piece of pieces) {
    if (piece === FILE_END) {
      files.push(Buffer.concat(current))
      current = []
    } else current.push(piece)
  }
  assert.deepStrictEqual(current, [], "bytes after the last FILE_END")
  return files
}

/** Each file's column types and rows (as text), read by DuckDB. */
const readAll = (files: ReadonlyArray<Buffer>) =>
  Effect.promise(async () => {
    const dir = mkdtempSync(join(tmpdir(), "parquet-files-"))
    const instance = await DuckDBInstance.create(":memory:")
    const connection = await instance.connect()
    try {
      const out: Array<{ types: Array<string>; rows: Array<Array<unknown>> }> = []
      for (const [n, bytes] of files.entries()) {
        const path = join(dir, `f${n}.parquet`)
        writeFileSync(path, bytes)
        const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)
        const read = await connection.runAndReadAll(
          `SELECT BIG::VARCHAR, D38::VARCHAR, S FROM read_parquet('${path}')`
        )
        out.push({ types: described.getRowsJS().map((row) => String(row[1])), rows: read.getRowsJS() })
      }
      return out
    } finally {
      connection.closeSync()
      instance.closeSync()
      rmSync(dir, { recursive: true, force: true })
    }
  })

const row = (big: string, d: string, s: string | null) => decoder.toArray([big, d, s])

describe("parquetFiles", () => {
  it.effect(
    "NUMBER(38) columns go as INT64 until a value needs 19 digits; each such row group starts a file typed by its values",
    () =>
      Effect.gen(function* () {
        // row groups of 100: BIG is wide at row 250 (third group) only, D38 at row 399 (fourth) only
        const wide = "-12345678901234567890123"
        const rows = Array.from({ length: 400 }, (_, i) =>
          row(
            i === 250 ? wide : String(i * 1_000_000_007),
            i === 399 ? "999999999999999999.99" : `${i}.25`,
            i % 9 === 0 ? null : `s${i}`
          )
        )
        const pieces = yield* Stream.runCollect(
          parquetFiles(Stream.fromIterable(rows), decoder.columns, {
            fileSize: Number.POSITIVE_INFINITY,
            narrowDecimals: true,
            statistics: false,
            rowGroupSize: 100
          })
        )
        const files = yield* readAll(filesOf(pieces))
        assert.deepStrictEqual(
          files.map((f) => [f.types, f.rows.length]),
          [
            [["BIGINT", "DECIMAL(18,2)", "VARCHAR"], 200],
            // the wide value's group: each column chooses by its own values
            [["DECIMAL(38,0)", "DECIMAL(18,2)", "VARCHAR"], 100],
            // the last group's D38 needs 20 digits; BIG fits INT64 again
            [["BIGINT", "DECIMAL(38,2)", "VARCHAR"], 100]
          ]
        )
        const all = files.flatMap((f) => f.rows)
        assert.deepStrictEqual(
          all,
          rows.map((_, i) => [
            i === 250 ? wide : String(i * 1_000_000_007),
            i === 399 ? "999999999999999999.99" : `${i}.25`,
            i % 9 === 0 ? null : `s${i}`
          ])
        )
      })
  )

  it.effect("a value of exactly 10^18 is wide; 10^18 − 1 and its negative are narrow", () =>
    Effect.gen(function* () {
      const typesFor = (big: string) =>
        Effect.map(
          Stream.runCollect(
            parquetFiles(Stream.make(row(big, "0", "x")), decoder.columns, {
              fileSize: Number.POSITIVE_INFINITY,
              narrowDecimals: true
            })
          ),
          (pieces) => filesOf(pieces)
        ).pipe(
          Effect.flatMap(readAll),
          Effect.map((files) => [files[0]!.types[0], files[0]!.rows[0]![0]])
        )
      assert.deepStrictEqual(yield* typesFor("999999999999999999"), ["BIGINT", "999999999999999999"])
      assert.deepStrictEqual(yield* typesFor("-999999999999999999"), ["BIGINT", "-999999999999999999"])
      assert.deepStrictEqual(yield* typesFor("1000000000000000000"), ["DECIMAL(38,0)", "1000000000000000000"])
    })
  )

  it.effect("files end at the first row group past fileSize; every row once, in order", () =>
    Effect.gen(function* () {
      const rows = Array.from({ length: 1000 }, (_, i) => row(String(i), `${i}.00`, `text ${i}`))
      const pieces = yield* Stream.runCollect(
        parquetFiles(Stream.fromIterable(rows).pipe(Stream.rechunk(64)), decoder.columns, {
          fileSize: 1,
          narrowDecimals: false,
          rowGroupSize: 300
        })
      )
      const files = yield* readAll(filesOf(pieces))
      assert.deepStrictEqual(
        files.map((f) => f.rows.length),
        [300, 300, 300, 100]
      )
      // without narrowDecimals the declared types stay
      assert.deepStrictEqual(files[0]!.types, ["DECIMAL(38,0)", "DECIMAL(38,2)", "VARCHAR"])
      assert.deepStrictEqual(
        files.flatMap((f) => f.rows.map((r) => r[0])),
        rows.map((_, i) => String(i))
      )
    })
  )

  it.effect("Export.parquet stays one file with the declared types and no FILE_END, also for no rows", () =>
    Effect.gen(function* () {
      for (const count of [0, 5]) {
        const rows = Array.from({ length: count }, (_, i) => row(String(i), "1.50", "t"))
        const pieces = yield* Stream.runCollect(parquet(Stream.fromIterable(rows), decoder.columns))
        assert.isFalse(Chunk.some(pieces, (p) => p === FILE_END))
        const [file] = yield* readAll([Buffer.concat(Chunk.toArray(pieces))])
        assert.deepStrictEqual(file!.types, ["DECIMAL(38,0)", "DECIMAL(38,2)", "VARCHAR"])
        assert.strictEqual(file!.rows.length, count)
      }
    })
  )
})
