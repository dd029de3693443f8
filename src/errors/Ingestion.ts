import * as Schema from "effect/Schema"
import { errorFields } from "./fields.js"

/** A PUT or GET transfer to or from a stage failed (storage error, bad digest, decryption failure). */
export class StageUploadError extends Schema.TaggedError<StageUploadError>()(
  "StageUploadError",
  errorFields
) {
  get retryable(): boolean {
    const status = this.httpStatus
    return status !== undefined && (status === 408 || status === 429 || status >= 500)
  }
}

/** COPY INTO failed as a whole. */
export class CopyFailed extends Schema.TaggedError<CopyFailed>()("CopyFailed", errorFields) {
  get retryable(): boolean {
    return false
  }
}

/** A file format or copy option is invalid or unsupported. */
export class FileFormatError extends Schema.TaggedError<FileFormatError>()("FileFormatError", errorFields) {
  get retryable(): boolean {
    return false
  }
}

/** Data could not be converted or loaded (100038 numeric value not recognized, …). */
export class DataError extends Schema.TaggedError<DataError>()("DataError", errorFields) {
  get retryable(): boolean {
    return false
  }
}

/**
 * An export could not be written: an optional package it needs is not installed (the message
 * names it), or a value does not fit its column's export type.
 */
export class ExportError extends Schema.TaggedError<ExportError>()("ExportError", errorFields) {
  get retryable(): boolean {
    return false
  }
}
