/**
 * The query registry: every statement the emulator runs, with its real state
 * (QUEUED → RUNNING → SUCCESS / FAILED_WITH_ERROR / ABORTED), its final answer for result GETs,
 * and the history a later INFORMATION_SCHEMA.QUERY_HISTORY will read.
 */
import { Deferred, Effect, type Fiber, type Option } from "effect"
import type { Envelope, SqlFailure } from "./envelope.js"
import { newQueryId } from "./ids.js"

export type QueryStatus = "QUEUED" | "RUNNING" | "SUCCESS" | "FAILED_WITH_ERROR" | "ABORTED"

export interface QueryRecord {
  readonly id: string
  readonly requestId: string | undefined
  readonly parentId: string | undefined
  readonly sessionId: number
  readonly user: string
  readonly sqlText: string
  readonly warehouse: string | null
  readonly database: string | null
  readonly schema: string | null
  readonly role: string | null
  readonly queryTag: string | null
  status: QueryStatus
  readonly startTime: number
  endTime: number | undefined
  rowsProduced: number
  /** Answered from a stored result of an identical earlier query (resultCache.ts), not run again. */
  reusedResult: boolean
  error: SqlFailure | undefined
  /** Completed once with the final envelope (success or failure) the result GET returns. */
  readonly outcome: Deferred.Deferred<Envelope>
  fiber: Fiber.RuntimeFiber<void, never> | undefined
}

/** A read-only view of a finished or running query, for query history. */
export type QueryHistoryEntry = Omit<Readonly<QueryRecord>, "outcome" | "fiber">

/** What a new query is created from: the record's identity and context, before it runs. */
export type NewQuery = Pick<
  QueryRecord,
  | "requestId"
  | "parentId"
  | "sessionId"
  | "user"
  | "sqlText"
  | "warehouse"
  | "database"
  | "schema"
  | "role"
  | "queryTag"
  | "startTime"
>

export const isRunning = (status: QueryStatus) => status === "QUEUED" || status === "RUNNING"

export interface Queries {
  readonly create: (query: NewQuery) => Effect.Effect<QueryRecord>
  readonly get: (id: string) => QueryRecord | undefined
  readonly history: () => ReadonlyArray<QueryHistoryEntry>
  /** Waits up to `seconds` for the final answer; None when the query is still running. */
  readonly awaitOutcome: (record: QueryRecord, seconds: number) => Effect.Effect<Option.Option<Envelope>>
}

export const makeQueries = (): Queries => {
  const records = new Map<string, QueryRecord>()
  return {
    create: (query) =>
      Effect.map(Deferred.make<Envelope>(), (outcome) => {
        const record: QueryRecord = {
          ...query,
          id: newQueryId(),
          status: "QUEUED",
          endTime: undefined,
          rowsProduced: 0,
          reusedResult: false,
          error: undefined,
          outcome,
          fiber: undefined
        }
        records.set(record.id, record)
        return record
      }),
    get: (id) => records.get(id),
    history: () =>
      [...records.values()].map(({ outcome: _outcome, fiber: _fiber, ...entry }) => ({ ...entry })),
    awaitOutcome: (record, seconds) =>
      Deferred.await(record.outcome).pipe(Effect.timeoutOption(`${Math.max(0, seconds) * 1000} millis`))
  }
}

/** One entry of `GET /monitoring/queries/{id}` (§7.2). */
export const monitoringEntry = (record: QueryRecord) => ({
  id: record.id,
  status: record.status,
  state: record.status === "SUCCESS" ? "SUCCEEDED" : record.status,
  errorCode: record.error?.code ?? "",
  errorMessage: record.error?.message ?? "",
  sqlText: record.sqlText,
  startTime: record.startTime,
  endTime: record.endTime ?? 0,
  stats: { scanBytes: 0, producedRows: record.rowsProduced }
})
