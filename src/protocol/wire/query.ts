/**
 * `POST /queries/v1/query-request` and `GET /queries/{id}/result` (PROTOCOL.md §5–§7): the
 * request body, the answer's `data`, the rowtype entries and the codes that mean "not done yet"
 * or "renew the session". Everything optional may be absent or null; unknown fields are ignored.
 */
import * as Schema from "effect/Schema"
import { SessionParameter } from "./login.js"

/** Still running: follow `getResultUrl` (synchronous queries). */
export const QUERY_IN_PROGRESS = "333333"
/** Detached / async execution in progress. */
export const QUERY_IN_PROGRESS_ASYNC = "333334"
/** Session token expired: renew with the master token and replay the request. */
export const SESSION_EXPIRED = "390112"
/** Master token expired: log in again. */
export const MASTER_TOKEN_EXPIRED = "390114"

/** True for the two in-progress codes. */
export const isInProgress = (code: string | null | undefined): boolean =>
  code === QUERY_IN_PROGRESS || code === QUERY_IN_PROGRESS_ASYNC

/** A bind parameter as sent on the wire (`value` is an array for batch binds). */
export interface WireBinding {
  readonly type: string
  readonly value: string | null | ReadonlyArray<string | null>
}

/** One query-context cache entry as a client sends it back (§5.3). */
export interface QueryContextEntryRequest {
  readonly id: number
  readonly timestamp: number
  readonly priority: number
  readonly context?: { readonly base64Data?: string }
}

export interface QueryRequestBody {
  readonly sqlText: string
  readonly asyncExec?: boolean
  readonly sequenceId?: number
  readonly describeOnly?: boolean
  readonly parameters?: Readonly<Record<string, string | number | boolean>>
  readonly bindings?: Readonly<Record<string, WireBinding>>
  readonly bindStage?: string
  readonly queryContextDTO?: { readonly entries: ReadonlyArray<QueryContextEntryRequest> }
  readonly disableOfflineChunks?: boolean
  readonly querySubmissionTime?: number
  readonly isInternal?: boolean
}

const optionalNullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true })

/** §5.4 rowtype entry. `type` is lower-case on the wire; kept as any string. */
export interface RowTypeEntry {
  readonly name: string
  readonly type: string
  readonly database?: string | null | undefined
  readonly schema?: string | null | undefined
  readonly table?: string | null | undefined
  readonly nullable?: boolean | undefined
  readonly length?: number | null | undefined
  readonly byteLength?: number | null | undefined
  readonly precision?: number | null | undefined
  readonly scale?: number | null | undefined
  readonly collation?: string | null | undefined
  readonly fields?: ReadonlyArray<RowTypeEntry> | null | undefined
}

export const RowTypeEntry: Schema.Schema<RowTypeEntry> = Schema.Struct({
  name: Schema.String,
  type: Schema.String,
  database: Schema.optional(Schema.NullOr(Schema.String)),
  schema: Schema.optional(Schema.NullOr(Schema.String)),
  table: Schema.optional(Schema.NullOr(Schema.String)),
  nullable: Schema.optional(Schema.Boolean),
  length: Schema.optional(Schema.NullOr(Schema.Number)),
  byteLength: Schema.optional(Schema.NullOr(Schema.Number)),
  precision: Schema.optional(Schema.NullOr(Schema.Number)),
  scale: Schema.optional(Schema.NullOr(Schema.Number)),
  collation: Schema.optional(Schema.NullOr(Schema.String)),
  fields: Schema.optional(
    Schema.NullOr(Schema.Array(Schema.suspend((): Schema.Schema<RowTypeEntry> => RowTypeEntry)))
  )
})

/** One result chunk: an absolute URL (usually presigned S3) and its row count. */
export const ChunkInfo = Schema.Struct({
  url: Schema.String,
  rowCount: Schema.Number,
  uncompressedSize: optionalNullable(Schema.Number),
  compressedSize: optionalNullable(Schema.Number)
})
export type ChunkInfo = typeof ChunkInfo.Type

/** A rowset: rows of cells, every cell a string or null (§1.3). */
export const Rowset = Schema.Array(Schema.Array(Schema.NullOr(Schema.String)))
export type Rowset = typeof Rowset.Type

export const DmlStats = Schema.Struct({
  numRowsInserted: optionalNullable(Schema.Number),
  numRowsDeleted: optionalNullable(Schema.Number),
  numRowsUpdated: optionalNullable(Schema.Number),
  numDmlDuplicates: optionalNullable(Schema.Number)
})

/** Query-context cache entry as the server sends it (context is base64 text). */
export const QueryContextEntry = Schema.Struct({
  id: Schema.Number,
  timestamp: Schema.Number,
  priority: Schema.Number,
  context: optionalNullable(Schema.String)
})
export type QueryContextEntry = typeof QueryContextEntry.Type

export const QueryContext = Schema.Struct({
  entries: optionalNullable(Schema.Array(QueryContextEntry))
})

/**
 * `data` of a query answer: success (§5.3), in-progress (§7.1, only queryId/getResultUrl/…),
 * or failure (§8.1: errorCode/sqlState/line/pos/type). PUT/GET instruction answers (§9.2) also
 * decode; their own fields are left to the stage code.
 */
export const QueryResponseData = Schema.Struct({
  parameters: optionalNullable(Schema.Array(SessionParameter)),
  rowtype: optionalNullable(Schema.Array(RowTypeEntry)),
  rowset: optionalNullable(Rowset),
  rowsetBase64: optionalNullable(Schema.String),
  total: optionalNullable(Schema.Number),
  returned: optionalNullable(Schema.Number),
  queryId: optionalNullable(Schema.String),
  queryResultFormat: optionalNullable(Schema.String),
  chunks: optionalNullable(Schema.Array(ChunkInfo)),
  chunkHeaders: optionalNullable(Schema.Record({ key: Schema.String, value: Schema.String })),
  qrmk: optionalNullable(Schema.String),
  statementTypeId: optionalNullable(Schema.Number),
  version: optionalNullable(Schema.Number),
  databaseProvider: optionalNullable(Schema.String),
  finalDatabaseName: optionalNullable(Schema.String),
  finalSchemaName: optionalNullable(Schema.String),
  finalWarehouseName: optionalNullable(Schema.String),
  finalRoleName: optionalNullable(Schema.String),
  numberOfBinds: optionalNullable(Schema.Number),
  arrayBindSupported: optionalNullable(Schema.Boolean),
  sendResultTime: optionalNullable(Schema.Number),
  queryContext: optionalNullable(QueryContext),
  stats: optionalNullable(DmlStats),
  /** Multi-statement parent: comma-separated child query ids (a string, §5.7). */
  resultIds: optionalNullable(Schema.String),
  resultTypes: optionalNullable(Schema.String),
  getResultUrl: optionalNullable(Schema.String),
  progressDesc: optionalNullable(Schema.String),
  queryAbortsAfterSecs: optionalNullable(Schema.Number),
  sqlState: optionalNullable(Schema.String),
  errorCode: optionalNullable(Schema.String),
  internalError: optionalNullable(Schema.Boolean),
  age: optionalNullable(Schema.Number),
  line: optionalNullable(Schema.Number),
  pos: optionalNullable(Schema.Number),
  type: optionalNullable(Schema.String),
  /** PUT/GET answers (§9.2) carry `command`; the rest of their shape is decoded elsewhere. */
  command: optionalNullable(Schema.String)
})
export type QueryResponseData = typeof QueryResponseData.Type

/** Child query ids of a multi-statement parent, in order (empty when not a parent). */
export const childQueryIds = (data: QueryResponseData): ReadonlyArray<string> =>
  data.resultIds ? data.resultIds.split(",").filter((id) => id.length > 0) : []
