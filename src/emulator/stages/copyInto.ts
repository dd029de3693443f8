/**
 * COPY INTO <table> FROM @stage (§10): picks the stage files (FILES, PATTERN, load history unless
 * FORCE), reads each back from storage, decrypts (§9.4) and gunzips it, parses it (CSV, JSON,
 * Parquet; CSV and JSON lines through DuckDB's readers when they read the file exactly as the
 * exact parsers would — nativeCsv.ts, nativeJson.ts),
 * stages it in DuckDB and checks every cell against the target's types, then applies
 * ON_ERROR (ABORT_STATEMENT loads nothing if any file has an error; CONTINUE loads the good rows;
 * SKIP_FILE[_n[%]] drops a file with too many errors), PURGE, SIZE_LIMIT and RETURN_FAILED_ONLY.
 * A string longer than its column's declared length is its record's error (100074), or is cut to
 * it with TRUNCATECOLUMNS = TRUE / ENFORCE_LENGTH = FALSE (lengths.ts).
 *
 * Load history: a file (storage key + MD5) loaded into a table is not loaded again without
 * FORCE=TRUE — it is skipped silently, as Snowflake does (fakesnow reports LOAD_SKIPPED rows
 * instead); when every file is skipped the answer is `Copy executed with 0 files processed.`.
 */
import { promisify } from "node:util"
import { gunzip } from "node:zlib"
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import { STATEMENT_TYPE_ID } from "../engine/classify.js"
import { EngineError, type StatementResult } from "../engine/Engine.js"
import { qualify } from "./catalog.js"
import { fixedCol, rowsResult, textCol } from "./columns.js"
import { parseTransform, stageTransformed } from "./copyTransform.js"
import { decryptObject } from "./crypto.js"
import { internal, storageFailure, syntax, tableMissing } from "./errors.js"
import { resolveFileFormat } from "./fileFormats.js"
import { type ParsedFile, type ParsedRecord, parseCsv, parseJson, type RecordError } from "./formats.js"
import type { HookEnv, StageDeps } from "./hook.js"
import { truncatesColumns } from "./lengths.js"
import {
  type BadCell,
  conversionError,
  dropStaged,
  findTarget,
  insertStaged,
  parquetDocuments,
  type StagedFile,
  stagedCell,
  stageParquet,
  stageRecords,
  type Target
} from "./load.js"
import { stageCsvCellsNatively, stageCsvNatively } from "./nativeCsv.js"
import { stageJsonCellsNatively, stageJsonNatively } from "./nativeJson.js"
import { recordNumbers } from "./recordNumbers.js"
import {
  listOption,
  nameParts,
  type Options,
  readOptions,
  type StageToken,
  stageTokens,
  textOption,
  upper
} from "./sqlText.js"
import { type ListedObject, patternOf, resolveStage, stageObjects } from "./statements.js"
import { makeValidator, transformNotValidated, validationModeOf } from "./validation.js"

type OnError =
  | { readonly _tag: "Abort" }
  | { readonly _tag: "Continue" }
  | { readonly _tag: "SkipFile"; readonly limit: number; readonly percent: boolean }

const onErrorOf = (text: string | undefined): OnError => {
  const t = (text ?? "ABORT_STATEMENT").toUpperCase()
  if (t === "CONTINUE") return { _tag: "Continue" }
  if (t === "SKIP_FILE") return { _tag: "SkipFile", limit: 1, percent: false }
  const m = /^SKIP_FILE_(\d+)(%?)$/.exec(t)
  if (m !== null) return { _tag: "SkipFile", limit: Number(m[1]), percent: m[2] === "%" }
  return { _tag: "Abort" }
}

export interface FirstError extends RecordError {
  readonly columnName: string | null
  /** The record's number in its file (`Row n`), when known; else the line stands for it. */
  readonly row?: number
}

interface FileLoad {
  readonly file: ListedObject
  readonly rowsParsed: number
  readonly errorsSeen: number
  readonly first: FirstError | undefined
  readonly staged: StagedFile | undefined
  /** Staged rows not to insert. */
  readonly skip: ReadonlyArray<number>
}

/** A record whose field count is not what the statement takes (`expected` says what it should be). */
export const columnCountError = (line: number, found: number, expected: string): RecordError => ({
  line,
  character: 1,
  code: "100080",
  sqlState: "22000",
  message: `Number of columns in file (${found}) does not match ${expected}, use file format option error_on_column_count_mismatch=false to ignore this error`
})

/**
 * How MATCH_BY_COLUMN_NAME compares a file's names with the table's: the key each is reduced to
 * (CASE_INSENSITIVE folds case, CASE_SENSITIVE keeps it); undefined for NONE, by position.
 */
export type NameMatch = (name: string) => string

const nameMatch = (option: string | undefined): NameMatch | undefined => {
  const mode = (option ?? "NONE").toUpperCase()
  if (mode === "CASE_SENSITIVE") return (name) => name
  if (mode === "CASE_INSENSITIVE") return (name) => name.toLowerCase()
  return undefined
}

/**
 * SIZE_LIMIT: files are taken in order while the bytes taken so far are below the limit — the file
 * that crosses it is still loaded, and so is the first file whatever its size (Snowflake's rule).
 */
const withinSizeLimit = (limit: number) => {
  let taken = 0
  return (o: { readonly object: { readonly size: number } }): boolean => {
    if (!(taken < limit)) return false
    taken += o.object.size
    return true
  }
}

export const merge = (base: Options, over: Options | undefined): Options =>
  over === undefined ? base : new Map([...base, ...over])

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

const gunzipAsync = promisify(gunzip)

/**
 * A staged file's bytes as written: decrypted (§9.4), gunzipped when they are gzip whatever the
 * name says. Gunzip runs on libuv's pool: done on the event loop it would stall every other
 * session of the emulator (~0.3 s per 40 MB of CSV).
 */
export const readBody = (
  deps: StageDeps,
  key: string,
  masterKey: Buffer
): Effect.Effect<Buffer, EngineError> => {
  const unreadable = (e: unknown) => internal({ message: `cannot read staged file ${key}: ${String(e)}` })
  return deps.storage.read(key).pipe(
    Effect.mapError(storageFailure),
    Effect.flatMap((data) =>
      Effect.try({ try: () => decryptObject(data.body, data.metadata, masterKey), catch: unreadable })
    ),
    Effect.flatMap((plain) =>
      plain.length >= 2 && plain[0] === 0x1f && plain[1] === 0x8b
        ? Effect.tryPromise({ try: () => gunzipAsync(plain), catch: unreadable })
        : Effect.succeed(plain)
    )
  )
}

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

/** A load error as Snowflake reports it: the message, then where (file, line, character, row, column). */
export const loadError = (f: FirstError, file: string, hint?: string) =>
  new EngineError(
    f.code,
    f.sqlState,
    `${f.message}\n  File '${file}', line ${f.line}, character ${f.character}\n` +
      `  Row ${f.row ?? f.line}${f.columnName === null ? "" : `, column ${f.columnName}`}` +
      (hint === undefined ? "" : `\n  ${hint}`)
  )

export const copyInto = (
  deps: StageDeps,
  tokens: ReadonlyArray<StageToken>,
  env: HookEnv,
  sql: string,
  /** Runs a statement through the engine's own path (VALIDATION_MODE's rows, validation.ts). */
  run: (sql: string) => Effect.Effect<StatementResult, EngineError>
): Effect.Effect<StatementResult, EngineError> | undefined => {
  const { connection, context: ctx } = env
  // COPY INTO <table> [(cols)] FROM <@stage> …
  if (upper(tokens[0]) !== "COPY" || upper(tokens[1]) !== "INTO") return undefined
  const tableToken = tokens[2]
  if (tableToken === undefined || tableToken.value.startsWith("@")) return undefined
  let i = 3
  const explicit: Array<string> = []
  if (tokens[i]?.kind === "punct" && tokens[i]?.value === "(") {
    i++
    while (i < tokens.length && !(tokens[i]?.kind === "punct" && tokens[i]?.value === ")")) {
      const t = tokens[i] as StageToken
      if (t.kind === "bare") explicit.push(...nameParts(t.value))
      i++
    }
    i++
  }
  if (upper(tokens[i]) !== "FROM") return undefined
  // FROM @stage …, or FROM (SELECT <expressions> FROM @stage) … (copyTransform.ts)
  const transformed =
    tokens[i + 1]?.kind === "punct" && tokens[i + 1]?.value === "(" ? parseTransform(sql) : undefined
  const sourceRef = transformed?.transform.stage ?? tokens[i + 1]?.value
  if (sourceRef === undefined || !sourceRef.startsWith("@")) return undefined
  const options =
    transformed === undefined
      ? readOptions(tokens, i + 2).options
      : readOptions(stageTokens(transformed.transform.rest), 0).options

  return Effect.gen(function* () {
    const stage = yield* resolveStage(deps, sourceRef, env)
    const [database, schema, table] = qualify(nameParts(tableToken.value), ctx)
    const found = yield* findTarget(connection, database, schema, table).pipe(Effect.mapError(internal))
    if (found === undefined) return yield* Effect.fail(tableMissing(`${database}.${schema}.${table}`))
    const columns =
      explicit.length === 0
        ? found.columns
        : explicit.map(
            (name) => found.columns.find((c) => c.name === name) ?? { name, type: "VARCHAR", nullable: true }
          )
    const target: Target = { ...found, columns, truncateColumns: truncatesColumns(options) }

    const format = merge(
      stage.named?.fileFormat ?? new Map(),
      yield* resolveFileFormat(deps, options.get("FILE_FORMAT"), env)
    )
    const type = (textOption(format, "TYPE") ?? "CSV").toUpperCase()
    if (type !== "CSV" && type !== "JSON" && type !== "PARQUET")
      return yield* Effect.fail(syntax(`file format type ${type} is not supported by the emulator`))
    const matchName = nameMatch(textOption(options, "MATCH_BY_COLUMN_NAME"))
    const byName = matchName !== undefined
    const onError = onErrorOf(textOption(options, "ON_ERROR"))
    // check the files instead of loading them (validation.ts)
    const validation = yield* validationModeOf(textOption(options, "VALIDATION_MODE"))
    if (validation !== undefined && transformed !== undefined)
      return yield* Effect.fail(transformNotValidated)
    const force = (textOption(options, "FORCE") ?? "FALSE").toUpperCase() === "TRUE"
    const purge = (textOption(options, "PURGE") ?? "FALSE").toUpperCase() === "TRUE"
    const strictCount =
      (textOption(format, "ERROR_ON_COLUMN_COUNT_MISMATCH") ?? "TRUE").toUpperCase() === "TRUE"
    if (transformed !== undefined) {
      const count = transformed.transform.expressions.length
      if (count !== columns.length)
        return yield* Effect.fail(EngineError.valueListMismatch(columns.length, count))
    } else if (type === "JSON" && !byName && columns.length !== 1)
      return yield* Effect.fail(
        EngineError.copyColumns(
          "JSON file format can produce one and only one column of type variant, object, or array. Use CSV file format if you want to load more than one column."
        )
      )

    // which files
    const files = listOption(options, "FILES")
    const base = stage.path === "" || stage.path.endsWith("/") ? stage.path : `${stage.path}/`
    const pattern = patternOf(textOption(options, "PATTERN"))
    const sizeLimit = Number(textOption(options, "SIZE_LIMIT") ?? Number.POSITIVE_INFINITY)
    const failedOnly = (textOption(options, "RETURN_FAILED_ONLY") ?? "FALSE").toUpperCase() === "TRUE"
    const all = yield* stageObjects(deps, { ...stage, listPrefix: "" }, undefined)
    const history = deps.catalog.loads(target.sql)
    const chosen = all
      .filter((o) => {
        if (files !== undefined)
          return files.some((f) => o.relative === `${base}${f.replace(/^\/+/, "")}` || o.relative === f)
        if (pattern !== undefined)
          return pattern.test(o.relative) || pattern.test(o.relative.slice(base.length))
        return true
      })
      .filter((o) => {
        const loaded = history.get(o.object.key)
        // RETURN_ALL_ERRORS reads again the files an ON_ERROR = CONTINUE load took in part
        const again = validation?._tag === "Errors" && validation.all && loaded?.partial === true
        return force || again || loaded?.md5 !== o.object.md5
      })
      .filter(withinSizeLimit(sizeLimit))
      .map((o) => ({ ...o, name: stage.listPrefix + o.relative }))
    if (chosen.length === 0) {
      return rowsResult(
        [textCol("status")],
        [["Copy executed with 0 files processed."]],
        STATEMENT_TYPE_ID.copy,
        ctx
      )
    }

    // parse, stage and check every file before inserting anything
    const loads: Array<FileLoad> = []
    // every staging table, registered as soon as it exists (no yield in between), so that it goes
    // however the statement ends, interruption included (DROP … IF EXISTS: the validator drops its own)
    const created: Array<StagedFile> = []
    const release = () =>
      Effect.forEach(created, (staged) => dropStaged(connection, staged), { discard: true })
    const validator =
      validation === undefined
        ? undefined
        : makeValidator(
            validation,
            connection,
            target,
            ctx,
            (staged, bad, record) => badCell(connection, target, staged, bad, record),
            run,
            (fault, file) => loadError(fault, file)
          )
    const work = Effect.gen(function* () {
      for (const file of chosen) {
        const body = yield* readBody(deps, file.object.key, stage.masterKey)
        let staged: StagedFile
        const fast =
          transformed !== undefined
            ? undefined
            : type === "CSV" && !byName
              ? yield* stageCsvNatively(connection, target, body, format)
              : type === "JSON" && matchName !== undefined
                ? yield* stageJsonNatively(connection, target, body, format, matchName)
                : undefined
        // a CSV or JSON-lines file DuckDB reads right but with cells that do not convert: DuckDB
        // still stages it and finds the bad rows (nativeCsv.ts, nativeJson.ts)
        const cells =
          fast !== undefined || transformed !== undefined
            ? undefined
            : type === "CSV" && !byName
              ? yield* stageCsvCellsNatively(connection, target, body, format)
              : type === "JSON" && matchName !== undefined
                ? yield* stageJsonCellsNatively(connection, target, body, format, matchName)
                : undefined
        // the parsed records by staged row (only the bad rows' when DuckDB read the file)
        let records: Array<ParsedRecord> = []
        let recordErrors: Array<RecordError> = []
        if (transformed !== undefined) {
          // every field as read (no count to match: the expressions pick theirs), or the document
          // (a Parquet row is the object of its columns)
          const parsed =
            type === "PARQUET"
              ? {
                  records: yield* parquetDocuments(connection, body).pipe(
                    Effect.mapError((e) =>
                      internal({ message: `cannot read Parquet file ${file.name}: ${e.message}` })
                    )
                  ),
                  errors: []
                }
              : type === "CSV"
                ? parseCsv(body.toString("utf8"), format)
                : parseJson(body.toString("utf8"), format, undefined)
          records = [...parsed.records]
          recordErrors = [...parsed.errors]
          const result = yield* stageTransformed(
            connection,
            target,
            transformed.transform,
            transformed.alias,
            records,
            file.relative,
            type !== "CSV",
            { ...ctx, sessionId: env.sessionId },
            onError._tag === "Abort"
          ).pipe(Effect.mapError((e) => (e instanceof EngineError ? e : internal(e))))
          staged = result.staged
          recordErrors.push(...result.errors)
        } else if (type === "PARQUET") {
          staged = yield* stageParquet(connection, target, body, matchName).pipe(
            Effect.mapError((e) =>
              internal({ message: `cannot read Parquet file ${file.name}: ${e.message}` })
            )
          )
        } else if (fast !== undefined) {
          staged = fast
        } else if (cells !== undefined) {
          staged = cells.staged
          records = cells.records as Array<ParsedRecord>
        } else {
          const text = body.toString("utf8")
          const parsed =
            type === "CSV"
              ? parseCsv(text, format)
              : parseJson(text, format, byName ? columns.map((c) => c.name) : undefined, matchName)
          const aligned = alignRecords(
            parsed,
            columns.map((c) => c.name),
            type === "CSV" ? matchName : undefined,
            strictCount && type === "CSV"
          )
          records = aligned.records
          recordErrors = aligned.errors
          staged = yield* stageRecords(connection, target, records).pipe(Effect.mapError(internal))
        }
        created.push(staged)
        if (validator !== undefined) {
          const enough = yield* validator.take({
            file,
            body,
            text: type !== "PARQUET",
            records,
            recordErrors,
            staged
          })
          if (enough) break
          continue
        }
        const rowsParsed = staged.rows + recordErrors.length
        let first: FirstError | undefined
        const numbers = recordNumbers(records, recordErrors)
        const firstRecord = [...recordErrors].sort((a, b) => a.line - b.line)[0]
        if (firstRecord !== undefined)
          first = { ...firstRecord, columnName: null, row: numbers.ofError(firstRecord) }
        const firstBad = staged.bad[0]
        if (firstBad !== undefined) {
          const line = records[firstBad.row]?.line ?? firstBad.row + 1
          if (first === undefined || line < first.line)
            first = {
              ...(yield* badCell(connection, target, staged, firstBad, records[firstBad.row])),
              row: numbers.ofRow(firstBad.row, line)
            }
        }
        loads.push({
          file,
          rowsParsed,
          errorsSeen: recordErrors.length + staged.bad.length,
          first,
          staged,
          skip: staged.bad.map((b) => b.row)
        })
      }

      if (validator !== undefined) return yield* validator.result
      if (onError._tag === "Abort") {
        const failed = loads.find((l) => l.first !== undefined)
        if (failed?.first !== undefined)
          return yield* Effect.fail(
            loadError(
              failed.first,
              failed.file.name,
              "If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client."
            )
          )
      }

      const rows: Array<Array<string | null>> = []
      let total = 0
      for (const l of loads) {
        const limit =
          onError._tag === "SkipFile"
            ? onError.percent
              ? Math.ceil((onError.limit / 100) * l.rowsParsed)
              : onError.limit
            : onError._tag === "Continue"
              ? l.rowsParsed
              : 1
        const skipFile = onError._tag === "SkipFile" && l.errorsSeen >= Math.max(limit, 1)
        const loaded =
          skipFile || l.staged === undefined
            ? 0
            : yield* insertStaged(connection, target, l.staged, l.skip).pipe(Effect.mapError(internal))
        total += loaded
        const status = l.errorsSeen === 0 ? "LOADED" : loaded === 0 ? "LOAD_FAILED" : "PARTIALLY_LOADED"
        if (status !== "LOAD_FAILED") {
          history.set(l.file.object.key, {
            md5: l.file.object.md5,
            rows: loaded,
            loadedAt: new Date(),
            partial: status === "PARTIALLY_LOADED"
          })
          if (purge) yield* deps.storage.remove(l.file.object.key).pipe(Effect.mapError(storageFailure))
        }
        const f = l.first
        if (failedOnly && status === "LOADED") continue
        rows.push([
          l.file.name,
          status,
          String(l.rowsParsed),
          String(loaded),
          String(limit),
          String(l.errorsSeen),
          f?.message ?? null,
          f === undefined ? null : String(f.line),
          f === undefined ? null : String(f.character),
          f?.columnName ?? null
        ])
      }
      const result: StatementResult = {
        ...rowsResult(
          [
            textCol("file"),
            textCol("status"),
            fixedCol("rows_parsed"),
            fixedCol("rows_loaded"),
            fixedCol("error_limit"),
            fixedCol("errors_seen"),
            textCol("first_error"),
            fixedCol("first_error_line"),
            fixedCol("first_error_character"),
            textCol("first_error_column_name")
          ],
          rows,
          STATEMENT_TYPE_ID.copy,
          ctx
        ),
        stats: { numRowsInserted: total, numRowsDeleted: 0, numRowsUpdated: 0, numDmlDuplicates: 0 }
      }
      return result
    })
    return yield* work.pipe(
      Effect.ensuring(release()),
      Effect.ensuring(validator === undefined ? Effect.void : validator.release)
    )
  })
}
