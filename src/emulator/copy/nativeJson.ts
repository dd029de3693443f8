/**
 * DuckDB's own JSON reader for COPY INTO … MATCH_BY_COLUMN_NAME — the fast path for JSON lines.
 * The exact path (formats.ts `parseJson`, then the appender) parses every document in JavaScript
 * on the event loop: ~12 s per million records, during which no other session is answered.
 *
 * `read_ndjson_objects` reads each line as a JSON document; a column's cell is the member of that
 * name (`json_extract_string`: strings as they are, numbers and booleans as their text), converted
 * like any staged cell (load.ts `stageTyped`). The file is read once, into a temporary table of
 * its documents, which the checks and the extraction then read. It is taken only when the result is sure to be what
 * `parseJson` gives, and declined (undefined: the caller takes the exact path) otherwise:
 *
 * - format options other than TYPE and COMPRESSION (STRIP_OUTER_ARRAY, date formats, …);
 * - a run of 16 digits (a number a double may not hold: DuckDB reads numbers as doubles), or
 *   `NaN` / `Infinity` anywhere in the file;
 * - a line that is not a JSON object (a file that is one document over many lines, an array);
 * - a column whose name matches two different keys (CASE_INSENSITIVE), a key DuckDB's paths cannot
 *   spell (a `"` or `\` in it), or a document with a key twice (JavaScript keeps the last);
 * - a VARIANT / OBJECT / ARRAY column (cells are JSON text, formatted by JavaScript), or a text
 *   column that receives a non-integer number, an object or an array (their text is formatted
 *   differently: `1E5` is `100000` to JavaScript and `100000.0` to DuckDB);
 * - a file DuckDB rejects, or any cell that does not convert (the exact path reports those with
 *   their line).
 *
 * test/emulator/stages/nativeJson.test.ts holds the two paths to the same rows on generated files.
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import { type DuckFailure, queryRows, runStatement } from "../engine/duck.js"
import { quoteIdent, quoteString } from "../engine/lexer.js"
import type { Options } from "../stages/sqlText.js"
import type { ParsedRecord } from "./formats.js"
import {
  dropStaged,
  type NativeCells,
  type StagedFile,
  stageFrom,
  stageTyped,
  type Target,
  withBodyFile
} from "./load.js"

/** Format options the fast path reads exactly as `parseJson` does (it ignores them). */
const NEUTRAL_OPTIONS = new Set(["TYPE", "COMPRESSION", "FILE_EXTENSION"])

const isDigit = (b: number) => b >= 0x30 && b <= 0x39

/** Whether a run of 16 digits and points occurs (a number a double may not hold exactly). */
const hasLongNumber = (body: Buffer): boolean => {
  let run = 0
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!
    if (isDigit(b) || (b === 0x2e && run > 0)) {
      if (++run >= 16) return true
    } else run = 0
  }
  return false
}

/** Text columns: a JSON number's text must be JavaScript's, which only integers share with DuckDB. */
const isText = (type: string) => type === "VARCHAR"
const isJson = (type: string) =>
  type === "JSON" || type.endsWith("[]") || type.startsWith("STRUCT") || type.startsWith("MAP")

/** A JSON path to the member `key`. */
const memberPath = (key: string) => quoteString(`$."${key}"`)

let documentsCounter = 0

/**
 * The file's documents (`json`, one row per line, in file order) in a temporary table for `use`:
 * the file is read and split once, and the checks and the extraction read the table. The table
 * goes when `use` ends, however it ends (an interrupted CREATE leaves none, or one to drop).
 */
const withDocuments = <A, E>(
  connection: DuckDBConnection,
  file: string,
  use: (table: string) => Effect.Effect<A, E>
): Effect.Effect<A, E | DuckFailure> => {
  documentsCounter += 1
  const table = quoteIdent(`__sf_json_${documentsCounter}`)
  return Effect.acquireUseRelease(
    Effect.succeed(table),
    (table) =>
      runStatement(
        connection,
        `CREATE TEMP TABLE ${table} AS SELECT json FROM read_ndjson_objects(${quoteString(file)})`
      ).pipe(Effect.zipRight(use(table))),
    (table) => runStatement(connection, `DROP TABLE IF EXISTS ${table}`).pipe(Effect.ignore)
  )
}

const isBlank = (b: number) => b === 0x20 || b === 0x09 || b === 0x0d

/** The lines of the body that hold something (parseJson skips blank ones): a byte scan. */
const documentLines = (body: Buffer) => {
  let lines = 0
  for (let start = 0; start < body.length; ) {
    const end = body.indexOf(0x0a, start)
    const stop = end < 0 ? body.length : end
    let i = start
    while (i < stop && isBlank(body[i]!)) i++
    if (i < stop) lines++
    start = stop + 1
  }
  return lines
}

/** The body's lines: a last line without a line end counts, an empty one after the last does not. */
const physicalLines = (body: Buffer) => {
  let lines = 0
  for (let at = body.indexOf(0x0a); at >= 0; at = body.indexOf(0x0a, at + 1)) lines++
  return body.length > 0 && body[body.length - 1] !== 0x0a ? lines + 1 : lines
}

/** Whether the fast path can even be tried on this body and target (before DuckDB reads it). */
const readable = (target: Target, body: Buffer, format: Options) =>
  ![...format.keys()].some((key) => !NEUTRAL_OPTIONS.has(key)) &&
  !target.columns.some((c) => isJson(c.type)) &&
  body.length > 0 &&
  !body.includes("NaN") &&
  !body.includes("Infinity") &&
  !hasLongNumber(body)

/**
 * The query of the documents' cells — `__row` (the document's index in the file), then `c0`,
 * `c1`, … as text — when DuckDB reads them as `parseJson` would; undefined otherwise.
 */
const cellsOf = (
  connection: DuckDBConnection,
  target: Target,
  documents: string,
  /** Lines of the file that are not blank: one document each, or DuckDB read the file otherwise. */
  lines: number,
  matchName: (name: string) => string,
  /**
   * The cells must fail to convert exactly where parseJson's would (the error path), not only
   * convert alike where both do: a non-integer number's text is JavaScript's there (`1.0` is `1`,
   * `1E5` is `100000`), which a BOOLEAN or BIGINT column may take where DuckDB's text fails.
   */
  sameFailures = false
): Effect.Effect<string | undefined, DuckFailure> =>
  Effect.gen(function* () {
    // every document an object with distinct keys; and the keys there are — from the distinct
    // (type, keys) pairs, few in a file of records, so each key list is checked once per pair
    const shape = yield* queryRows(
      connection,
      `WITH shapes AS MATERIALIZED (SELECT json_type(json) AS t, json_keys(json) AS k FROM ${documents} GROUP BY ALL)
       SELECT count(*) FILTER (WHERE t <> 'OBJECT'),
              count(*) FILTER (WHERE len(k) <> len(list_distinct(k))),
              (SELECT list(DISTINCT key) FROM (SELECT unnest(k) AS key FROM shapes)),
              (SELECT count(*) FROM ${documents})
       FROM shapes`
    )
    const [notObjects, repeated, keyList, count] = shape[0] ?? []
    if (Number(notObjects) !== 0 || Number(repeated) !== 0 || Number(count) !== lines) return undefined
    const keys = Array.isArray(keyList) ? keyList.map(String) : []
    const members: Array<string | undefined> = []
    for (const column of target.columns) {
      const matching = keys.filter((k) => matchName(k) === matchName(column.name))
      if (matching.length > 1 || matching.some((k) => /["\\]/.test(k))) return undefined
      members.push(matching[0])
    }
    // every member in one call (a document is parsed once per row, not once per column)
    const present = [...new Set(members.filter((key): key is string => key !== undefined))]
    const paths = `[${present.map(memberPath).join(", ")}]`
    const at = (key: string) => present.indexOf(key) + 1
    const cells = members.map((key, i) =>
      key === undefined ? `CAST(NULL AS VARCHAR) AS c${i}` : `e[${at(key)}] AS c${i}`
    )
    // text columns take strings, integers, booleans and nulls only; for the same failures, other
    // columns take non-integer numbers only when decimal or floating, and written without exponent
    const textChecks = members.flatMap((key, i) => {
      if (key === undefined) return []
      const type = target.columns[i]!.type
      if (isText(type)) return [`t[${at(key)}] NOT IN ('VARCHAR', 'BIGINT', 'UBIGINT', 'BOOLEAN', 'NULL')`]
      if (!sameFailures) return []
      const decimal = /^(DECIMAL|DOUBLE|FLOAT|REAL)/.test(type)
      return [
        decimal
          ? `(t[${at(key)}] = 'DOUBLE' AND regexp_matches(x[${at(key)}], '[eE]'))`
          : `t[${at(key)}] = 'DOUBLE'`
      ]
    })
    if (textChecks.length > 0) {
      const odd = yield* queryRows(
        connection,
        `SELECT count(*) FROM (SELECT json_type(json, ${paths}) AS t, json_extract_string(json, ${paths}) AS x FROM ${documents}) WHERE ${textChecks.join(" OR ")}`
      )
      if (Number(odd[0]?.[0]) !== 0) return undefined
    }
    // CREATE TABLE AS kept the file's order: rowid is the document's index
    const extracted =
      present.length === 0
        ? `(SELECT rowid AS __row FROM ${documents})`
        : `(SELECT rowid AS __row, json_extract_string(json, ${paths}) AS e FROM ${documents})`
    return `(SELECT __row, ${cells.join(", ")} FROM ${extracted})`
  })

export const stageJsonNatively = (
  connection: DuckDBConnection,
  target: Target,
  body: Buffer,
  format: Options,
  /** How a document's keys meet the column names (MATCH_BY_COLUMN_NAME). */
  matchName: (name: string) => string
): Effect.Effect<StagedFile | undefined> => {
  if (!readable(target, body, format)) return Effect.succeed(undefined)
  // a staged result not yet handed back when the fiber is interrupted (while the documents and the
  // file go) is dropped, not lost
  return Effect.suspend(() => {
    let staged: StagedFile | undefined
    return withBodyFile(body, ".json", (file) =>
      withDocuments(connection, file, (documents) =>
        Effect.gen(function* () {
          const cells = yield* cellsOf(connection, target, documents, documentLines(body), matchName)
          if (cells === undefined) return undefined
          staged = yield* stageTyped(connection, target, `(SELECT * EXCLUDE (__row) FROM ${cells})`)
          return staged
        })
      ).pipe(Effect.orElseSucceed(() => undefined))
    ).pipe(Effect.onInterrupt(() => (staged === undefined ? Effect.void : dropStaged(connection, staged))))
  })
}

/**
 * The error path of `stageJsonNatively`, for a file DuckDB reads right but where some cell does not
 * convert: DuckDB stages the text cells and finds the bad rows (load.ts `stageFrom`), instead of the
 * exact path parsing every document on the event loop to report a few bad values. Taken only when
 * every line holds a document (no blank line: the document and physical line counts agree), so
 * that document r is line r + 1.
 */
export const stageJsonCellsNatively = (
  connection: DuckDBConnection,
  target: Target,
  body: Buffer,
  format: Options,
  matchName: (name: string) => string
): Effect.Effect<NativeCells | undefined> => {
  if (!readable(target, body, format) || documentLines(body) !== physicalLines(body))
    return Effect.succeed(undefined)
  return Effect.suspend(() => {
    let staged: StagedFile | undefined
    return withBodyFile(body, ".json", (file) =>
      withDocuments(connection, file, (documents) =>
        Effect.gen(function* () {
          const cells = yield* cellsOf(connection, target, documents, documentLines(body), matchName, true)
          if (cells === undefined) return undefined
          staged = yield* stageFrom(connection, target, cells)
          // each bad row's record: its line, every field starting at its first character (parseJson's)
          const records: Array<ParsedRecord> = []
          for (const { row } of staged.bad)
            records[row] = { cells: [], line: row + 1, starts: target.columns.map(() => 1) }
          return { staged, records }
        })
      ).pipe(Effect.orElseSucceed(() => undefined))
    ).pipe(Effect.onInterrupt(() => (staged === undefined ? Effect.void : dropStaged(connection, staged))))
  })
}
