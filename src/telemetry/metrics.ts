/**
 * The client's Effect metrics. Names follow the seed's Prometheus names so an exporter
 * (e.g. @effect/opentelemetry) shows them unchanged; the library only records them.
 */
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"

/** Statements run, tagged `status` = success | failure | cancelled. */
export const queriesTotal = Metric.counter("snowflake_queries_total", {
  description: "Statements executed by the client, by final status",
  incremental: true
})

/** Wall-clock duration of a statement from first request to last row, in milliseconds. */
export const queryDuration = Metric.histogram(
  "snowflake_query_duration_ms",
  MetricBoundaries.exponential({ start: 5, factor: 2, count: 16 }),
  "Statement duration in milliseconds"
)

/** HTTP attempts beyond the first, tagged `endpoint`. */
export const retriesTotal = Metric.counter("snowflake_retries_total", {
  description: "HTTP requests repeated after a transient failure",
  incremental: true
})

/** Logged-in sessions right now (up on login, down on logout or loss). */
export const sessionsActive = Metric.gauge("snowflake_sessions_active", {
  description: "Sessions currently logged in"
})

/** Session token renewals (390112 answered by a token-request). */
export const sessionRenewals = Metric.counter("snowflake_session_renewals_total", {
  description: "Session token renewals",
  incremental: true
})
