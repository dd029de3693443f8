/**
 * Property: what `Export.parquet` writes, DuckDB's Parquet reader reads back equal to the input, for
 * VARCHAR, NUMBER(38,0) (bigint), NUMBER(38,5) (BigDecimal), FLOAT, BOOLEAN and BINARY columns with
 * NULLs, over one and several row groups. Fixed seed.
 */
import { writeFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fc from "fast-check"
import { Export, type Snowflake } from "../../src/index.js"
import { withConnection } from "../support/duckdb.js"
import { withScratchFile } from "./support/scratchFile.js"

const SEED = 20261208
const MAX_38 = 10n ** 38n - 1n

const column = (
  name: string,
  type: string,
  precision: number | null,
  scale: number | null
): Snowflake.Column => ({
  name,
  type,
  precision,
  scale,
  nullable: true,
  length: null
})

const columns = [
  column("C0", "text", null, null),
  column("C1", "fixed", 38, 0),
  column("C2", "fixed", 38, 5),
  column("C3", "real", null, null),
  column("C4", "boolean", null, null),
  column("C5", "binary", null, null)
]

const nullable = <A>(a: fc.Arbitrary<A>) => fc.option(a, { nil: null, freq: 5 })

const row = fc.tuple(
  nullable(fc.string({ unit: "binary", maxLength: 20 })),
  nullable(fc.bigInt({ min: -MAX_38, max: MAX_38 })),
  nullable(fc.bigInt({ min: -(10n ** 33n) + 1n, max: 10n ** 33n - 1n }).map((u) => BigDecimal.make(u, 5))),
  nullable(fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d))),
  nullable(fc.boolean()),
  nullable(fc.uint8Array({ maxLength: 16 }))
)

type Row = typeof row extends fc.Arbitrary<infer A> ? A : never

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex").toUpperCase()

/** The row as the query below reads it back: decimals and bytes as text, the rest as values. */
const expected = (r: Row) => [
  r[0],
  r[1] === null ? null : r[1].toString(),
  r[2] === null ? null : BigDecimal.format(BigDecimal.normalize(r[2])),
  r[3],
  r[4],
  r[5] === null ? null : hex(r[5])
]

describe("property: Export.parquet read back by DuckDB", () => {
  it.scopedLive("every typed cell and NULL comes back as written, across row groups", () =>
    withConnection((duck) =>
      withScratchFile("rows.parquet", (file) =>
        Effect.promise(async () => {
          await fc.assert(
            fc.asyncProperty(
              fc.array(row, { minLength: 0, maxLength: 30 }),
              fc.integer({ min: 1, max: 8 }),
              async (rows, rowGroupSize) => {
                const bytes = await Effect.runPromise(
                  Stream.runCollect(Export.parquet(Stream.fromIterable(rows), columns, { rowGroupSize }))
                )
                writeFileSync(file, Buffer.concat(Chunk.toReadonlyArray(bytes)))
                const read = await duck.runAndReadAll(
                  `SELECT C0, CAST(C1 AS VARCHAR), CAST(C2 AS VARCHAR), C3, C4, hex(C5) FROM read_parquet('${file}')`
                )
                const got = read
                  .getRows()
                  .map((r) => [
                    r[0],
                    r[1],
                    r[2] === null
                      ? null
                      : BigDecimal.format(BigDecimal.normalize(BigDecimal.unsafeFromString(String(r[2])))),
                    r[3],
                    r[4],
                    r[5]
                  ])
                assert.deepStrictEqual(got, rows.map(expected))
              }
            ),
            { seed: SEED, numRuns: 50 }
          )
        })
      )
    )
  )
})
