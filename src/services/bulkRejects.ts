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
 * rejected, file by file, and stops after `max` records.
 */
import * as Effect from "effect/Effect"
import type { SnowflakeError } from "../errors/index.js"
import * as CopyInto from "../sql/CopyInto.js"
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
): Effect.Effect<ReadonlyArray<RejectedRecord>, SnowflakeError> =>
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
  })
