/**
 * Running statements for a session: de-duplication by requestId, the session's one-at-a-time
 * lock (waiting = QUEUED), statement timeouts, ALTER SESSION, multi-statement, chunking, and the
 * final answer every later result GET returns. Each query runs in its own fiber in the session's
 * scope, so abort (fiber interrupt) and logout stop the DuckDB statement.
 */
import { Cause, Clock, Deferred, Effect, Exit, Fiber, Option } from "effect"
import {
  type Bindings,
  type Engine,
  type EngineError,
  rowCount,
  type StatementResult
} from "../engine/Engine.js"
import { packRows, parseRows } from "../engine/jsonRows.js"
import { statusResult } from "../engine/results.js"
import type { Chunks } from "./chunks.js"
import { type Envelope, ok, type SqlFailure, sqlFail } from "./envelope.js"
import { defaultParameters, type ParameterValue, parseAlterSession } from "./parameters.js"
import type { Queries, QueryRecord } from "./queries.js"
import type { CachedResult } from "./resultCache.js"
import * as ResultCache from "./resultCache.js"
import { resultData } from "./resultData.js"
import type { Session } from "./sessions.js"

export interface ExecuteRequest {
  readonly sqlText: string
  readonly requestId: string | undefined
  readonly bindings: Bindings | undefined
  /** `@stage/path` of CSV files holding the binds (stage binding, PROTOCOL.md §5.2); wins over `bindings`. */
  readonly bindStage?: string | undefined
  readonly describeOnly: boolean
  /** Per-request parameters (MULTI_STATEMENT_COUNT, QUERY_TAG, …); they do not outlive the statement. */
  readonly parameters: ReadonlyMap<string, ParameterValue>
}

export interface ExecutionSettings {
  readonly chunkRows: number
  readonly inlineRows: number
  readonly baseUrl: () => string
}

export const canceled: SqlFailure = { code: "000604", sqlState: "57014", message: "SQL execution canceled" }

export const timedOut = (seconds: number): SqlFailure => ({
  code: "000630",
  sqlState: "57014",
  message: `Statement reached its statement or warehouse timeout of ${seconds} second(s) and was canceled.`
})

export const statementCountMismatch = (actual: number, desired: number): SqlFailure => ({
  code: "000008",
  sqlState: "0A000",
  message: `Actual statement count ${actual} did not match the desired statement count ${desired}.`
})

const fromEngine = (e: EngineError): SqlFailure => ({
  code: e.code,
  sqlState: e.sqlState,
  message: e.message,
  ...(e.details.line !== undefined ? { line: e.details.line } : {}),
  ...(e.details.pos !== undefined ? { pos: e.details.pos } : {}),
  ...(e.details.type !== undefined ? { type: e.details.type } : {})
})

/** ALTER SESSION's answer (statement type 0x4100). */
const statementExecuted = (context: StatementResult["context"], text: string): StatementResult =>
  statusResult(text, 0x4100, context)

const numberParameter = (value: ParameterValue | undefined): number | undefined => {
  const n = typeof value === "string" ? Number(value) : typeof value === "number" ? value : undefined
  return n !== undefined && Number.isFinite(n) ? n : undefined
}

const textParameter = (value: ParameterValue | undefined): string | null =>
  value === undefined || value === "" ? null : String(value)

export interface Execution {
  /**
   * Starts (or, for a known requestId, re-attaches to) a query and returns its record at once;
   * the caller decides how long to wait for `record.outcome`.
   */
  readonly submit: (session: Session, request: ExecuteRequest) => Effect.Effect<QueryRecord>
  /** Interrupts a queued or running query; false when it is not executing. */
  readonly abort: (record: QueryRecord) => Effect.Effect<boolean>
}

/**
 * What a query's failure tells its client: its typed failure; for a defect (a bug in the emulator),
 * Snowflake's internal error with the defect's message — not "canceled", which sends one looking
 * for who canceled it; for an interruption, canceled.
 */
export const failureOf = (cause: Cause.Cause<SqlFailure>): SqlFailure =>
  Option.getOrElse(Cause.failureOption(cause), () =>
    Option.match(Cause.dieOption(cause), {
      onNone: () => canceled,
      onSome: (defect): SqlFailure => ({
        code: "000603",
        sqlState: "XX000",
        message: `SQL execution internal error: ${defect instanceof Error ? defect.message : String(defect)}`
      })
    })
  )

export const makeExecution = (
  engine: Pick<Engine, "splitStatements">,
  queries: Queries,
  chunks: Chunks,
  settings: ExecutionSettings
): Execution => {
  const newRecord = (session: Session, request: ExecuteRequest, sqlText: string, parentId?: string) =>
    Effect.gen(function* () {
      const context = yield* session.engine.context
      return yield* queries.create({
        requestId: parentId === undefined ? request.requestId : undefined,
        parentId,
        sessionId: session.id,
        user: session.user,
        sqlText,
        warehouse: context.warehouse,
        database: context.database,
        schema: context.schema,
        role: context.role,
        // A per-request QUERY_TAG (how the drivers send a statement's tag) wins over the session's.
        queryTag: textParameter(request.parameters.get("QUERY_TAG") ?? session.parameters.get("QUERY_TAG")),
        startTime: yield* Clock.currentTimeMillis
      })
    })

  const finish = (record: QueryRecord, envelope: Envelope, failure: SqlFailure | undefined) =>
    Effect.gen(function* () {
      record.endTime = yield* Clock.currentTimeMillis
      record.error = failure
      record.status =
        failure === undefined ? "SUCCESS" : failure.code === canceled.code ? "ABORTED" : "FAILED_WITH_ERROR"
      yield* Deferred.succeed(record.outcome, envelope)
    })

  const cache = ResultCache.makeResultCache()

  /** Inline rows and gzip'ed chunk bodies of a result (big results go through rowsJson: only the inline part is parsed). */
  const encodeResult = (result: StatementResult) =>
    Effect.gen(function* () {
      const count = rowCount(result)
      const json = count > settings.chunkRows ? (result.rowsJson ?? packRows(result.rows)) : undefined
      if (json === undefined) {
        return { result, rowCount: count, inlineRows: result.rows, encoded: undefined } satisfies CachedResult
      }
      return {
        result,
        rowCount: count,
        inlineRows: parseRows(json, 0, settings.inlineRows),
        encoded: yield* chunks.encode(json, settings.inlineRows, settings.chunkRows)
      } satisfies CachedResult
    })

  /** The response `data` for a result, its chunks served under this query's id. */
  const answer = (record: QueryRecord, session: Session, request: ExecuteRequest, entry: CachedResult) =>
    Effect.gen(function* () {
      return resultData({
        queryId: record.id,
        result: entry.result,
        // ALTER SESSION may just have changed them, so read the live values.
        sessionParameters: new Map([...session.parameters, ...request.parameters]),
        inlineRows: entry.inlineRows,
        chunked:
          entry.encoded === undefined
            ? undefined
            : chunks.register(settings.baseUrl(), record.id, session.id, entry.encoded),
        describeOnly: request.describeOnly,
        nowMillis: yield* Clock.currentTimeMillis
      })
    })

  /** Runs one statement and answers with the response `data`. */
  const runStatement = (
    session: Session,
    record: QueryRecord,
    sql: string,
    request: ExecuteRequest,
    parameters: ReadonlyMap<string, ParameterValue>
  ) =>
    Effect.gen(function* () {
      const alter = request.describeOnly ? undefined : parseAlterSession(sql)
      let result: StatementResult
      if (alter !== undefined) {
        if (alter._tag === "Set")
          for (const [name, value] of alter.values) session.parameters.set(name, value)
        else for (const name of alter.names) session.parameters.delete(name)
        result = statementExecuted(yield* session.engine.context, "Statement executed successfully.")
      } else {
        // The engine sees the values in force, defaults included (TIMEZONE drives LTZ conversions).
        const engineParameters: Record<string, ParameterValue> = {
          ...Object.fromEntries(defaultParameters),
          ...Object.fromEntries(parameters)
        }
        const cacheKey = ResultCache.keyOf(sql, yield* session.engine.context, request.bindings)
        // the key does not see the values behind a bind stage: such a statement is never reused
        const reusable =
          !request.describeOnly && request.bindStage === undefined && ResultCache.isEnabled(parameters)
        const cached = reusable ? cache.lookup(cacheKey) : undefined
        if (cached !== undefined) {
          record.rowsProduced = cached.rowCount
          record.reusedResult = true
          return yield* answer(record, session, request, cached)
        }
        result = yield* session.engine
          .execute(sql, {
            ...(request.bindings !== undefined ? { bindings: request.bindings } : {}),
            ...(request.bindStage !== undefined ? { bindStage: request.bindStage } : {}),
            describeOnly: request.describeOnly,
            parameters: engineParameters
          })
          .pipe(Effect.mapError(fromEngine))
        cache.afterStatement(result.statementTypeId)
        if (result.transfer === undefined && !request.describeOnly) {
          const entry = yield* encodeResult(result)
          if (request.bindStage === undefined) cache.remember(cacheKey, sql, entry)
          record.rowsProduced = entry.rowCount
          return yield* answer(record, session, request, entry)
        }
      }
      // PUT/GET answer with transfer instructions, not rows (§9.2)
      if (result.transfer !== undefined) return result.transfer(record.id)
      const entry = yield* encodeResult(result)
      record.rowsProduced = entry.rowCount
      return yield* answer(record, session, request, entry)
    })

  /** Runs every statement of a multi-statement text as its own child query (§5.7, §16.5). */
  const runMulti = (
    session: Session,
    parent: QueryRecord,
    statements: ReadonlyArray<string>,
    request: ExecuteRequest,
    parameters: ReadonlyMap<string, ParameterValue>
  ) =>
    Effect.gen(function* () {
      const ids: Array<string> = []
      const types: Array<number> = []
      for (const statement of statements) {
        const child = yield* newRecord(session, request, statement, parent.id)
        child.status = "RUNNING"
        const exit = yield* Effect.exit(runStatement(session, child, statement, request, parameters))
        if (Exit.isSuccess(exit)) {
          yield* finish(child, ok(exit.value), undefined)
          ids.push(child.id)
          types.push(exit.value.statementTypeId as number)
        } else {
          const failure = failureOf(exit.cause)
          yield* finish(child, sqlFail(failure, child.id), failure)
          return yield* Effect.fail(failure)
        }
      }
      const context = yield* session.engine.context
      const summary = statementExecuted(context, "Multiple statements executed successfully.")
      return resultData({
        queryId: parent.id,
        result: {
          ...summary,
          columns: [{ ...summary.columns[0]!, name: "multiple statement execution" }],
          statementTypeId: 0xa000
        },
        sessionParameters: new Map([...session.parameters, ...request.parameters]),
        inlineRows: summary.rows,
        chunked: undefined,
        describeOnly: false,
        nowMillis: yield* Clock.currentTimeMillis,
        extra: { resultIds: ids.join(","), resultTypes: types.join(",") }
      })
    })

  const run = (session: Session, record: QueryRecord, request: ExecuteRequest) =>
    session.lock.withPermits(1)(
      Effect.gen(function* () {
        record.status = "RUNNING"
        const parameters = new Map([...session.parameters, ...request.parameters])
        const statements = engine.splitStatements(request.sqlText)
        const desired = numberParameter(parameters.get("MULTI_STATEMENT_COUNT")) ?? 1
        if (statements.length > 1 && desired !== 0 && desired !== statements.length) {
          return yield* Effect.fail(statementCountMismatch(statements.length, desired))
        }
        const work =
          statements.length > 1
            ? runMulti(session, record, statements, request, parameters)
            : runStatement(session, record, request.sqlText, request, parameters)
        const timeout = numberParameter(parameters.get("STATEMENT_TIMEOUT_IN_SECONDS")) ?? 0
        return yield* timeout > 0
          ? Effect.timeoutFail(work, { duration: `${timeout} seconds`, onTimeout: () => timedOut(timeout) })
          : work
      })
    )

  return {
    submit: (session, request) =>
      Effect.gen(function* () {
        if (request.requestId !== undefined) {
          const known = session.requests.get(request.requestId)
          const existing = known === undefined ? undefined : queries.get(known)
          if (existing !== undefined) return existing
        }
        const record = yield* newRecord(session, request, request.sqlText)
        if (request.requestId !== undefined) session.requests.set(request.requestId, record.id)
        record.fiber = yield* Effect.uninterruptibleMask((restore) =>
          restore(run(session, record, request)).pipe(
            Effect.matchCauseEffect({
              onSuccess: (data) => finish(record, ok(data), undefined),
              onFailure: (cause) => {
                const failure = failureOf(cause)
                return finish(record, sqlFail(failure, record.id), failure)
              }
            })
          )
        ).pipe(Effect.forkIn(session.scope))
        return record
      }),
    abort: (record) =>
      Effect.gen(function* () {
        if ((record.status !== "QUEUED" && record.status !== "RUNNING") || record.fiber === undefined)
          return false
        yield* Fiber.interrupt(record.fiber)
        return true
      })
  }
}
