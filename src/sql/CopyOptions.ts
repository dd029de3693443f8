/**
 * COPY INTO options (ON_ERROR, PURGE, FORCE, SIZE_LIMIT, MATCH_BY_COLUMN_NAME, PATTERN, FILES,
 * VALIDATION_MODE, …) as an immutable record with `render` and `validate`.
 */
import * as Either from "effect/Either"
import { FileFormatError } from "../errors/index.js"
import { literal } from "./identifier.js"

/** `CONTINUE`, `SKIP_FILE`, `SKIP_FILE_<n>`, `SKIP_FILE_<n>%` or `ABORT_STATEMENT`. */
export type OnError =
  | "CONTINUE"
  | "SKIP_FILE"
  | `SKIP_FILE_${number}`
  | `SKIP_FILE_${number}%`
  | "ABORT_STATEMENT"

export type MatchByColumnName = "CASE_SENSITIVE" | "CASE_INSENSITIVE" | "NONE"

/**
 * Check the files instead of loading them: `RETURN_ERRORS` (every error in the files the COPY
 * would load), `RETURN_ALL_ERRORS` (also in files an earlier ON_ERROR = CONTINUE load took in
 * part) or `RETURN_<n>_ROWS` (the first n rows as they would load; fails at the first error in
 * them). Nothing is loaded, purged or recorded in the load history.
 */
export type ValidationMode = "RETURN_ERRORS" | "RETURN_ALL_ERRORS" | `RETURN_${number}_ROWS`

export interface CopyOptions {
  /** Only these files (names relative to the source path), at most 1000. */
  readonly files?: ReadonlyArray<string>
  /** A regular expression on file paths. */
  readonly pattern?: string
  readonly onError?: OnError
  readonly sizeLimit?: number
  readonly purge?: boolean
  readonly force?: boolean
  readonly matchByColumnName?: MatchByColumnName
  readonly returnFailedOnly?: boolean
  readonly enforceLength?: boolean
  readonly truncateColumns?: boolean
  readonly loadUncertainFiles?: boolean
  readonly validationMode?: ValidationMode
}

export const empty: CopyOptions = {}

const fail = (message: string) => Either.left(new FileFormatError({ message }))

const onErrorPattern = /^(CONTINUE|SKIP_FILE|SKIP_FILE_[1-9][0-9]*%?|ABORT_STATEMENT)$/
const validationModePattern = /^(RETURN_ERRORS|RETURN_ALL_ERRORS|RETURN_[1-9][0-9]*_ROWS)$/

export const validate = (options: CopyOptions): Either.Either<CopyOptions, FileFormatError> => {
  if (options.onError !== undefined && !onErrorPattern.test(options.onError)) {
    return fail(`ON_ERROR = ${options.onError} is not valid`)
  }
  if (options.validationMode !== undefined && !validationModePattern.test(options.validationMode)) {
    return fail(
      `VALIDATION_MODE = ${options.validationMode} is not valid (RETURN_ERRORS, RETURN_ALL_ERRORS or RETURN_<n>_ROWS)`
    )
  }
  if (options.sizeLimit !== undefined && (!Number.isInteger(options.sizeLimit) || options.sizeLimit <= 0)) {
    return fail(`SIZE_LIMIT must be a positive integer, got ${options.sizeLimit}`)
  }
  if (options.files !== undefined) {
    if (options.files.length === 0) return fail("FILES must name at least one file")
    if (options.files.length > 1000)
      return fail(`FILES takes at most 1000 names, got ${options.files.length}`)
  }
  if (options.files !== undefined && options.pattern !== undefined) {
    return fail("FILES and PATTERN cannot be used together")
  }
  if (options.pattern !== undefined) {
    try {
      new RegExp(options.pattern)
    } catch {
      return fail(`PATTERN is not a valid regular expression: ${options.pattern}`)
    }
  }
  if (
    options.matchByColumnName !== undefined &&
    !["CASE_SENSITIVE", "CASE_INSENSITIVE", "NONE"].includes(options.matchByColumnName)
  ) {
    return fail(`MATCH_BY_COLUMN_NAME = ${options.matchByColumnName} is not valid`)
  }
  return Either.right(options)
}

const bool = (value: boolean) => (value ? "TRUE" : "FALSE")

/** The source-selection part (FILES / PATTERN), which goes before FILE_FORMAT. */
export const renderSelection = (options: CopyOptions): ReadonlyArray<string> => [
  ...(options.files === undefined ? [] : [`FILES = (${options.files.map(literal).join(", ")})`]),
  ...(options.pattern === undefined ? [] : [`PATTERN = ${literal(options.pattern)}`])
]

/** The copy options proper, which go after FILE_FORMAT. */
export const renderCopyOptions = (options: CopyOptions): ReadonlyArray<string> => [
  ...(options.onError === undefined ? [] : [`ON_ERROR = ${options.onError}`]),
  ...(options.sizeLimit === undefined ? [] : [`SIZE_LIMIT = ${options.sizeLimit}`]),
  ...(options.purge === undefined ? [] : [`PURGE = ${bool(options.purge)}`]),
  ...(options.returnFailedOnly === undefined
    ? []
    : [`RETURN_FAILED_ONLY = ${bool(options.returnFailedOnly)}`]),
  ...(options.matchByColumnName === undefined ? [] : [`MATCH_BY_COLUMN_NAME = ${options.matchByColumnName}`]),
  ...(options.enforceLength === undefined ? [] : [`ENFORCE_LENGTH = ${bool(options.enforceLength)}`]),
  ...(options.truncateColumns === undefined ? [] : [`TRUNCATECOLUMNS = ${bool(options.truncateColumns)}`]),
  ...(options.force === undefined ? [] : [`FORCE = ${bool(options.force)}`]),
  ...(options.loadUncertainFiles === undefined
    ? []
    : [`LOAD_UNCERTAIN_FILES = ${bool(options.loadUncertainFiles)}`]),
  ...(options.validationMode === undefined ? [] : [`VALIDATION_MODE = ${options.validationMode}`])
]
