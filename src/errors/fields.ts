import * as Schema from "effect/Schema"

/**
 * Fields every Snowflake error carries: what is known of the failure on the wire.
 * `code` is Snowflake's six-digit error code as a string ("390112"), `sqlState` the
 * five-character SQLSTATE, `queryId` the server's query id, `httpStatus` the HTTP status
 * when the failure came from the HTTP layer. `cause` keeps the underlying defect for debugging;
 * it is never rendered into `message`.
 */
export const errorFields = {
  message: Schema.String,
  code: Schema.optional(Schema.String),
  sqlState: Schema.optional(Schema.String),
  queryId: Schema.optional(Schema.String),
  httpStatus: Schema.optional(Schema.Number),
  cause: Schema.optional(Schema.Defect)
}

/** The constructor argument shared by all error classes. */
export interface ErrorInit {
  readonly message: string
  readonly code?: string | undefined
  readonly sqlState?: string | undefined
  readonly queryId?: string | undefined
  readonly httpStatus?: number | undefined
  readonly cause?: unknown
}

/** Drops `undefined` entries so optional fields stay absent (exactOptionalPropertyTypes). */
export const compact = <A extends object>(init: A): A =>
  Object.fromEntries(Object.entries(init).filter(([, v]) => v !== undefined)) as A
