/**
 * Property: the JSON lines `bulkInsert` sends (src/streams/export/jsonLines.ts), read back by
 * DuckDB's JSON reader, equal the records: any string (keys too), exact big integers and decimals,
 * doubles, booleans, NULL. Numbers are read as JSON text so no reader-side rounding hides a writer
 * bug. Fixed seed.
 */
import { writeFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fc from "fast-check"
import { jsonLines } from "../../src/streams/export/jsonLines.js"
import { withConnection } from "../support/duckdb.js"
import { withScratchFile } from "./support/scratchFile.js"

const SEED = 20261208

const value = fc.oneof(
  fc.string({ unit: "binary", maxLength: 20 }).map((s) => s.replaceAll("\u0000", "")),
  fc.constant(null),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((u) => BigDecimal.make(u, 4)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
  fc.boolean()
)

/** What a reader must find: strings and booleans as such, numbers as their exact JSON text. */
const expectedCell = (v: unknown): unknown =>
  typeof v === "bigint"
    ? v.toString()
    : BigDecimal.isBigDecimal(v)
      ? BigDecimal.format(BigDecimal.normalize(v))
      : typeof v === "number"
        ? JSON.stringify(v)
        : v

const table = fc
  .uniqueArray(
    fc.string({ unit: "binary", minLength: 1, maxLength: 6 }).map((s) => s.replaceAll("\u0000", "_")),
    {
      minLength: 1,
      maxLength: 4,
      comparator: (a, b) => a.toLowerCase() === b.toLowerCase()
    }
  )
  .chain((keys) =>
    fc.record({
      keys: fc.constant(keys),
      records: fc.array(fc.tuple(...keys.map(() => value)), { minLength: 1, maxLength: 10 })
    })
  )

describe("property: bulkInsert's JSON lines read back by DuckDB", () => {
  it.scopedLive("every member under its exact name, with its exact value", () =>
    withConnection((duck) =>
      withScratchFile("rows.jsonl", (file) =>
        Effect.promise(async () => {
          await fc.assert(
            fc.asyncProperty(table, async ({ keys, records }) => {
              const objects = records.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i]])))
              const bytes = await Effect.runPromise(
                Stream.runCollect(jsonLines(Stream.fromIterable(objects), keys))
              )
              writeFileSync(file, Buffer.concat(Chunk.toReadonlyArray(bytes)))
              // Each line as JSON; every member read back by its name, numbers as their text.
              const read = await duck.runAndReadAll(
                `SELECT json FROM read_json_objects('${file}', format = 'newline_delimited')`
              )
              const lines = read.getRows().map((r) => String(r[0]))
              assert.strictEqual(lines.length, records.length)
              for (let i = 0; i < lines.length; i++) {
                const line = lines[i]!
                const members = await duck.runAndReadAll(
                  `SELECT ${keys.map((_, k) => `json_type(j, $${k + 2}) AS t${k}, j ->> $${k + 2} AS v${k}`).join(", ")} FROM (SELECT $1::JSON AS j)`,
                  [line, ...keys.map((key) => `$."${key.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`)]
                )
                const got = members.getRows()[0]!
                keys.forEach((key, k) => {
                  const where = `member ${JSON.stringify(key)} of line ${line}`
                  const type = String(got[2 * k])
                  const text = got[2 * k + 1]
                  const bound = records[i]![k]
                  if (bound === null) assert.strictEqual(type, "NULL", where)
                  else if (typeof bound === "string") assert.strictEqual(text, bound, where)
                  else if (typeof bound === "boolean") assert.strictEqual(text, String(bound), where)
                  else {
                    // DuckDB reads big numbers as doubles: compare as numbers, and find the exact digits in the line.
                    assert.strictEqual(Number(text), Number(expectedCell(bound)), where)
                    if (typeof bound !== "number") assert.include(line, String(expectedCell(bound)), where)
                  }
                })
              }
            }),
            { seed: SEED, numRuns: 40 }
          )
        })
      )
    )
  )
})
