/** A load's errors in Snowflake's words: COPY INTO, VALIDATION_MODE and stage binds report them alike. */
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import { EngineError } from "../engine/Engine.js"
import { internal } from "../stages/errors.js"
import type { ParsedRecord, RecordError } from "./formats.js"
import { type BadCell, conversionError, type StagedFile, stagedCell, type Target } from "./load.js"

export interface FirstError extends RecordError {
  readonly columnName: string | null
  /** The record's number in its file (`Row n`), when known; else the line stands for it. */
  readonly row?: number
}

/** A record whose field count is not what the statement takes (`expected` says what it should be). */
export const columnCountError = (line: number, found: number, expected: string): RecordError => ({
  line,
  character: 1,
  code: "100080",
  sqlState: "22000",
  message: `Number of columns in file (${found}) does not match ${expected}, use file format option error_on_column_count_mismatch=false to ignore this error`
})

const columnLabel = (target: Target, column: number) =>
  `"${target.name}"["${target.columns[column]?.name ?? ""}":${column + 1}]`

/** The first bad cell of a staged file (`bad` from its check), in Snowflake's words. */
export const badCell = (
  connection: DuckDBConnection,
  target: Target,
  staged: StagedFile,
  bad: BadCell,
  record: ParsedRecord | undefined
) =>
  Effect.map(
    bad.value !== undefined
      ? Effect.succeed(bad.value)
      : stagedCell(connection, staged, bad.row, bad.column).pipe(Effect.mapError(internal)),
    (value): FirstError => ({
      ...conversionError(
        target.columns[bad.column]?.type ?? "",
        value,
        target.truncateColumns === true ? undefined : target.columns[bad.column]?.maxLength
      ),
      line: record?.line ?? bad.row + 1,
      character: record?.starts[bad.column] ?? 1,
      column: bad.column,
      columnName: columnLabel(target, bad.column)
    })
  )

/**
 * A load error as Snowflake reports it: the message, then where (file, line, character, row,
 * column). Its code and SQLSTATE are the record's own (100038, 100074, 100080, …).
 */
export const loadError = (f: FirstError, file: string, hint?: string) =>
  new EngineError(
    f.code,
    f.sqlState,
    `${f.message}\n  File '${file}', line ${f.line}, character ${f.character}\n` +
      `  Row ${f.row ?? f.line}${f.columnName === null ? "" : `, column ${f.columnName}`}` +
      (hint === undefined ? "" : `\n  ${hint}`)
  )
