/**
 * `GET /monitoring/queries/{queryId}` (PROTOCOL.md §7.2): the status of a query. Status strings
 * are kept verbatim — an unknown one is a `string`, never a decode failure.
 */
import * as Schema from "effect/Schema"

/** The status strings of §7.2, spelled exactly as the server does (typo included). */
export const KnownQueryStatuses = [
  "RUNNING",
  "ABORTING",
  "SUCCESS",
  "FAILED_WITH_ERROR",
  "ABORTED",
  "QUEUED",
  "FAILED_WITH_INCIDENT",
  "DISCONNECTED",
  "RESUMING_WAREHOUSE",
  "QUEUED_REPARING_WAREHOUSE",
  "RESTARTED",
  "BLOCKED",
  "NO_DATA"
] as const
export type KnownQueryStatus = (typeof KnownQueryStatuses)[number]

/** A known status, or any other string the server may add later. */
export type QueryStatus = KnownQueryStatus | (string & {})

const stillRunning: ReadonlySet<string> = new Set([
  "RUNNING",
  "RESUMING_WAREHOUSE",
  "QUEUED",
  "QUEUED_REPARING_WAREHOUSE",
  // Go's spelling; harmless to accept.
  "QUEUED_REPAIRING_WAREHOUSE",
  "NO_DATA"
])

const errorStatuses: ReadonlySet<string> = new Set([
  "ABORTING",
  "FAILED_WITH_ERROR",
  "ABORTED",
  "FAILED_WITH_INCIDENT",
  "DISCONNECTED",
  "BLOCKED"
])

/** Worth polling again. */
export const isStillRunning = (status: QueryStatus): boolean => stillRunning.has(status)

/** Finished without a result. (RESTARTED and unknown statuses are neither running nor error.) */
export const isError = (status: QueryStatus): boolean => errorStatuses.has(status)

const optionalNullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true })

export const MonitoredQuery = Schema.Struct({
  /** Absent in some minimal answers (Node's RESTARTED mock). */
  id: optionalNullable(Schema.String),
  status: Schema.String as Schema.Schema<QueryStatus, string>,
  state: optionalNullable(Schema.String),
  errorCode: optionalNullable(Schema.String),
  errorMessage: optionalNullable(Schema.String),
  sqlText: optionalNullable(Schema.String),
  startTime: optionalNullable(Schema.Number),
  endTime: optionalNullable(Schema.Number),
  stats: optionalNullable(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})
export type MonitoredQuery = typeof MonitoredQuery.Type

export const MonitoringResponseData = Schema.Struct({
  queries: Schema.optionalWith(Schema.Array(MonitoredQuery), { nullable: true, default: () => [] })
})
export type MonitoringResponseData = typeof MonitoringResponseData.Type
