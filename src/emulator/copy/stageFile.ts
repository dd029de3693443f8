/**
 * One staged file into a DuckDB staging table, every cell checked against the target's types
 * (load.ts): through DuckDB's own CSV or JSON-lines reader when it reads the file exactly as the
 * exact parsers would (nativeCsv.ts, nativeJson.ts), else parsed here (formats.ts) — or through a
 * transform's expressions (copyTransform.ts), or as Parquet.
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import { EngineError, type SessionContext } from "../engine/Engine.js"
import { internal } from "../stages/errors.js"
import type { Options } from "../stages/sqlText.js"
import { stageTransformed, type Transform } from "./copyTransform.js"
import { type ParsedFile, type ParsedRecord, parseCsv, parseJson, type RecordError } from "./formats.js"
import { parquetDocuments, type StagedFile, stageParquet, stageRecords, type Target } from "./load.js"
import { columnCountError } from "./loadErrors.js"
import { stageCsvCellsNatively, stageCsvNatively } from "./nativeCsv.js"
import { stageJsonCellsNatively, stageJsonNatively } from "./nativeJson.js"

/**
 * How MATCH_BY_COLUMN_NAME compares a file's names with the table's: the key each is reduced to
 * (CASE_INSENSITIVE folds case, CASE_SENSITIVE keeps it); undefined for NONE, by position.
 */
export type NameMatch = (name: string) => string

export const nameMatch = (option: string | undefined): NameMatch | undefined => {
  const mode = (option ?? "NONE").toUpperCase()
  if (mode === "CASE_SENSITIVE") return (name) => name
  if (mode === "CASE_INSENSITIVE") return (name) => name.toLowerCase()
  return undefined
}

/** How every file of one COPY is read. */
export interface FileReading {
  readonly connection: DuckDBConnection
  readonly target: Target
  readonly type: "CSV" | "JSON" | "PARQUET"
  readonly format: Options
  readonly matchName: NameMatch | undefined
  /** ERROR_ON_COLUMN_COUNT_MISMATCH (CSV by position). */
  readonly strictCount: boolean
  readonly transformed: { readonly transform: Transform; readonly alias?: string } | undefined
  readonly context: SessionContext & { readonly sessionId: string }
  /** ON_ERROR = ABORT_STATEMENT: a transform may stop at its first bad record. */
  readonly abort: boolean
}

export interface StagedRead {
  readonly staged: StagedFile
  /** The parsed records by staged row (only the bad rows' when DuckDB read the file). */
  readonly records: Array<ParsedRecord>
  /** Records that never made it to a row (unparseable, wrong field count). */
  readonly recordErrors: Array<RecordError>
}

/** Lines the file's records up with the target columns (CSV positions, or header names compared by `matchName`). */
const alignRecords = (
  parsed: ParsedFile,
  columns: ReadonlyArray<string>,
  matchName: NameMatch | undefined,
  strictCount: boolean
): { records: Array<ParsedRecord>; errors: Array<RecordError> } => {
  const records: Array<ParsedRecord> = []
  const errors: Array<RecordError> = [...parsed.errors]
  const header = parsed.header
  const order =
    matchName !== undefined && header !== undefined
      ? columns.map((c) => header.findIndex((h) => matchName(h) === matchName(c)))
      : undefined
  for (const r of parsed.records) {
    if (order !== undefined) {
      records.push({
        ...r,
        cells: order.map((i) => (i < 0 ? null : (r.cells[i] ?? null))),
        starts: order.map((i) => r.starts[i] ?? 1)
      })
    } else if (r.cells.length !== columns.length && strictCount) {
      errors.push(
        columnCountError(r.line, r.cells.length, `that of the corresponding table (${columns.length})`)
      )
    } else records.push({ ...r, cells: columns.map((_, i) => r.cells[i] ?? null) })
  }
  return { records, errors }
}

const parquetUnreadable = (name: string) => (e: { readonly message: string }) =>
  internal({ message: `cannot read Parquet file ${name}: ${e.message}` })

/** Every field as read (a transform's expressions pick theirs), or the document (a Parquet row is the object of its columns). */
const readForTransform = (reading: FileReading, body: Buffer, name: string) =>
  reading.type === "PARQUET"
    ? Effect.map(
        parquetDocuments(reading.connection, body).pipe(Effect.mapError(parquetUnreadable(name))),
        (records): ParsedFile => ({ records, errors: [], header: undefined })
      )
    : Effect.succeed(
        reading.type === "CSV"
          ? parseCsv(body.toString("utf8"), reading.format)
          : parseJson(body.toString("utf8"), reading.format, undefined)
      )

export const stageFile = (
  reading: FileReading,
  file: { readonly name: string; readonly relative: string },
  body: Buffer
): Effect.Effect<StagedRead, EngineError> =>
  Effect.gen(function* () {
    const { connection, target, type, format, matchName, transformed } = reading
    const byName = matchName !== undefined
    if (transformed !== undefined) {
      const parsed = yield* readForTransform(reading, body, file.name)
      const records = [...parsed.records]
      const recordErrors = [...parsed.errors]
      const result = yield* stageTransformed(
        connection,
        target,
        transformed.transform,
        transformed.alias,
        records,
        file.relative,
        type !== "CSV",
        reading.context,
        reading.abort
      ).pipe(Effect.mapError((e) => (e instanceof EngineError ? e : internal(e))))
      recordErrors.push(...result.errors)
      return { staged: result.staged, records, recordErrors }
    }
    if (type === "PARQUET") {
      const staged = yield* stageParquet(connection, target, body, matchName).pipe(
        Effect.mapError(parquetUnreadable(file.name))
      )
      return { staged, records: [], recordErrors: [] }
    }
    const csvByPosition = type === "CSV" && !byName
    const jsonByName = type === "JSON" && matchName !== undefined
    const fast = csvByPosition
      ? yield* stageCsvNatively(connection, target, body, format)
      : jsonByName
        ? yield* stageJsonNatively(connection, target, body, format, matchName)
        : undefined
    if (fast !== undefined) return { staged: fast, records: [], recordErrors: [] }
    // a CSV or JSON-lines file DuckDB reads right but with cells that do not convert: DuckDB
    // still stages it and finds the bad rows (nativeCsv.ts, nativeJson.ts)
    const cells = csvByPosition
      ? yield* stageCsvCellsNatively(connection, target, body, format)
      : jsonByName
        ? yield* stageJsonCellsNatively(connection, target, body, format, matchName)
        : undefined
    if (cells !== undefined)
      return { staged: cells.staged, records: cells.records as Array<ParsedRecord>, recordErrors: [] }
    const columns = target.columns.map((c) => c.name)
    const text = body.toString("utf8")
    const parsed =
      type === "CSV"
        ? parseCsv(text, format)
        : parseJson(text, format, byName ? columns : undefined, matchName)
    const aligned = alignRecords(
      parsed,
      columns,
      type === "CSV" ? matchName : undefined,
      reading.strictCount && type === "CSV"
    )
    const staged = yield* stageRecords(connection, target, aligned.records).pipe(Effect.mapError(internal))
    return { staged, records: aligned.records, recordErrors: aligned.errors }
  })
