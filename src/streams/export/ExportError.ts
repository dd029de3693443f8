import * as Schema from "effect/Schema"
import { errorFields } from "../../errors/fields.js"

/**
 * An export could not be written: an optional package it needs is not installed (the message
 * names it), or a value does not fit its column's export type. Not retryable.
 */
export class ExportError extends Schema.TaggedError<ExportError>()("ExportError", errorFields) {
  get retryable(): boolean {
    return false
  }
}
