/**
 * The emulator's two JSON readers must agree: DuckDB's `read_ndjson_objects` (the fast path) may
 * decline a file, but when it stages one, its converted rows are exactly what `parseJson` (the
 * exact path) reads converted the same way — and it must decline every file `parseJson` finds an
 * error in, or that has a cell that does not convert. Seeded generated JSON lines, real DuckDB.
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber } from "effect"
import { parseJson } from "../../../src/emulator/copy/formats.js"
import {
  dropStaged,
  type StagedFile,
  stageRecords,
  stageTyped,
  type Target
} from "../../../src/emulator/copy/load.js"
import { stageJsonCellsNatively, stageJsonNatively } from "../../../src/emulator/copy/nativeJson.js"
import { queryRows } from "../../../src/emulator/engine/duck.js"
import { quoteString } from "../../../src/emulator/engine/lexer.js"
import { readOptions, stageTokens } from "../../../src/emulator/stages/sqlText.js"
import { withConnection } from "../../support/duckdb.js"
import { pick, random } from "../../support/random.js"

const format = (text: string) => readOptions(stageTokens(text), 0).options

const TYPES = ["VARCHAR", "DECIMAL(38,4)", "DECIMAL(38,12)", "DOUBLE", "BOOLEAN", "DATE", "BIGINT"]
const KEYS = ["ID", "id", "Name", "NAME", "amount", "FLAG", "when", "x y", 'q"k']
const VALUES = [
  '"text"',
  '"é 😀 \\u00e9 \\n \\"q\\""',
  '""',
  "0",
  "-7",
  "42",
  "123456789012345",
  "1.5",
  "-0.25",
  "1E5",
  "2.5e-3",
  "1.0",
  "12345678901234567",
  "1234567890.123456789",
  "1234567.123456789012",
  "true",
  "false",
  "null",
  '"2024-02-29"',
  '"not a date"',
  '"12.3400"',
  '"TRUE"',
  "[1, 2]",
  '{"a": 1}',
  "NaN"
]

/** One JSON line: an object of a few members (some repeated, some odd), or now and then not an object. */
const line = (next: () => number): string => {
  const r = next()
  if (r < 0.03) return pick(next, VALUES)
  if (r < 0.06) return ""
  const count = Math.floor(next() * 4)
  const members = Array.from(
    { length: count },
    () => `${JSON.stringify(pick(next, KEYS))}: ${pick(next, VALUES)}`
  )
  return `{${members.join(", ")}}`
}

/** A generated case: a target of 1–3 columns, a name match, and a file of 1–`maxLines` lines. */
const generatedCase = (next: () => number, n: number, maxLines: number, nullable: () => boolean) => {
  const width = 1 + Math.floor(next() * 3)
  const target: Target = {
    sql: "unused",
    name: "T",
    columns: Array.from({ length: width }, () => ({
      name: pick(next, KEYS),
      type: pick(next, TYPES),
      nullable: nullable()
    }))
  }
  const sensitive = next() < 0.5
  const matchName = sensitive ? (s: string) => s : (s: string) => s.toLowerCase()
  const lines = Array.from({ length: 1 + Math.floor(next() * maxLines) }, () => line(next))
  const text = lines.join(next() < 0.2 ? "\r\n" : "\n") + (next() < 0.7 ? "\n" : "")
  const label = `case ${n}: ${JSON.stringify(text)} columns ${JSON.stringify(target.columns)} ${sensitive ? "CASE_SENSITIVE" : "CASE_INSENSITIVE"}`
  return { width, target, matchName, text, label }
}

const temporaryTables = (connection: DuckDBConnection, like = "%") =>
  queryRows(
    connection,
    `SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name LIKE ${quoteString(like)}`
  ).pipe(
    Effect.orDie,
    Effect.map((rows) => Number(rows[0]?.[0]))
  )

const rowsOf = (connection: DuckDBConnection, staged: StagedFile, width: number) =>
  Effect.gen(function* () {
    const cells = Array.from({ length: width }, (_, i) => `"v${i}"::VARCHAR`).join(", ")
    const rows = yield* queryRows(connection, `SELECT ${cells} FROM ${staged.table}`).pipe(Effect.orDie)
    yield* dropStaged(connection, staged)
    return rows.map((r) => r.map((v) => (v === null ? null : String(v))))
  })

/** The exact path's cells, converted by DuckDB as the fast path converts (undefined: a bad cell). */
const exactRows = (
  connection: DuckDBConnection,
  target: Target,
  text: string,
  matchName: (name: string) => string
) =>
  Effect.gen(function* () {
    const parsed = parseJson(
      text,
      format(""),
      target.columns.map((c) => c.name),
      matchName
    )
    if (parsed.errors.length > 0) return "errors" as const
    if (parsed.records.length === 0) return [] as Array<Array<string | null>>
    const width = target.columns.length
    const values = parsed.records
      .map((r) => `(${r.cells.map((c) => (c === null ? "NULL::VARCHAR" : quoteString(c))).join(", ")})`)
      .join(", ")
    const names = Array.from({ length: width }, (_, i) => `c${i}`).join(", ")
    const staged = yield* stageTyped(
      connection,
      target,
      `(SELECT * FROM (VALUES ${values}) AS t(${names}))`
    ).pipe(Effect.orDie)
    return staged === undefined ? ("bad cell" as const) : yield* rowsOf(connection, staged, width)
  })

describe("the emulator's native JSON reader (read_ndjson_objects) agrees with parseJson", () => {
  it.effect("on 1,000 generated files, or declines", () =>
    withConnection((connection) =>
      Effect.gen(function* () {
        const next = random(Number(process.env.JSON_SEED ?? 20261128))
        let taken = 0
        for (let n = 0; n < Number(process.env.JSON_CASES ?? 1000); n++) {
          const { width, target, matchName, text, label } = generatedCase(next, n, 4, () => true)
          const staged = yield* stageJsonNatively(
            connection,
            target,
            Buffer.from(text),
            format(""),
            matchName
          )
          if (staged === undefined) continue
          taken++
          const native = yield* rowsOf(connection, staged, width)
          const exact = yield* exactRows(connection, target, text, matchName)
          assert.deepStrictEqual(native, exact, label)
        }
        // the fast path must really be exercised, not decline everything
        assert.isAbove(taken, 200, `native path taken ${taken} times`)
        assert.strictEqual(yield* temporaryTables(connection), 0, "nothing staged is left behind")
      })
    )
  )

  it.effect(
    "files with cells that do not convert: DuckDB finds the same bad rows and lines as the exact path",
    () =>
      withConnection((connection) =>
        Effect.gen(function* () {
          const next = random(Number(process.env.JSON_SEED ?? 20261128) + 1)
          let taken = 0
          let withBad = 0
          for (let n = 0; n < Number(process.env.JSON_CASES ?? 1000); n++) {
            const { target, matchName, text, label } = generatedCase(next, n, 5, () => next() < 0.8)
            const native = yield* stageJsonCellsNatively(
              connection,
              target,
              Buffer.from(text),
              format(""),
              matchName
            )
            if (native === undefined) continue
            taken++
            const exact = parseJson(
              text,
              format(""),
              target.columns.map((c) => c.name),
              matchName
            )
            assert.strictEqual(exact.errors.length, 0, `native read a file parseJson rejects — ${label}`)
            const staged = yield* stageRecords(connection, target, exact.records).pipe(Effect.orDie)
            assert.strictEqual(native.staged.rows, staged.rows, label)
            assert.deepStrictEqual(
              native.staged.bad.map((b) => [b.row, b.column]),
              staged.bad.map((b) => [b.row, b.column]),
              label
            )
            if (staged.bad.length > 0) withBad++
            for (const { row } of staged.bad)
              assert.strictEqual(native.records[row]?.line, exact.records[row]?.line, label)
            yield* dropStaged(connection, native.staged)
            yield* dropStaged(connection, staged)
          }
          assert.isAbove(taken, 50, `native cells path taken ${taken} times`)
          assert.isAbove(withBad, 20, `with bad rows ${withBad} times`)
          assert.strictEqual(yield* temporaryTables(connection), 0, "nothing staged is left behind")
        })
      )
  )

  it.effect("takes plain JSON lines, and declines what it cannot promise to read alike", () =>
    withConnection((connection) =>
      Effect.gen(function* () {
        const target: Target = {
          sql: "unused",
          name: "T",
          columns: [
            { name: "ID", type: "DECIMAL(38,0)", nullable: true },
            { name: "AMOUNT", type: "DECIMAL(12,2)", nullable: true },
            { name: "NAME", type: "VARCHAR", nullable: true }
          ]
        }
        const same = (s: string) => s
        const stage = (text: string, options = "", columns = target) =>
          stageJsonNatively(connection, columns, Buffer.from(text), format(options), same)
        const good = yield* stage('{"ID": 1, "AMOUNT": 2.5, "NAME": "a"}\n\n{"ID": 2, "NAME": null}\r\n')
        assert.isDefined(good)
        assert.deepStrictEqual(yield* rowsOf(connection, good!, 3), [
          ["1", "2.50", "a"],
          ["2", null, null]
        ])
        const declined: Array<[string, string?]> = [
          ['{"ID": 12345678901234567890}\n'], // a double cannot hold it
          ['{"AMOUNT": 123456789012345.67}\n'], // 17 digits and a point
          ['{"ID": NaN}\n'],
          ['[{"ID": 1}]\n', "STRIP_OUTER_ARRAY = TRUE"],
          ['{\n  "ID": 1\n}\n'], // one document over several lines
          ['{"ID": 1, "ID": 2}\n'], // JavaScript keeps the last
          ['{"ID": 1, "NAME": 1.5}\n'], // 1.5's text is not the same in both
          ['{"ID": 1, "NAME": {"a": 1}}\n'],
          ['{"ID": "x"}\n'], // does not convert: the exact path says where
          ['{"ID": 1}\n{"ID": 2}\nnot json\n']
        ]
        for (const [text, options] of declined)
          assert.isUndefined(yield* stage(text, options), `${JSON.stringify(text)} ${options ?? ""}`)
        // a VARIANT column is the exact path's
        assert.isUndefined(
          yield* stage('{"ID": 1}\n', "", {
            ...target,
            columns: [...target.columns, { name: "V", type: "JSON", nullable: true }]
          })
        )
        assert.strictEqual(yield* temporaryTables(connection), 0, "nothing staged is left behind")
      })
    )
  )

  // live: the pauses are real time (it.effect's clock is a test clock)
  it.live("leaves no table of documents behind when interrupted", () =>
    withConnection((connection) =>
      Effect.gen(function* () {
        const target: Target = {
          sql: "unused",
          name: "T",
          columns: [
            { name: "ID", type: "DECIMAL(38,0)", nullable: true },
            { name: "NAME", type: "VARCHAR", nullable: true }
          ]
        }
        const text = Array.from({ length: 50_000 }, (_, i) => `{"ID": ${i}, "NAME": "n${i}"}\n`).join("")
        // interrupted later and later — writing the file, reading it, checking, extracting — until
        // it is done before the interruption
        for (let after = 0; ; after += 5) {
          const fiber = yield* Effect.fork(
            stageJsonNatively(connection, target, Buffer.from(text), format(""), (s) => s)
          )
          yield* Effect.sleep(after)
          const exit = yield* Fiber.interrupt(fiber)
          if (Exit.isSuccess(exit) && exit.value !== undefined) yield* dropStaged(connection, exit.value)
          // its table of documents (stageTyped, in load.ts, may still leave its own when interrupted
          // between its CREATE and its count)
          assert.strictEqual(
            yield* temporaryTables(connection, "__sf_json_%"),
            0,
            `interrupted after ${after} ms`
          )
          if (Exit.isSuccess(exit) || after > 5000) {
            assert.isTrue(Exit.isSuccess(exit) && exit.value !== undefined, "then it stages the file")
            break
          }
        }
      })
    )
  )
})
