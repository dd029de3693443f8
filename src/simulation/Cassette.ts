/**
 * The cassette: a JSON file of recorded interactions, each a request fingerprint and what the
 * service answered below decoding (rowtype and raw string cells, stats, query id, or a typed error).
 *
 * The file is versioned (`format` + `version`) and carries no times, so re-recording the same
 * program gives the same file except query ids. It never holds credentials: interactions are
 * recorded above the Transport (no tokens, no chunk URLs, no `qrmk`), and error causes are dropped.
 *
 * New kinds of interaction add an operation literal and optional request and response fields, so
 * version 1 files written before them still decode: that is how the stage and ingestion operations
 * (IngestionCassette.ts) joined version 1.
 */
import * as Schema from "effect/Schema"
import { SnowflakeError } from "../errors/SnowflakeError.js"
import { RowTypeEntry } from "../protocol/wire/query.js"
import { ingestionRequestFields, ingestionResponseFields } from "./IngestionCassette.js"

export const FORMAT = "effect-snowflake/cassette"
export const VERSION = 1

export const Operation = Schema.Literal(
  "execute",
  "executeMulti",
  "stream",
  "streamResult",
  "submit",
  "status",
  "awaitResult",
  "cancel",
  "put",
  "get",
  "list",
  "remove",
  "copyInto",
  "bulkInsert"
)
export type Operation = typeof Operation.Type

/** The effective session context a statement ran in. */
export const RecordedContext = Schema.Struct({
  warehouse: Schema.optional(Schema.String),
  role: Schema.optional(Schema.String),
  database: Schema.optional(Schema.String),
  schema: Schema.optional(Schema.String)
})
export type RecordedContext = typeof RecordedContext.Type

const WireBinding = Schema.Struct({
  type: Schema.String,
  value: Schema.Union(Schema.String, Schema.Null, Schema.Array(Schema.NullOr(Schema.String)))
})

/**
 * The request fingerprint: everything that can change the answer, and nothing else (no query tag,
 * no timeout, no row mode or decode options — those apply above the recorded level).
 */
export const Request = Schema.Struct({
  operation: Operation,
  /** Normalised SQL (normalizeSql.ts). */
  sql: Schema.optional(Schema.String),
  /** Bind values as sent on the wire: Snowflake type and text. */
  bindings: Schema.optional(Schema.Record({ key: Schema.String, value: WireBinding })),
  context: Schema.optional(RecordedContext),
  describeOnly: Schema.optional(Schema.Boolean),
  /** Statement parameters except QUERY_TAG and STATEMENT_TIMEOUT_IN_SECONDS. */
  parameters: Schema.optional(
    Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean) })
  ),
  /** For status, awaitResult and cancel: the query asked about. */
  queryId: Schema.optional(Schema.String),
  ...ingestionRequestFields
})
export type Request = typeof Request.Type

const count = Schema.optionalWith(Schema.Number, { exact: true })
const Stats = Schema.Struct({
  rowsInserted: count,
  rowsUpdated: count,
  rowsDeleted: count,
  duplicates: count
})

const Row = Schema.Array(Schema.NullOr(Schema.String))

export const RecordedResult = Schema.Struct({
  queryId: Schema.String,
  statementTypeId: Schema.optional(Schema.Number),
  stats: Schema.optional(Stats),
  rowtype: Schema.Array(RowTypeEntry),
  rows: Schema.Array(Row)
})
export type RecordedResult = typeof RecordedResult.Type

/** A stream's rows as far as the program read them; `complete` when it read to the end. */
export const RecordedStream = Schema.Struct({
  queryId: Schema.String,
  rowtype: Schema.Array(RowTypeEntry),
  rows: Schema.Array(Row),
  complete: Schema.Boolean
})
export type RecordedStream = typeof RecordedStream.Type

export const RecordedStatus = Schema.Struct({
  queryId: Schema.String,
  status: Schema.String,
  errorCode: Schema.optional(Schema.String),
  errorMessage: Schema.optional(Schema.String)
})

/**
 * What came back. Exactly one of the fields is present, except for a stream that failed after
 * some rows (`stream` + `error`) and a successful cancel (no field at all).
 */
export const Response = Schema.Struct({
  result: Schema.optional(RecordedResult),
  results: Schema.optional(Schema.Array(RecordedResult)),
  stream: Schema.optional(RecordedStream),
  handle: Schema.optional(Schema.Struct({ queryId: Schema.String })),
  status: Schema.optional(RecordedStatus),
  ...ingestionResponseFields,
  error: Schema.optional(SnowflakeError)
})
export type Response = typeof Response.Type

export const Interaction = Schema.Struct({ request: Request, response: Response })
export type Interaction = typeof Interaction.Type

export const Cassette = Schema.Struct({
  format: Schema.Literal(FORMAT),
  version: Schema.Literal(VERSION),
  /** The connection's default context when recorded; a query without overrides ran in it. */
  context: RecordedContext,
  interactions: Schema.Array(Interaction)
})
export type Cassette = typeof Cassette.Type

export const empty = (context: RecordedContext): Cassette => ({
  format: FORMAT,
  version: VERSION,
  context,
  interactions: []
})
