import * as Schema from "effect/Schema"
import { errorFields } from "./fields.js"

/** SQL compilation failed: syntax errors, invalid identifiers, missing objects (001003, 000904, 002003, …). */
export class QuerySyntaxError extends Schema.TaggedError<QuerySyntaxError>()(
  "QuerySyntaxError",
  errorFields
) {
  get retryable(): boolean {
    return false
  }
}

/** The statement compiled but failed while running (constraint violations, conversion errors, …). */
export class QueryExecutionError extends Schema.TaggedError<QueryExecutionError>()(
  "QueryExecutionError",
  errorFields
) {
  get retryable(): boolean {
    // 000610: too many concurrent requests — the server asks the client to come back later.
    return this.code === "000610"
  }
}

/** The statement was cancelled (000604), by us or by someone else. */
export class QueryCancelled extends Schema.TaggedError<QueryCancelled>()("QueryCancelled", errorFields) {
  get retryable(): boolean {
    return false
  }
}

/** The statement exceeded its client-side or server-side timeout (000630). */
export class QueryTimeout extends Schema.TaggedError<QueryTimeout>()("QueryTimeout", errorFields) {
  get retryable(): boolean {
    return false
  }
}

/** A value could not be sent as a bind parameter; nothing was sent to the server. */
export class InvalidBinding extends Schema.TaggedError<InvalidBinding>()("InvalidBinding", errorFields) {
  get retryable(): boolean {
    return false
  }
}

/** A result row could not be decoded with the requested row schema, or a cell did not match its column type. */
export class RowDecodeError extends Schema.TaggedError<RowDecodeError>()("RowDecodeError", errorFields) {
  get retryable(): boolean {
    return false
  }
}
