/**
 * Statements: the client's execution layer below decoding. Each method sends a statement (or asks
 * about one) and answers with what the wire carried — rowtype and raw string cells — never with
 * decoded rows. `Client` (`Snowflake.Client`) decorates this with decoding, row schemas,
 * spans and metrics; the simulation layer records and replays at this level, so a replayed result
 * goes through the very same decoders as a live one. The rows of an answer (inline and chunks) are
 * gathered on this side, by streams/answerRows.ts with the Transport's chunk download.
 *
 * The live implementation (`layer`) follows 333333/333334 long-polls, polls async queries, and
 * applies per-query context (warehouse, role, database, schema) with USE statements on the
 * borrowed session before the statement, restoring the session's defaults afterwards — including
 * when the statement fails or is interrupted, and when the statement itself ran a USE. A context
 * that cannot be restored (no default to go back to, or the restore failed) retires the session
 * from the pool, so nothing leaks into the next borrower.
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import {
  ConnectionTimeout,
  fromServerFailure,
  ProtocolError,
  QueryCancelled,
  QueryTimeout,
  type SnowflakeError
} from "../errors/index.js"
import { encodeQueryBindings } from "../protocol/binds.js"
import type * as RowBatch from "../protocol/decode/RowBatch.js"
import type { Envelope } from "../protocol/wire/envelope.js"
import {
  isError,
  isStillRunning,
  MonitoringResponseData,
  type QueryStatus
} from "../protocol/wire/monitoring.js"
import {
  childQueryIds,
  isInProgress,
  QUERY_IN_PROGRESS_ASYNC,
  type QueryRequestBody,
  QueryResponseData,
  type RowTypeEntry
} from "../protocol/wire/query.js"
import { quoteIdentifier } from "../sql/identifier.js"
import type * as Query from "../sql/Query.js"
import * as AnswerRows from "../streams/answerRows.js"
import * as PollSchedule from "./PollSchedule.js"
import { isSessionGone, protocolError, type Session, type SessionContext } from "./Session.js"
import { SessionPool, type SessionPoolService } from "./SessionPool.js"
import { type ResolvedConfig, SnowflakeConfig } from "./SnowflakeConfig.js"
import { Transport, type TransportService } from "./Transport.js"

/**
 * A streamed result below decoding: the rowtype, known up front, and the rows as they come, in
 * undecoded batches (`RowBatch.toCells` gives their string cells).
 */
export interface RawStream {
  readonly queryId: string
  readonly rowtype: ReadonlyArray<RowTypeEntry>
  readonly batches: Stream.Stream<RowBatch.RowBatch, SnowflakeError>
}

/** What `submit` returns: enough to ask for the status and the result later. */
export interface QueryHandle {
  readonly queryId: string
}

export interface QueryStatusInfo {
  readonly queryId: string
  /** The server's status verbatim (RUNNING, SUCCESS, FAILED_WITH_ERROR, …); NO_DATA when unknown. */
  readonly status: QueryStatus
  readonly errorCode: string | undefined
  readonly errorMessage: string | undefined
}

export interface StatementsService {
  /** Runs one statement to its final answer and downloads all its rows. */
  readonly execute: (query: Query.Query) => Effect.Effect<AnswerRows.RawResult, SnowflakeError>
  /** Runs a multi-statement text; one result per statement, in order. */
  readonly executeMulti: (
    query: Query.Query
  ) => Effect.Effect<ReadonlyArray<AnswerRows.RawResult>, SnowflakeError>
  /**
   * Runs one statement; its rows are read lazily from `rows`. The session (and the query's
   * context) stays held until the scope closes.
   */
  readonly stream: (query: Query.Query) => Effect.Effect<RawStream, SnowflakeError, Scope.Scope>
  /** The rows of a finished query, read again by its id (waiting for it if it still runs). */
  readonly streamResult: (queryId: string) => Effect.Effect<RawStream, SnowflakeError, Scope.Scope>
  readonly submit: (query: Query.Query) => Effect.Effect<QueryHandle, SnowflakeError>
  readonly status: (queryId: string) => Effect.Effect<QueryStatusInfo, SnowflakeError>
  /** Waits (polling) until the query is done; `timeout` gives up with QueryTimeout. */
  readonly awaitResult: (
    queryId: string,
    timeout: Duration.Duration | undefined
  ) => Effect.Effect<AnswerRows.RawResult, SnowflakeError>
  readonly cancel: (queryId: string) => Effect.Effect<void, SnowflakeError>
}

export class Statements extends Context.Tag("effect-snowflake/Statements")<Statements, StatementsService>() {}

const decodeQueryData = Schema.decodeUnknown(QueryResponseData)
const decodeMonitoring = Schema.decodeUnknown(MonitoringResponseData)

const resultPath = (queryId: string) => `/queries/${encodeURIComponent(queryId)}/result`

type ContextKey = keyof SessionContext
const contextKeys: ReadonlyArray<ContextKey> = ["role", "warehouse", "database", "schema"]
const useKeyword: Record<ContextKey, string> = {
  role: "ROLE",
  warehouse: "WAREHOUSE",
  database: "DATABASE",
  schema: "SCHEMA"
}
const finalName = (data: QueryResponseData, key: ContextKey): string | undefined => {
  const name =
    key === "role"
      ? data.finalRoleName
      : key === "warehouse"
        ? data.finalWarehouseName
        : key === "database"
          ? data.finalDatabaseName
          : data.finalSchemaName
  return name ?? undefined
}

/**
 * The one query-request POST (PROTOCOL.md §5): a statement run or submitted here, and a PUT/GET
 * asking for its transfer instruction (Stages, `accept: "json"`). `requestId` is kept on every
 * retry, so the server can deduplicate, and names the statement in an abort.
 */
/**
 * Errors of a query-request the server refused because its session had ended (390104 / 390111):
 * the statement provably never started, so running it again cannot run it twice. Marked where the
 * request was posted, not where the error is seen, since a poll of a started statement can meet the
 * same codes.
 */
const refusedBeforeStart = new WeakSet<SnowflakeError>()

export const postQuery = (
  session: Session,
  body: QueryRequestBody,
  options: { readonly accept?: "snowflake" | "json"; readonly requestId?: string } = {}
): Effect.Effect<Envelope, SnowflakeError> =>
  session.request({
    method: "POST",
    path: "/queries/v1/query-request",
    body,
    accept: options.accept ?? "snowflake",
    requestId: options.requestId ?? globalThis.crypto.randomUUID(),
    retryMarkers: true
  })

export const make: Effect.Effect<StatementsService, never, SnowflakeConfig | Transport | SessionPool> =
  Effect.gen(function* () {
    const config = yield* SnowflakeConfig
    const transport = yield* Transport
    const pool = yield* SessionPool
    return makeWith(config, transport, pool)
  })

export const makeWith = (
  config: ResolvedConfig,
  transport: TransportService,
  pool: SessionPoolService
): StatementsService => {
  /** Follows 333333/333334 answers by GETting the result URL until the answer is final. */
  const untilDone = (
    session: Session,
    first: Envelope,
    onQueryId: (id: string) => Effect.Effect<void>
  ): Effect.Effect<QueryResponseData, SnowflakeError> =>
    Effect.gen(function* () {
      let envelope = first
      while (true) {
        const data = yield* decodeQueryData(envelope.data ?? {}).pipe(Effect.mapError(protocolError("query")))
        if (data.queryId) yield* onQueryId(data.queryId)
        if (!isInProgress(envelope.code)) return data
        const path = data.getResultUrl ?? (data.queryId ? resultPath(data.queryId) : undefined)
        if (path === undefined) {
          return yield* new ProtocolError({
            message: "An in-progress answer carried neither getResultUrl nor queryId"
          })
        }
        envelope = yield* session.request({ method: "GET", path, accept: "snowflake" })
      }
    })

  const requestBody = (query: Query.Query, extra: { multi?: boolean; async?: boolean }) =>
    Effect.gen(function* () {
      const bindings = yield* Either.match(encodeQueryBindings(query.bindings), {
        onLeft: Effect.fail,
        onRight: Effect.succeed
      })
      const timeout = query.timeout ?? Option.getOrUndefined(config.queryTimeout)
      const parameters: Record<string, string | number | boolean> = { ...query.parameters }
      if (query.tag !== undefined) parameters.QUERY_TAG = query.tag
      if (timeout !== undefined) {
        parameters.STATEMENT_TIMEOUT_IN_SECONDS = Math.max(1, Math.ceil(Duration.toSeconds(timeout)))
      }
      if (extra.multi) parameters.MULTI_STATEMENT_COUNT = 0
      const body: QueryRequestBody = {
        sqlText: query.sql,
        disableOfflineChunks: false,
        ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
        ...(bindings !== undefined ? { bindings } : {}),
        ...(query.describeOnly ? { describeOnly: true } : {}),
        ...(extra.async ? { asyncExec: true } : {})
      }
      return { body, timeout }
    })

  /** Sends the abort for a statement that is being abandoned; failures are only logged. */
  const abort = (session: Session, requestId: string, queryId: Option.Option<string>) =>
    session
      .request(
        Option.match(queryId, {
          onNone: () => ({
            method: "POST" as const,
            path: "/queries/v1/abort-request",
            body: { requestId }
          }),
          onSome: (id) => ({
            method: "POST" as const,
            path: `/queries/${encodeURIComponent(id)}/abort-request`
          })
        })
      )
      .pipe(
        // Retried like any request; bounded and interruptible, as it runs while a call is being
        // interrupted (uninterruptible), where nothing else could stop an abort that hangs.
        Effect.interruptible,
        Effect.timeoutFail({
          duration: config.requestTimeout,
          onTimeout: () => new ConnectionTimeout({ message: "The abort-request did not finish in time" })
        }),
        Effect.asVoid,
        Effect.catchAll((error) =>
          Effect.logDebug("snowflake abort-request failed").pipe(Effect.annotateLogs({ error: error._tag }))
        )
      )

  /**
   * Posts the statement and follows it to a final answer. Interruption (a timeout, a cancelled
   * fiber) sends an abort for the statement before the session is given back.
   */
  const run = (
    session: Session,
    body: QueryRequestBody,
    onFinal: (data: QueryResponseData) => Effect.Effect<void> = () => Effect.void
  ): Effect.Effect<QueryResponseData, SnowflakeError> =>
    Effect.gen(function* () {
      const requestId = globalThis.crypto.randomUUID()
      const queryId = yield* Ref.make(Option.none<string>())
      return yield* postQuery(session, body, { requestId }).pipe(
        Effect.tapError((error) => Effect.sync(() => isSessionGone(error) && refusedBeforeStart.add(error))),
        Effect.flatMap((envelope) => untilDone(session, envelope, (id) => Ref.set(queryId, Option.some(id)))),
        Effect.tap(onFinal),
        Effect.onInterrupt(() => Effect.flatMap(Ref.get(queryId), (id) => abort(session, requestId, id)))
      )
    })

  /** Runs a context statement (USE …) whose rows nobody reads. */
  const runInternal = (session: Session, sqlText: string) =>
    Effect.asVoid(run(session, { sqlText, disableOfflineChunks: false }))

  /**
   * Applies the query's context overrides on the session and registers their restoration on the
   * scope. The returned callback records the context the server reported after the statement.
   */
  const withQueryContext = (session: Session, query: Query.Query) =>
    Effect.gen(function* () {
      const overrides = contextKeys.filter((key) => query[key] !== undefined)
      const reported = yield* Ref.make<Partial<Record<ContextKey, string>>>({})
      const observe = (data: QueryResponseData) =>
        Ref.set(
          reported,
          Object.fromEntries(
            contextKeys.flatMap((key) => {
              const name = finalName(data, key)
              return name === undefined ? [] : [[key, name]]
            })
          )
        )
      const defaults = yield* session.defaultContext
      const restore = Effect.gen(function* () {
        const final = yield* Ref.get(reported)
        const drifted = contextKeys.filter(
          (key) =>
            overrides.includes(key) ||
            (final[key] !== undefined && final[key]!.toUpperCase() !== defaults[key]?.name.toUpperCase())
        )
        for (const key of drifted) {
          const target = defaults[key]
          if (target === undefined) return yield* Effect.fail("no default" as const)
          yield* runInternal(session, `USE ${useKeyword[key]} ${target.sql}`)
        }
      }).pipe(
        Effect.catchAll(() =>
          Effect.zipRight(
            Effect.logDebug("snowflake session context could not be restored; retiring the session"),
            pool.invalidate(session)
          )
        )
      )
      yield* Effect.addFinalizer(() => restore)
      for (const key of overrides) {
        yield* runInternal(session, `USE ${useKeyword[key]} ${quoteIdentifier(query[key]!)}`)
      }
      return observe
    })

  /** Borrow a session, apply the query's context, run `use`, restore, give the session back. */
  const onSession = <A>(
    query: Query.Query,
    use: (
      session: Session,
      observe: (data: QueryResponseData) => Effect.Effect<void>
    ) => Effect.Effect<A, SnowflakeError>
  ): Effect.Effect<A, SnowflakeError> =>
    Effect.scoped(
      Effect.gen(function* () {
        const session = yield* pool.get
        const observe = yield* withQueryContext(session, query)
        return yield* use(session, observe)
      })
    ).pipe(
      // The server ended the session and refused the statement: it never ran, so it runs again
      // once, context and all, on a fresh login (the session logs in again by itself).
      Effect.retry({ times: 1, while: (error) => refusedBeforeStart.has(error) })
    )

  /**
   * Client-side timeout: QueryTimeout, and the interruption aborts the statement on the server. It
   * wraps everything a call does — waiting for a session, logging in (with its retries), context
   * statements and the statement itself — so a deadline holds whatever is slow.
   */
  const withClientTimeout = <A, R>(
    effect: Effect.Effect<A, SnowflakeError, R>,
    timeout: Duration.Duration | undefined
  ) =>
    timeout === undefined
      ? effect
      : Effect.timeoutFail(effect, {
          duration: timeout,
          onTimeout: () =>
            new QueryTimeout({ message: `The statement did not finish within ${Duration.format(timeout)}` })
        })

  const execute = (query: Query.Query) =>
    Effect.gen(function* () {
      const { body, timeout } = yield* requestBody(query, {})
      const data = yield* withClientTimeout(
        onSession(query, (session, observe) => run(session, body, observe)),
        timeout
      )
      return yield* AnswerRows.collect(data, transport.fetchChunk, freshChunksOnAnySession(data))
    })

  /** Final answer of a child statement or of any query by id. */
  const resultById = (session: Session, queryId: string) =>
    Effect.flatMap(
      session.request({ method: "GET", path: resultPath(queryId), accept: "snowflake" }),
      (envelope) => untilDone(session, envelope, () => Effect.void)
    )

  /** Fresh chunk URLs for an answer whose URLs expired (403): its result, fetched again by id. */
  const freshChunks = (session: Session, data: QueryResponseData) =>
    data.queryId ? Effect.map(resultById(session, data.queryId), (fresh) => fresh.chunks ?? []) : undefined

  /** `freshChunks` for answers collected after their session went back to the pool. */
  const freshChunksOnAnySession = (data: QueryResponseData) =>
    data.queryId
      ? Effect.scoped(
          Effect.flatMap(pool.get, (session) =>
            Effect.map(resultById(session, data.queryId!), (fresh) => fresh.chunks ?? [])
          )
        )
      : undefined

  const executeMulti = (query: Query.Query) =>
    Effect.gen(function* () {
      const { body, timeout } = yield* requestBody(query, { multi: true })
      const answers = yield* withClientTimeout(
        onSession(query, (session, observe) =>
          Effect.gen(function* () {
            const parent = yield* run(session, body)
            const children = childQueryIds(parent)
            if (children.length === 0) {
              yield* observe(parent)
              return [parent]
            }
            const results = yield* Effect.forEach(children, (id) => resultById(session, id))
            const last = results[results.length - 1]
            if (last !== undefined) yield* observe(last)
            return results
          })
        ),
        timeout
      )
      return yield* Effect.forEach(answers, (data) =>
        AnswerRows.collect(data, transport.fetchChunk, freshChunksOnAnySession(data))
      )
    })

  const stream = (query: Query.Query): Effect.Effect<RawStream, SnowflakeError, Scope.Scope> =>
    Effect.gen(function* () {
      const { body, timeout } = yield* requestBody(query, {})
      const { data, session } = yield* withClientTimeout(
        Effect.gen(function* () {
          const session = yield* pool.get
          const observe = yield* withQueryContext(session, query)
          return { data: yield* run(session, body, observe), session }
        }),
        timeout
      )
      return {
        queryId: data.queryId ?? "",
        rowtype: data.rowtype ?? [],
        batches: AnswerRows.batches(data, transport.fetchChunk, freshChunks(session, data))
      }
    })

  const streamResult = (queryId: string): Effect.Effect<RawStream, SnowflakeError, Scope.Scope> =>
    Effect.gen(function* () {
      const session = yield* pool.get
      const data = yield* resultById(session, queryId)
      return {
        queryId: data.queryId ?? queryId,
        rowtype: data.rowtype ?? [],
        batches: AnswerRows.batches(data, transport.fetchChunk, freshChunks(session, data))
      }
    })

  const submit = (query: Query.Query) =>
    Effect.gen(function* () {
      const { body } = yield* requestBody(query, { async: true })
      return yield* onSession(query, (session) =>
        Effect.gen(function* () {
          const envelope = yield* postQuery(session, body)
          const data = yield* decodeQueryData(envelope.data ?? {}).pipe(
            Effect.mapError(protocolError("query"))
          )
          if (!data.queryId) {
            return yield* new ProtocolError({
              message: "The asynchronous submission was answered without a queryId"
            })
          }
          if (envelope.code !== QUERY_IN_PROGRESS_ASYNC && !isInProgress(envelope.code)) {
            yield* Effect.logDebug("snowflake answered an async submission synchronously")
          }
          return { queryId: data.queryId } satisfies QueryHandle
        })
      )
    })

  const statusOn = (session: Session, queryId: string) =>
    Effect.gen(function* () {
      const envelope = yield* session.request({
        method: "GET",
        path: `/monitoring/queries/${encodeURIComponent(queryId)}`
      })
      const data = yield* decodeMonitoring(envelope.data ?? {}).pipe(
        Effect.mapError(protocolError("monitoring"))
      )
      const entry = data.queries[0]
      return {
        queryId,
        status: entry?.status ?? "NO_DATA",
        errorCode: entry?.errorCode ?? undefined,
        errorMessage: entry?.errorMessage ?? undefined
      } satisfies QueryStatusInfo
    })

  const status = (queryId: string) => pool.withSession((session) => statusOn(session, queryId))

  const awaitResult = (queryId: string, timeout: Duration.Duration | undefined) => {
    const waited = pool.withSession((session) =>
      Effect.gen(function* () {
        const final = yield* statusOn(session, queryId).pipe(
          Effect.repeat({
            schedule: Schedule.passthrough(PollSchedule.statusPolling) as Schedule.Schedule<
              QueryStatusInfo,
              QueryStatusInfo
            >,
            while: (info) => isStillRunning(info.status)
          })
        )
        if (final.status === "ABORTED" || final.status === "ABORTING") {
          return yield* new QueryCancelled({ message: `Query ${queryId} was cancelled`, queryId })
        }
        if (isError(final.status)) {
          return yield* Effect.fail(
            fromServerFailure({
              code: final.errorCode,
              message: final.errorMessage ?? `Query ${queryId} ended with status ${final.status}`,
              queryId
            })
          )
        }
        return yield* resultById(session, queryId)
      })
    )
    return Effect.flatMap(withClientTimeout(waited, timeout), (data) =>
      AnswerRows.collect(data, transport.fetchChunk, freshChunksOnAnySession(data))
    )
  }

  const cancel = (queryId: string) =>
    pool.withSession((session) =>
      session.request({ method: "POST", path: `/queries/${encodeURIComponent(queryId)}/abort-request` }).pipe(
        Effect.asVoid,
        // 000605: the statement is no longer running — already finished or already cancelled.
        Effect.catchIf(
          (error) => error.code === "000605",
          () => Effect.void
        )
      )
    )

  return { execute, executeMulti, stream, streamResult, submit, status, awaitResult, cancel }
}

/** Statements over the live service (Transport and pooled sessions). */
export const layer: Layer.Layer<Statements, never, SnowflakeConfig | Transport | SessionPool> = Layer.effect(
  Statements,
  make
)
