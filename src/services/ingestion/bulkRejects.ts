/**
 * Which records a `bulkInsert` did not load, by their place in the records given. COPY INTO
 * reports only the first error of each file; the files bulkInsert wrote are its own, so after a
 * load that rejected records each file with errors is checked again (VALIDATION_MODE =
 * RETURN_ALL_ERRORS, FILES = that file: it reads files a CONTINUE load took in part) and every
 * error's record number in its file is turned back into the record's index: the records before
 * it in earlier files (their `rowsParsed`, files in name order, the order they were written in)
 * plus its number in the file.
 *
 * This reads the failing files again on the warehouse, so it is done only when records were
 * rejected, file by file, and stops after `max` records. An ABORT_STATEMENT load that fails says
 * which record of the input it failed on the same way (`abortedRecord`).
 */
import * as Effect from "effect/Effect"
import { compact } from "../../errors/fields.js"
import { DataError, QueryExecutionError, type SnowflakeError } from "../../errors/index.js"
import * as CopyInto from "../../sql/CopyInto.js"
import type { CopyValidationError } from "./copyValidation.js"

/** A record that did not load, and why. */
export interface RejectedRecord {
  /** The record's place in the records given to bulkInsert (0-based). */
  readonly index: number
  /** The staged file it was written to, and its line there. */
  readonly file: string
  readonly line: number | undefined
  readonly error: string
  readonly code: string | undefined
  /** `"TABLE"["COLUMN":n]` when a field is at fault. */
  readonly columnName: string | undefined
}

interface LoadedFile {
  readonly file: string
  readonly rowsParsed: number
  readonly errorsSeen: number
}

const baseName = (file: string) => file.slice(file.lastIndexOf("/") + 1)

export const rejectedRecords = (
  validate: (copy: CopyInto.CopyInto) => Effect.Effect<ReadonlyArray<CopyValidationError>, SnowflakeError>,
  copy: CopyInto.CopyInto,
  files: ReadonlyArray<LoadedFile>,
  max: number
): Effect.Effect<ReadonlyArray<RejectedRecord>> =>
  Effect.gen(function* () {
    const ordered = [...files].sort((a, b) => (baseName(a.file) < baseName(b.file) ? -1 : 1))
    const found: Array<RejectedRecord> = []
    let before = 0
    for (const loaded of ordered) {
      if (found.length >= max) break
      if (loaded.errorsSeen > 0) {
        const errors = yield* validate(CopyInto.files([baseName(loaded.file)])(copy))
        for (const e of errors) {
          if (found.length >= max) break
          if (e.rowNumber === undefined) continue
          found.push({
            index: before + e.rowNumber - 1,
            file: loaded.file,
            line: e.line,
            error: e.error,
            code: e.code,
            columnName: e.columnName
          })
        }
      }
      before += loaded.rowsParsed
    }
    return found
  }).pipe(
    // the per-file errors and the count stand whatever happens here: a server that will not
    // validate these files (a format or option it refuses with VALIDATION_MODE) leaves the list empty
    Effect.catchAll((error) =>
      Effect.as(
        Effect.logWarning(`bulkInsert: the rejected records could not be singled out: ${error.message}`),
        []
      )
    )
  )

/** Where a load error says it is: `File 'dir/part_00002.csv.gz', line 5`. */
const LOCATION = /File '([^']+)', line (\d+)/

/** `part_00002.csv.gz` → 2 (bulkFiles.ts names the files of a load so). */
const partNumber = (file: string) => Number(/^part_(\d+)\./.exec(baseName(file))?.[1] ?? Number.NaN)

/**
 * The index in the input of the record an ABORT_STATEMENT load failed on: the failing file (from
 * the error) checked again for that error's record number, plus the records of the files before it
 * (counted as they were written, bulkFiles.ts). Undefined when the error names no file of the load
 * or the check does not find it; never fails (the load's own error is what matters).
 */
export const abortedRecord = (
  validate: (copy: CopyInto.CopyInto) => Effect.Effect<ReadonlyArray<CopyValidationError>, SnowflakeError>,
  copy: CopyInto.CopyInto,
  error: SnowflakeError,
  recordsPerFile: ReadonlyArray<number>
): Effect.Effect<number | undefined> => {
  const at = LOCATION.exec(error.message)
  const part = at === null ? Number.NaN : partNumber(at[1]!)
  if (at === null || !Number.isInteger(part) || part < 1 || part > recordsPerFile.length)
    return Effect.succeed(undefined)
  const line = Number(at[2])
  const before = recordsPerFile.slice(0, part - 1).reduce((sum, n) => sum + n, 0)
  return validate(CopyInto.files([baseName(at[1]!)])(copy)).pipe(
    Effect.map((errors) => {
      const found = errors.find((e) => e.line === line && e.rowNumber !== undefined)
      return found?.rowNumber === undefined ? undefined : before + found.rowNumber - 1
    }),
    Effect.orElseSucceed(() => undefined)
  )
}

/**
 * The load's error, saying which record of the input it is. Only the classes a server's load
 * error comes as (DataError for SQL state 22xxx, QueryExecutionError otherwise) are rebuilt, with
 * every field kept; anything else is returned as it is.
 */
export const atRecord = (error: SnowflakeError, index: number): SnowflakeError => {
  if (!(error instanceof DataError || error instanceof QueryExecutionError)) return error
  const Make = error instanceof DataError ? DataError : QueryExecutionError
  return new Make(
    compact({
      message: `${error.message}\n  bulkInsert: this is the record at index ${index} (0-based) of the records given`,
      code: error.code,
      sqlState: error.sqlState,
      queryId: error.queryId,
      httpStatus: error.httpStatus,
      cause: error.cause
    })
  )
}
