/**
 * Loading data, exposed as `Snowflake.Ingestion`:
 *
 * - `copyInto(builder)` validates and runs a `CopyInto` statement and reads its per-file result
 *   rows (PROTOCOL.md §10) into a `CopyResult`.
 * - `bulkInsert(table, records, { format })` matches the record keys to the table's columns
 *   (bulkColumns.ts; `table` as SQL writes it, `db.schema."My Table"`), serializes records as a stream (CSV, NDJSON or
 *   Parquet typed by the target table's columns, see bulkParquet.ts), PUTs
 *   them to a directory of the table's stage `@%table` (in files of `fileSize`, bulkFiles.ts),
 *   runs one COPY INTO over that directory, reports, and removes the directory. Records that do
 *   not load are never dropped silently: the per-file errors come back (file, line, character,
 *   column), each rejected record by its index in the input (bulkRejects.ts), and a shortfall
 *   that the server did not explain fails with `DataError`.
 * - `validate(copy)` / `preview(copy, n)`: VALIDATION_MODE, the files checked and not loaded.
 */
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { DataError, FileFormatError, type SnowflakeError, StageUploadError } from "../errors/index.js"
import * as CopyInto from "../sql/CopyInto.js"
import type * as CopyOptions from "../sql/CopyOptions.js"
import * as FileFormat from "../sql/FileFormat.js"
import { tableStage } from "../sql/stage.js"
import { csv } from "../streams/export/csv.js"
import { jsonLines } from "../streams/export/jsonLines.js"
import { Client, type ClientService } from "./Client.js"
import { targetColumns } from "./ingestion/bulkColumns.js"
import { putInFiles } from "./ingestion/bulkFiles.js"
import { parquetBody } from "./ingestion/bulkParquet.js"
import { abortedRecord, atRecord, type RejectedRecord, rejectedRecords } from "./ingestion/bulkRejects.js"
import { type CopyValidationError, parseValidationRows } from "./ingestion/copyValidation.js"
import type { QueryResult } from "./rowDecoding.js"
import { fieldOf, numberOrZero, optionalNumber, optionalText } from "./rowFields.js"
import { Stages, type StagesService } from "./Stages.js"

/** One file's outcome (a row of COPY INTO's result). */
export interface CopyFileResult {
  readonly file: string
  /** `LOADED`, `LOAD_FAILED`, `PARTIALLY_LOADED`, `LOAD_SKIPPED`. */
  readonly status: string
  readonly rowsParsed: number
  readonly rowsLoaded: number
  readonly errorsSeen: number
  readonly firstError: string | undefined
  readonly firstErrorLine: number | undefined
  readonly firstErrorCharacter: number | undefined
  readonly firstErrorColumnName: string | undefined
}

export interface CopyResult {
  readonly filesProcessed: number
  readonly rowsLoaded: number
  readonly results: ReadonlyArray<CopyFileResult>
}

export interface BulkInsertOptions {
  /**
   * Serialization of the records (default `csv`). `parquet` needs the optional package
   * `hyparquet-writer`; its column types come from the target table (the `LIMIT 0` query that
   * matches the record keys to columns, bulkColumns.ts).
   */
  readonly format?: "csv" | "json" | "parquet" | undefined
  /**
   * The record keys to load (default: the keys of the first record), each into the table's column
   * of that name, or else the one whose name differs only in case (bulkColumns.ts).
   */
  readonly columns?: ReadonlyArray<string> | undefined
  /** Default ABORT_STATEMENT: one bad record fails the load. `CONTINUE` loads the rest and reports. */
  readonly onError?: CopyOptions.OnError | undefined
  /**
   * Bytes of serialized records per file (default 256 MiB, about 60–90 MB gzipped CSV:
   * Snowflake loads the files of one COPY in parallel, and recommends 100–250 MB compressed).
   * Parquet files end at the first row group (65,536 records) past it.
   */
  readonly fileSize?: number | undefined
  /**
   * How many rejected records to single out in `rejectedRecords` (default 1,000; 0 for none).
   * Finding them reads the files with errors again, only when some record was rejected.
   */
  readonly maxRejectedRecords?: number | undefined
}

const DEFAULT_FILE_SIZE = 256 * 1024 * 1024
const DEFAULT_MAX_REJECTED_RECORDS = 1000

export interface BulkInsertResult extends CopyResult {
  readonly recordsSent: number
  /** Records sent but not loaded (each file's errors are in `results`). */
  readonly rejected: number
  /**
   * Each record with an error, by its index in the records given (at most `maxRejectedRecords`,
   * in index order); empty when every record loaded (or when the server would not check the files
   * again: a warning is logged, `results` and `rejected` still say what was lost). Under SKIP_FILE the other records of a
   * skipped file were not loaded either: the file's `status` says so.
   */
  readonly rejectedRecords: ReadonlyArray<RejectedRecord>
}

export type Records<E> =
  | Iterable<Readonly<Record<string, unknown>>>
  | Stream.Stream<Readonly<Record<string, unknown>>, E>

export interface ValidateOptions {
  /**
   * Also the errors of files an earlier `ON_ERROR = CONTINUE` load took in part (which the load
   * history would otherwise skip): `RETURN_ALL_ERRORS` instead of `RETURN_ERRORS`.
   */
  readonly all?: boolean | undefined
}

export interface IngestionService {
  readonly copyInto: (copy: CopyInto.CopyInto) => Effect.Effect<CopyResult, SnowflakeError>
  /**
   * Checks the files `copy` would load without loading them (VALIDATION_MODE = RETURN_ERRORS):
   * every error, with file, line, column and the rejected record; empty when all would load.
   */
  readonly validate: (
    copy: CopyInto.CopyInto,
    options?: ValidateOptions
  ) => Effect.Effect<ReadonlyArray<CopyValidationError>, SnowflakeError>
  /**
   * The first `rows` rows `copy` would load, as the table's columns, without loading them
   * (VALIDATION_MODE = RETURN_<n>_ROWS). Fails with the first error met in those rows.
   */
  readonly preview: (
    copy: CopyInto.CopyInto,
    rows: number
  ) => Effect.Effect<QueryResult<Record<string, unknown>>, SnowflakeError>
  readonly bulkInsert: <E = never>(
    table: string,
    records: Records<E>,
    options?: BulkInsertOptions
  ) => Effect.Effect<BulkInsertResult, SnowflakeError | E>
}

export class Ingestion extends Context.Tag("effect-snowflake/Ingestion")<Ingestion, IngestionService>() {}

/** Reads COPY INTO's result rows; the single-`status` answer means nothing was there to load. */
export const parseCopyResult = (rows: ReadonlyArray<Readonly<Record<string, unknown>>>): CopyResult => {
  const results = rows
    .filter((row) => fieldOf(row, "file") !== undefined)
    .map(
      (row): CopyFileResult => ({
        file: String(fieldOf(row, "file")),
        status: String(fieldOf(row, "status")),
        rowsParsed: numberOrZero(fieldOf(row, "rows_parsed")),
        rowsLoaded: numberOrZero(fieldOf(row, "rows_loaded")),
        errorsSeen: numberOrZero(fieldOf(row, "errors_seen")),
        firstError: optionalText(fieldOf(row, "first_error")),
        firstErrorLine: optionalNumber(fieldOf(row, "first_error_line")),
        firstErrorCharacter: optionalNumber(fieldOf(row, "first_error_character")),
        firstErrorColumnName: optionalText(fieldOf(row, "first_error_column_name"))
      })
    )
  return {
    filesProcessed: results.length,
    rowsLoaded: results.reduce((sum, r) => sum + r.rowsLoaded, 0),
    results
  }
}

const isStream = <A, E>(value: Iterable<A> | Stream.Stream<A, E>): value is Stream.Stream<A, E> =>
  Stream.StreamTypeId in (value as object)

const renderSql = (copy: CopyInto.CopyInto) =>
  Either.match(CopyInto.render(copy), { onLeft: Effect.fail, onRight: Effect.succeed })

/** The loads: what a simulation records and replays as whole operations (services/Backend.ts). */
export type Loads = Pick<IngestionService, "copyInto" | "bulkInsert">

/** Each call's span, the same live and replayed (`traced`), and on the calls a load makes itself. */
const spans = {
  copyInto: (copy: CopyInto.CopyInto) =>
    Effect.withSpan("Snowflake.Ingestion.copyInto", { attributes: { table: copy.table.join(".") } }),
  validate: (copy: CopyInto.CopyInto) =>
    Effect.withSpan("Snowflake.Ingestion.validate", { attributes: { table: copy.table.join(".") } }),
  preview: (copy: CopyInto.CopyInto, rows: number) =>
    Effect.withSpan("Snowflake.Ingestion.preview", { attributes: { table: copy.table.join("."), rows } }),
  bulkInsert: (table: string, options: BulkInsertOptions | undefined) =>
    Effect.withSpan("Snowflake.Ingestion.bulkInsert", {
      attributes: { table, format: options?.format ?? "csv" }
    })
}

/** The service with a span per call: over the live loads, a recording or a replay alike. */
export const traced = (service: IngestionService): IngestionService => ({
  copyInto: (copy) => spans.copyInto(copy)(service.copyInto(copy)),
  validate: (copy, options) => spans.validate(copy)(service.validate(copy, options)),
  preview: (copy, rows) => spans.preview(copy, rows)(service.preview(copy, rows)),
  bulkInsert: (table, records, options) =>
    spans.bulkInsert(table, options)(service.bulkInsert(table, records, options))
})

/**
 * `validate` and `preview`: statements only (no transfer), so they run on whichever client the
 * service is built over — live, recording or replaying — and are never recorded as loads.
 */
export const makeChecks = (engine: ClientService): Pick<IngestionService, "validate" | "preview"> => {
  const validate = (copy: CopyInto.CopyInto, options: ValidateOptions = {}) =>
    Effect.gen(function* () {
      const mode = options.all === true ? "RETURN_ALL_ERRORS" : "RETURN_ERRORS"
      const result = yield* engine.execute(yield* renderSql(CopyInto.validationMode(mode)(copy)))
      return parseValidationRows(result.rows)
    })

  const preview = (copy: CopyInto.CopyInto, rows: number) =>
    Effect.gen(function* () {
      if (!Number.isSafeInteger(rows) || rows <= 0) {
        return yield* new FileFormatError({
          message: `preview takes a positive whole number of rows, got ${rows}`
        })
      }
      return yield* engine.execute(yield* renderSql(CopyInto.validationMode(`RETURN_${rows}_ROWS`)(copy)))
    })

  return { validate, preview }
}

/** COPY INTO and bulk inserts on a live client and Stages, without the outer span (`traced`). */
export const makeLoads = (engine: ClientService, stages: StagesService): Loads => {
  const checks = makeChecks(engine)
  const copyInto = (copy: CopyInto.CopyInto) =>
    Effect.gen(function* () {
      if (copy.options.validationMode !== undefined) {
        return yield* new FileFormatError({
          message: `copyInto loads; to check the files with VALIDATION_MODE = ${copy.options.validationMode} use Ingestion.validate or Ingestion.preview`
        })
      }
      const result = yield* engine.execute(yield* renderSql(copy))
      return parseCopyResult(result.rows)
    })

  const bulkInsert = <E = never>(table: string, records: Records<E>, options: BulkInsertOptions = {}) =>
    Effect.scoped(
      Effect.gen(function* () {
        const format = options.format ?? "csv"
        const max = options.maxRejectedRecords
        if (max !== undefined && !(Number.isSafeInteger(max) && max >= 0)) {
          return yield* new StageUploadError({
            message: `maxRejectedRecords must be a whole number, 0 or more, got ${String(max)}`
          })
        }
        if (options.fileSize !== undefined && !(options.fileSize > 0)) {
          return yield* new StageUploadError({
            message: `fileSize must be a positive number of bytes, got ${String(options.fileSize)}`
          })
        }
        const source: Stream.Stream<Readonly<Record<string, unknown>>, E> = isStream(records)
          ? records
          : Stream.fromIterable(records)
        // The first record names the columns unless they were given.
        // (Stream.peel would do, but it turns a failure of the records into a ChannelException defect.)
        const pull = yield* Stream.toPull(source)
        const firstChunk = yield* Effect.catchAll(pull, (end) =>
          Option.isNone(end)
            ? Effect.succeed(Chunk.empty<Readonly<Record<string, unknown>>>())
            : Effect.fail(end.value)
        )
        const first = Chunk.head(firstChunk)
        if (Option.isNone(first)) {
          return {
            filesProcessed: 0,
            rowsLoaded: 0,
            results: [],
            recordsSent: 0,
            rejected: 0,
            rejectedRecords: []
          }
        }
        // record keys, and the table's columns they go to (exact names, one query)
        const keys = options.columns ?? Object.keys(first.value)
        const columns = yield* targetColumns(engine, table, keys)
        const names = columns.map((c) => c.name)
        let sent = 0
        // Without `columns`, the first record's keys are the columns: a later record with a key
        // they lack fails the load rather than lose that field without a word.
        const known = options.columns === undefined ? new Set(keys) : undefined
        const all = Stream.concat(Stream.fromChunk(firstChunk), Stream.repeatEffectChunkOption(pull)).pipe(
          Stream.mapChunksEffect((chunk) => {
            if (known !== undefined) {
              let index = sent
              for (const record of chunk) {
                for (const key in record) {
                  if (!known.has(key) && record[key] !== undefined)
                    return new DataError({
                      message: `bulkInsert into ${table}: record ${index + 1} has key ${JSON.stringify(key)}, which the first record has not (columns: ${keys.join(", ")}); pass \`columns\` to choose the columns`
                    })
                }
                index++
              }
            }
            sent += chunk.length
            return Effect.succeed(chunk)
          })
        )
        const bytes =
          format === "csv"
            ? csv(all, keys, { header: false, lineEnd: "\n" })
            : format === "parquet"
              ? parquetBody(all, first.value, keys, columns, options.fileSize ?? DEFAULT_FILE_SIZE)
              : jsonLines(all, keys, names)
        // One directory per load: the COPY takes exactly its files, however many there are.
        const directory = `${tableStage(table)}/bulk_${globalThis.crypto.randomUUID()}`
        // Parquet files end where the writer ends them (FILE_END), each a whole file.
        const fileSize =
          format === "parquet" ? Number.POSITIVE_INFINITY : (options.fileSize ?? DEFAULT_FILE_SIZE)
        // The directory goes whatever happens: files a failed or partial load left behind would
        // otherwise be loaded by the next plain `COPY INTO t FROM @%t`.
        const load = Effect.gen(function* () {
          const put = yield* putInFiles(stages, bytes, directory, format, fileSize)
          const fileFormat =
            format === "csv"
              ? // Exactly what csv() writes: NULL an empty field, "" an empty string, and no other
                // text special — no backslash escapes (C:\path stays C:\path), no NULL_IF strings
                // (\N or NULL are text).
                FileFormat.csv({ fieldOptionallyEnclosedBy: '"', escapeUnenclosedField: "NONE", nullIf: [] })
              : format === "parquet"
                ? FileFormat.parquet({})
                : FileFormat.json({})
          const copy = CopyInto.table(table).pipe(
            CopyInto.from(`${directory}/`),
            format === "csv" ? CopyInto.columnsExact(names) : CopyInto.matchByColumnName("CASE_SENSITIVE"),
            CopyInto.fileFormat(fileFormat),
            // no PURGE: the files with errors are read again for the records they rejected
            // (bulkRejects.ts); the whole directory goes afterwards in any case
            CopyInto.onError(options.onError ?? "ABORT_STATEMENT")
          )
          const check = (c: CopyInto.CopyInto) => spans.validate(c)(checks.validate(c, { all: true }))
          const result = yield* spans
            .copyInto(copy)(copyInto(copy))
            .pipe(
              // a load that stopped at a bad record (ABORT_STATEMENT) says which record of the input
              Effect.catchAll((error) =>
                Effect.flatMap(abortedRecord(check, copy, error, put.records), (index) =>
                  Effect.fail(index === undefined ? error : atRecord(error, index))
                )
              )
            )
          const rejected = sent - result.rowsLoaded
          const explained = result.results.reduce((sum, r) => sum + r.errorsSeen, 0)
          if (rejected > 0 && explained === 0) {
            return yield* new DataError({
              message: `${rejected} of ${sent} records were not loaded into ${table} and COPY reported no error`
            })
          }
          const rejectedList =
            rejected > 0
              ? yield* rejectedRecords(
                  check,
                  copy,
                  result.results,
                  options.maxRejectedRecords ?? DEFAULT_MAX_REJECTED_RECORDS
                )
              : []
          return { ...result, recordsSent: sent, rejected, rejectedRecords: rejectedList }
        })
        return yield* load.pipe(Effect.ensuring(Effect.ignore(stages.remove(`${directory}/`))))
      })
    )

  return { copyInto, bulkInsert }
}

/** The live service, spans included. */
export const makeWith = (engine: ClientService, stages: StagesService): IngestionService =>
  traced({ ...makeChecks(engine), ...makeLoads(engine, stages) })

export const make: Effect.Effect<IngestionService, never, Client | Stages> = Effect.gen(function* () {
  return makeWith(yield* Client, yield* Stages)
})

export const layer: Layer.Layer<Ingestion, never, Client | Stages> = Layer.effect(Ingestion, make)
