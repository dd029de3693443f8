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
import { dropStaged, type StagedFile, stageTyped, type Target, withBodyFile } from "./load.js"
import type { Options } from "./sqlText.js"

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

export const stageJsonNatively = (
  connection: DuckDBConnection,
  target: Target,
  body: Buffer,
  format: Options,
  /** How a document's keys meet the column names (MATCH_BY_COLUMN_NAME). */
  matchName: (name: string) => string
): Effect.Effect<StagedFile | undefined> => {
  if (
    [...format.keys()].some((key) => !NEUTRAL_OPTIONS.has(key)) ||
    target.columns.some((c) => isJson(c.type)) ||
    body.length === 0 ||
    body.includes("NaN") ||
    body.includes("Infinity") ||
    hasLongNumber(body)
  )
    return Effect.succeed(undefined)
  // a staged result not yet handed back when the fiber is interrupted (while the documents and the
  // file go) is dropped, not lost
  return Effect.suspend(() => {
    let staged: StagedFile | undefined
    return withBodyFile(body, ".json", (file) =>
      withDocuments(connection, file, (documents) =>
        Effect.gen(function* () {
          // every document an object with distinct keys; and the keys there are — from the distinct
          // (type, keys) pairs, few in a file of records, so each key list is checked once per pair
          const shape = yield* queryRows(
            connection,
            `WITH shapes AS MATERIALIZED (SELECT json_type(json) AS t, json_keys(json) AS k FROM ${documents} GROUP BY ALL)
             SELECT count(*) FILTER (WHERE t <> 'OBJECT'),
                    count(*) FILTER (WHERE len(k) <> len(list_distinct(k))),
                    (SELECT list(DISTINCT key) FROM (SELECT unnest(k) AS key FROM shapes))
             FROM shapes`
          )
          const [notObjects, repeated, keyList] = shape[0] ?? []
          if (Number(notObjects) !== 0 || Number(repeated) !== 0) return undefined
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
          // text columns take strings, integers, booleans and nulls only
          const textChecks = members.flatMap((key, i) =>
            key === undefined || !isText(target.columns[i]!.type)
              ? []
              : [`t[${at(key)}] NOT IN ('VARCHAR', 'BIGINT', 'UBIGINT', 'BOOLEAN', 'NULL')`]
          )
          if (textChecks.length > 0) {
            const odd = yield* queryRows(
              connection,
              `SELECT count(*) FROM (SELECT json_type(json, ${paths}) AS t FROM ${documents}) WHERE ${textChecks.join(" OR ")}`
            )
            if (Number(odd[0]?.[0]) !== 0) return undefined
          }
          const extracted =
            present.length === 0
              ? documents
              : `(SELECT json_extract_string(json, ${paths}) AS e FROM ${documents})`
          staged = yield* stageTyped(connection, target, `(SELECT ${cells.join(", ")} FROM ${extracted})`)
          return staged
        })
      ).pipe(Effect.orElseSucceed(() => undefined))
    ).pipe(Effect.onInterrupt(() => (staged === undefined ? Effect.void : dropStaged(connection, staged))))
  })
}
