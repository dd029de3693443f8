/**
 * The emulator's two CSV readers must agree: DuckDB's `read_csv` (the fast path) may decline a
 * file, but when it stages one, its rows are exactly the records `parseCsv` (the exact path) reads —
 * and it must decline every file `parseCsv` finds an error in. Seeded generated files, structured
 * (mostly valid) and token soup (mostly not), under several file formats; real DuckDB.
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { parseCsv } from "../../../src/emulator/copy/formats.js"
import { dropStaged, stageRecords, type Target } from "../../../src/emulator/copy/load.js"
import { stageCsvCellsNatively, stageCsvNatively } from "../../../src/emulator/copy/nativeCsv.js"
import { queryRows } from "../../../src/emulator/engine/duck.js"
import { readOptions, stageTokens } from "../../../src/emulator/stages/sqlText.js"
import { withConnection } from "../../support/duckdb.js"
import { pick, random } from "../../support/random.js"

const format = (text: string) => readOptions(stageTokens(text), 0).options

const FORMATS = [
  `FIELD_OPTIONALLY_ENCLOSED_BY = '"'`,
  "",
  `FIELD_OPTIONALLY_ENCLOSED_BY = '"' EMPTY_FIELD_AS_NULL = FALSE`,
  `FIELD_OPTIONALLY_ENCLOSED_BY = '"' NULL_IF = ('NULL', 'x')`,
  `FIELD_DELIMITER = '|' FIELD_OPTIONALLY_ENCLOSED_BY = '"' SKIP_HEADER = 1`,
  `FIELD_DELIMITER = '\\t' FIELD_OPTIONALLY_ENCLOSED_BY = '"'`,
  "FIELD_DELIMITER = '\\t' ESCAPE_UNENCLOSED_FIELD = NONE",
  "ESCAPE_UNENCLOSED_FIELD = NONE NULL_IF = ()",
  "ESCAPE_UNENCLOSED_FIELD = NONE"
]

const TOKENS = ["a", "b", "1", "é", "😀", " ", "\t", '"', ",", "|", "\n", "\r", "\\", "N", "NULL", "x", ""]

const soup = (next: () => number, length: number) => Array.from({ length }, () => pick(next, TOKENS)).join("")

/** Records of `width` fields, some enclosed (with doubled quotes), separated as the format says. */
const structured = (next: () => number, width: number, delimiter: string) => {
  const lines: Array<string> = []
  const count = 1 + Math.floor(next() * 5)
  for (let r = 0; r < count; r++) {
    const fields = Array.from({ length: next() < 0.9 ? width : width + 1 }, () => {
      const text = soup(next, Math.floor(next() * 4))
      // enclosed: anything, quotes doubled; unenclosed: no line breaks, quotes or escapes
      return next() < 0.4 ? `"${text.replace(/"/g, '""')}"` : text.replace(/["\\\n\r]/g, "b")
    })
    lines.push(fields.join(delimiter))
  }
  return lines.join("\n") + (next() < 0.7 ? "\n" : "")
}

const textTarget = (width: number): Target => ({
  sql: "unused",
  name: "T",
  columns: Array.from({ length: width }, (_, i) => ({ name: `C${i}`, type: "VARCHAR", nullable: true }))
})

/** The native reading of a body as rows of cells, or undefined when it declined. */
const nativeRows = (connection: DuckDBConnection, text: string, width: number, options: string) =>
  Effect.gen(function* () {
    const staged = yield* stageCsvNatively(connection, textTarget(width), Buffer.from(text), format(options))
    if (staged === undefined) return undefined
    const cells = Array.from({ length: width }, (_, i) => `"v${i}"`).join(", ")
    // staged converted, in file order
    assert.isTrue(staged.typed)
    const rows = yield* queryRows(connection, `SELECT ${cells} FROM ${staged.table}`).pipe(Effect.orDie)
    yield* dropStaged(connection, staged)
    return rows.map((r) => r.map((v) => (v === null ? null : String(v))))
  })

describe("the emulator's native CSV reader (DuckDB read_csv) agrees with parseCsv", () => {
  it.effect("on 3,000 generated files, or declines", () =>
    withConnection((connection) =>
      Effect.gen(function* () {
        const next = random(Number(process.env.CSV_SEED ?? 20261128))
        let taken = 0
        let takenCrlf = 0
        for (let n = 0; n < Number(process.env.CSV_CASES ?? 3000); n++) {
          const options = pick(next, FORMATS)
          const width = 1 + Math.floor(next() * 3)
          const delimiter = options.includes("'|'") ? "|" : options.includes("'\\t'") ? "\t" : ","
          const generated =
            next() < 0.6 ? structured(next, width, delimiter) : soup(next, Math.floor(next() * 12))
          // a quarter with Windows line ends (inside quotes too)
          const text = next() < 0.25 ? generated.replace(/\n/g, "\r\n") : generated
          const exact = parseCsv(text, format(options))
          const clean = exact.errors.length === 0 && exact.records.every((r) => r.cells.length === width)
          const native = yield* nativeRows(connection, text, width, options)
          const label = `case ${n}: ${JSON.stringify(text)} width ${width} format ${options}`
          if (native === undefined) continue
          taken++
          if (text.includes("\r\n")) takenCrlf++
          assert.isTrue(clean, `native read a file parseCsv rejects — ${label}`)
          assert.deepStrictEqual(
            native,
            exact.records.map((r) => [...r.cells]),
            label
          )
        }
        // the fast path must really be exercised, not decline everything
        assert.isAbove(taken, 600, `native path taken ${taken} times`)
        assert.isAbove(takenCrlf, 100, `native path taken for CR LF files ${takenCrlf} times`)
      })
    )
  )

  it.effect("known disagreements are declined, and text the two readers agree on is taken", () =>
    withConnection((connection) =>
      Effect.gen(function* () {
        const quoted = `FIELD_OPTIONALLY_ENCLOSED_BY = '"'`
        // DuckDB would trim the blanks around these quotes, or end the record early, or unescape,
        // or split lines where Snowflake does not (a lone CR, mixed line ends)
        const declined = [
          ' "a",b\n',
          '\t"a",b\n',
          'x, "y"\n',
          '"a" ,b\n',
          "a,b,\n",
          "a\\,b,c\n",
          "a\r,b\n",
          "a,b\r\nc,d\n",
          "a,b\n\r\n"
        ]
        for (const text of declined)
          assert.isUndefined(yield* nativeRows(connection, text, 2, quoted), JSON.stringify(text))
        // quotes and blanks inside an enclosed field, a backslash inside quotes: taken, and equal
        const taken = [
          '"say ""hi"" there",b\n',
          '" padded ",x\n',
          '"C:\\path, ""q""",\n',
          'a b,"x\ny"\n',
          'a,b\r\n"x\r\ny",\r\n"q",""\r\n'
        ]
        for (const text of taken) {
          const native = yield* nativeRows(connection, text, 2, quoted)
          assert.isDefined(native, JSON.stringify(text))
          assert.deepStrictEqual(
            native,
            parseCsv(text, format(quoted)).records.map((r) => [...r.cells]),
            JSON.stringify(text)
          )
        }
      })
    )
  )

  it.effect(
    "files with cells that do not convert: DuckDB finds the same bad rows, lines and characters as the exact path",
    () =>
      withConnection((connection) =>
        Effect.gen(function* () {
          const next = random(Number(process.env.CSV_SEED ?? 20261128) + 1)
          const NUMBERS = ["1", "22", "-3", "4.5", "x", "", "é", "NULL", "\\N", " 7", "1e3", "9".repeat(40)]
          let taken = 0
          let withBad = 0
          for (let n = 0; n < Number(process.env.CSV_CASES ?? 3000) / 3; n++) {
            const options = pick(next, FORMATS.slice(0, 5))
            const width = 1 + Math.floor(next() * 3)
            const delimiter = options.includes("'|'") ? "|" : ","
            const header = options.includes("SKIP_HEADER") ? "h|h\n" : ""
            const lines = Array.from({ length: 1 + Math.floor(next() * 6) }, () =>
              Array.from({ length: width }, (_, i) => {
                const value =
                  i === 0
                    ? pick(next, NUMBERS)
                    : soup(next, Math.floor(next() * 3)).replace(/["\\\n\r|,]/g, "b")
                return next() < 0.3 ? `"${value}"` : value
              }).join(delimiter)
            )
            // sometimes a record over two lines (inside quotes): the lines are not the rows then
            if (width > 1 && next() < 0.1)
              lines[0] = `${lines[0]!.split(delimiter)[0]}${delimiter}"two\nlines"${delimiter.repeat(width - 2)}`
            const text = `${header}${lines.join("\n")}${next() < 0.7 ? "\n" : ""}`
            const target: Target = {
              ...textTarget(width),
              columns: textTarget(width).columns.map((c, i) =>
                i === 0 ? { name: "ID", type: "DECIMAL(38,0)", nullable: next() < 0.5 } : c
              )
            }
            const label = `case ${n}: ${JSON.stringify(text)} format ${options} nullable ${target.columns[0]!.nullable}`
            const native = yield* stageCsvCellsNatively(
              connection,
              target,
              Buffer.from(text),
              format(options)
            )
            if (native === undefined) continue
            taken++
            const exact = parseCsv(text, format(options))
            assert.strictEqual(exact.errors.length, 0, label)
            const staged = yield* stageRecords(connection, target, exact.records).pipe(Effect.orDie)
            assert.strictEqual(native.staged.rows, staged.rows, label)
            assert.deepStrictEqual(native.staged.bad, staged.bad, label)
            if (staged.bad.length > 0) withBad++
            for (const { row } of staged.bad) {
              const want = exact.records[row]!
              const got = native.records[row]!
              assert.deepStrictEqual([got.line, [...got.starts]], [want.line, [...want.starts]], label)
            }
            yield* dropStaged(connection, native.staged)
            yield* dropStaged(connection, staged)
          }
          assert.isAbove(taken, 300, `native cells path taken ${taken} times`)
          assert.isAbove(withBad, 100, `with bad rows ${withBad} times`)
          const left = yield* queryRows(
            connection,
            "SELECT count(*) FROM duckdb_tables() WHERE temporary"
          ).pipe(Effect.orDie)
          assert.strictEqual(Number(left[0]?.[0]), 0)
        })
      )
  )

  it.effect("declines a file with a cell that does not convert (the exact path reports it)", () =>
    withConnection((connection) =>
      Effect.gen(function* () {
        const target: Target = {
          ...textTarget(2),
          columns: [
            { name: "ID", type: "DECIMAL(38,0)", nullable: false },
            { name: "NAME", type: "VARCHAR", nullable: true }
          ]
        }
        const quoted = format(`FIELD_OPTIONALLY_ENCLOSED_BY = '"'`)
        const good = yield* stageCsvNatively(connection, target, Buffer.from('1,"a"\n2,b\n'), quoted)
        assert.strictEqual(good?.rows, 2)
        if (good !== undefined) yield* dropStaged(connection, good)
        for (const body of ["1,a\nx,b\n", "1,a\n,b\n"])
          assert.isUndefined(yield* stageCsvNatively(connection, target, Buffer.from(body), quoted))
        // nothing staged is left behind by the declined files (nor by the dropped one)
        const left = yield* queryRows(
          connection,
          "SELECT count(*) FROM duckdb_tables() WHERE temporary"
        ).pipe(Effect.orDie)
        assert.strictEqual(Number(left[0]?.[0]), 0)
      })
    )
  )
})
