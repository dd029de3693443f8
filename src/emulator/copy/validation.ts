/**
 * COPY INTO … VALIDATION_MODE: the files are read, parsed and checked exactly as a load would
 * check them, and nothing is inserted, purged or written to the load history.
 *
 * - `RETURN_ERRORS` answers one row per error in the files the COPY would load (the load history
 *   still skips files already loaded); `RETURN_ALL_ERRORS` also reads files an earlier
 *   ON_ERROR = CONTINUE load took in part. Each row says where the error is (file, line,
 *   character, byte offset in the uncompressed file, record number, column) and holds the
 *   record's text (its first line, for a record spanning lines).
 * - `RETURN_<n>_ROWS` answers the first n rows as they would load, typed as the table's columns,
 *   and fails with the first error met in those n records (errors after them do not matter).
 *   The files after the one that completes the n rows are not read.
 *
 * Snowflake does not validate transforms; the caller refuses them before reading anything.
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import { STATEMENT_TYPE_ID } from "../engine/classify.js"
import { runStatement } from "../engine/duck.js"
import { EngineError, type SessionContext, type StatementResult } from "../engine/Engine.js"
import { quoteIdent } from "../engine/lexer.js"
import { fixedCol, rowsResult, textCol } from "../stages/columns.js"
import { internal, syntax } from "../stages/errors.js"
import type { ListedObject } from "../stages/statements.js"
import type { ParsedRecord, RecordError } from "./formats.js"
import { type BadCell, dropStaged, insertStaged, type StagedFile, type Target } from "./load.js"
import { recordNumbers } from "./recordNumbers.js"

export type ValidationMode =
  | { readonly _tag: "Errors"; readonly all: boolean }
  | { readonly _tag: "Rows"; readonly rows: number }

/** The option's value read, or a compilation error naming it. */
export const validationModeOf = (
  text: string | undefined
): Effect.Effect<ValidationMode | undefined, EngineError> => {
  if (text === undefined) return Effect.succeed(undefined)
  const mode = text.toUpperCase()
  if (mode === "RETURN_ERRORS") return Effect.succeed({ _tag: "Errors", all: false })
  if (mode === "RETURN_ALL_ERRORS") return Effect.succeed({ _tag: "Errors", all: true })
  const rows = /^RETURN_([1-9][0-9]*)_ROWS$/.exec(mode)
  if (rows !== null && Number.isSafeInteger(Number(rows[1])))
    return Effect.succeed({ _tag: "Rows", rows: Number(rows[1]) })
  return Effect.fail(syntax(`invalid value '${text}' for option VALIDATION_MODE`))
}

export const transformNotValidated = EngineError.copyOptionUnsupported(
  "VALIDATION_MODE does not support COPY statements that transform data during a load."
)

/** A cell's error, as the load reports it (copyInto.ts `badCell`). */
export interface CellFault extends RecordError {
  readonly columnName: string | null
  /** The record's number in its file, when known (else the line stands for it). */
  readonly row?: number
}

/** One file as the load read it: what a validation looks at. */
export interface ReadFile {
  readonly file: ListedObject
  /** The uncompressed, decrypted bytes (for byte offsets and rejected records). */
  readonly body: Buffer
  /** Whether the body is text with lines (CSV, JSON); Parquet is not. */
  readonly text: boolean
  /**
   * The parsed records by staged row; when DuckDB's own reader staged the file, only the rows with
   * a bad cell (the others are holes), or none.
   */
  readonly records: ReadonlyArray<ParsedRecord>
  /** Records that could not be read at all (wrong field count, bad JSON). */
  readonly recordErrors: ReadonlyArray<RecordError>
  readonly staged: StagedFile
}

export interface Validator {
  /** Takes one file; true when no further file needs reading. */
  readonly take: (read: ReadFile) => Effect.Effect<boolean, EngineError>
  readonly result: Effect.Effect<StatementResult, EngineError>
  readonly release: Effect.Effect<void>
}

/** Start offsets of the body's lines, found once per file that has an error. */
const lineStarts = (body: Buffer): ReadonlyArray<number> => {
  const starts = [0]
  let at = body.indexOf(0x0a)
  while (at >= 0) {
    starts.push(at + 1)
    at = body.indexOf(0x0a, at + 1)
  }
  return starts
}

interface Located extends CellFault {
  readonly category: "parsing" | "conversion"
}

const validationColumns = [
  textCol("ERROR"),
  textCol("FILE"),
  fixedCol("LINE"),
  fixedCol("CHARACTER"),
  fixedCol("BYTE_OFFSET"),
  textCol("CATEGORY"),
  fixedCol("CODE"),
  textCol("SQL_STATE"),
  textCol("COLUMN_NAME"),
  fixedCol("ROW_NUMBER"),
  fixedCol("ROW_START_LINE"),
  textCol("REJECTED_RECORD")
]

let previewCounter = 0

export const makeValidator = (
  mode: ValidationMode,
  connection: DuckDBConnection,
  target: Target,
  context: SessionContext,
  /** The load's own description of a staged bad cell (copyInto.ts `badCell`). */
  cellFault: (
    staged: StagedFile,
    bad: BadCell,
    record: ParsedRecord | undefined
  ) => Effect.Effect<CellFault, EngineError>,
  /** Runs a statement through the engine (the preview's rows get the table's column types). */
  run: (sql: string) => Effect.Effect<StatementResult, EngineError>,
  /** A load error in Snowflake's words (copyInto.ts `loadError`). */
  loadError: (fault: CellFault, file: string) => EngineError
): Validator => {
  const errorRows: Array<Array<string | null>> = []
  previewCounter += 1
  const preview = quoteIdent(`__sf_copy_preview_${previewCounter}`)
  let previewCreated = false
  let taken = 0

  /** Every error of a file, in line order, each with the record number it has in the file. */
  const faults = (read: ReadFile) =>
    Effect.gen(function* () {
      const located: Array<Located & { readonly rowNumber: number }> = []
      const numbers = recordNumbers(read.records, read.recordErrors)
      for (const e of read.recordErrors)
        located.push({ ...e, columnName: null, category: "parsing", rowNumber: numbers.ofError(e) })
      for (const bad of read.staged.bad) {
        const record = read.records[bad.row]
        const fault = yield* cellFault(read.staged, bad, record)
        const line = record?.line ?? bad.row + 1
        located.push({ ...fault, category: "conversion", rowNumber: numbers.ofRow(bad.row, line) })
      }
      return located.sort((a, b) => a.rowNumber - b.rowNumber)
    })

  const errorRowsOf = (read: ReadFile, located: ReadonlyArray<Located & { readonly rowNumber: number }>) => {
    const starts = read.text && located.length > 0 ? lineStarts(read.body) : []
    for (const f of located) {
      const start = starts[f.line - 1]
      let byteOffset: number | null = null
      let rejected: string | null = null
      if (start !== undefined) {
        const end = read.body.indexOf(0x0a, start)
        const lineText = read.body
          .toString("utf8", start, end < 0 ? read.body.length : end)
          .replace(/\r$/, "")
        byteOffset = start + Buffer.byteLength(lineText.slice(0, Math.max(f.character - 1, 0)))
        rejected = lineText
      }
      errorRows.push([
        f.message,
        read.file.name,
        String(f.line),
        String(f.character),
        byteOffset === null ? null : String(byteOffset),
        f.category,
        String(Number(f.code)),
        f.sqlState,
        f.columnName,
        String(f.rowNumber),
        String(f.line),
        rejected
      ])
    }
  }

  /** The table the rows to show go to: the target's columns and types. */
  const createPreview = Effect.suspend(() =>
    previewCreated
      ? Effect.void
      : runStatement(
          connection,
          `CREATE OR REPLACE TEMP TABLE ${preview} AS SELECT * FROM ${target.sql} LIMIT 0`
        ).pipe(
          Effect.mapError(internal),
          Effect.tap(() => {
            previewCreated = true
          })
        )
  )

  const take = (read: ReadFile) =>
    Effect.gen(function* () {
      const located = yield* faults(read)
      if (mode._tag === "Errors") {
        errorRowsOf(read, located)
        return false
      }
      const wanted = mode.rows - taken
      const first = located[0]
      if (first !== undefined && first.rowNumber <= wanted)
        return yield* Effect.fail(loadError({ ...first, row: first.rowNumber }, read.file.name))
      yield* createPreview
      // the whole file goes in (the good rows, in file order); the answer takes the first n
      const inserted = yield* insertStaged(
        connection,
        { ...target, sql: preview },
        read.staged,
        read.staged.bad.map((b) => b.row)
      ).pipe(Effect.mapError(internal))
      taken += inserted
      return taken >= mode.rows
    }).pipe(Effect.ensuring(dropStaged(connection, read.staged)))

  const result: Effect.Effect<StatementResult, EngineError> =
    mode._tag === "Errors"
      ? Effect.succeed(rowsResult(validationColumns, errorRows, STATEMENT_TYPE_ID.copy, context))
      : Effect.zipRight(
          createPreview,
          Effect.map(run(`SELECT * FROM ${preview} LIMIT ${mode.rows}`), (rows) => ({
            ...rows,
            statementTypeId: STATEMENT_TYPE_ID.copy
          }))
        )

  const release = Effect.suspend(() =>
    previewCreated
      ? runStatement(connection, `DROP TABLE IF EXISTS ${preview}`).pipe(Effect.ignore)
      : Effect.void
  )

  return { take, result, release }
}
