/**
 * Property: what `Export.csv` writes, DuckDB's CSV reader reads back equal to the input — strings
 * with delimiters, quotes, CR/LF and any Unicode; integers of any size; doubles; booleans; NULL
 * apart from the empty string. Column names are arbitrary too (the header). Fixed seed.
 */
import { writeFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fc from "fast-check"
import { Export } from "../../src/index.js"
import { withConnection } from "../support/duckdb.js"
import { withScratchFile } from "./support/scratchFile.js"

const SEED = 20261208

const text = fc.string({ unit: "binary", maxLength: 20 }).map((s) => s.replaceAll("\u0000", ""))
const cell = fc.oneof(
  text,
  fc.constant(null),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean()
)

/** What the export promises a reader gets back, as text: NULL stays NULL, everything else its text. */
const expectedText = (v: unknown): string | null =>
  v === null ? null : typeof v === "number" ? String(v) : typeof v === "bigint" ? v.toString() : String(v)

const columnNames = fc.uniqueArray(
  fc
    .string({ minLength: 1, maxLength: 8 })
    .filter((s) => !s.includes("\u0000") && s.trim() === s && s !== ""),
  { minLength: 1, maxLength: 4, comparator: (a, b) => a.toLowerCase() === b.toLowerCase() }
)

const table = columnNames.chain((columns) =>
  fc.record({
    columns: fc.constant(columns),
    rows: fc.array(fc.array(cell, { minLength: columns.length, maxLength: columns.length }), {
      minLength: 1,
      maxLength: 12
    })
  })
)

describe("property: Export.csv read back by DuckDB", () => {
  it.scopedLive("every cell, NULL and the empty string, and the header come back as written", () =>
    withConnection((duck) =>
      withScratchFile("rows.csv", (file) =>
        Effect.promise(async () => {
          await fc.assert(
            fc.asyncProperty(table, async ({ columns, rows }) => {
              const bytes = await Effect.runPromise(
                Stream.runCollect(Export.csv(Stream.fromIterable(rows), columns))
              )
              writeFileSync(file, Buffer.concat(Chunk.toReadonlyArray(bytes)))
              const reader = await duck.runAndReadAll(
                `SELECT * FROM read_csv('${file}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, auto_detect = false, columns = {${columns.map((_, i) => `'c${i}': 'VARCHAR'`).join(", ")}})`
              )
              const header = await duck.runAndReadAll(
                `SELECT * FROM read_csv('${file}', header = false, all_varchar = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = {${columns.map((_, i) => `'c${i}': 'VARCHAR'`).join(", ")}}) LIMIT 1`
              )
              assert.deepStrictEqual(header.getRows()[0], columns, "header")
              assert.deepStrictEqual(
                reader.getRows(),
                rows.map((r) => r.map(expectedText))
              )
            }),
            { seed: SEED, numRuns: 50 }
          )
        })
      )
    )
  )
})
