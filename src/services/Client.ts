/**
 * Statement execution, exposed as `Snowflake.Client`: execute, executeMulti, stream, and the async
 * trio submit / status / awaitResult plus cancel.
 *
 * This layer decorates `Statements` (which runs statements and answers with raw rowtype + cells)
 * with what the caller asked for: rows as objects or arrays, decode options, a row Schema
 * (rowDecoding.ts), plus a span and metrics per public call. Whether the statements run live or
 * from a simulation cassette is invisible here.
 */

import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { SnowflakeError } from "../errors/index.js"
import type { DecodeOptions } from "../protocol/decode/index.js"
import * as Query from "../sql/Query.js"
import { queriesTotal, queryDuration } from "../telemetry/metrics.js"
import { queryAttributes } from "../telemetry/spans.js"
import * as RowDecoding from "./rowDecoding.js"
import {
  type QueryHandle,
  type QueryStatusInfo,
  type RawStream,
  Statements,
  type StatementsService
} from "./Statements.js"

export type { QueryStats } from "../streams/answerRows.js"
export type { QueryResult, RowMode } from "./rowDecoding.js"
export type { QueryHandle, QueryStatusInfo } from "./Statements.js"

/** A statement: a `Query` value or plain SQL text. */
export type QueryInput = Query.Query | string

export interface ExecuteOptions {
  readonly rowMode?: RowDecoding.RowMode | undefined
  /** How values are decoded (numbers lossless by default, dates as Snowflake values, …). */
  readonly decode?: DecodeOptions | undefined
}

export interface SchemaOptions<A, I> extends ExecuteOptions {
  /** Decodes each row (as an object) with this schema; a mismatch fails with RowDecodeError. */
  readonly schema: Schema.Schema<A, I>
}

export type ObjectRow = Record<string, unknown>
export type ArrayRow = ReadonlyArray<unknown>

export interface AwaitOptions extends ExecuteOptions {
  /** Gives up with QueryTimeout after this long (the query keeps running on the server). */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * Cancel the query on the server when this wait is interrupted or times out. By default an
   * abandoned wait leaves the query running: it was submitted to run on its own.
   */
  readonly cancelOnInterrupt?: boolean | undefined
}

type Execute = {
  <A, I>(
    query: QueryInput,
    options: SchemaOptions<A, I>
  ): Effect.Effect<RowDecoding.QueryResult<A>, SnowflakeError>
  (
    query: QueryInput,
    options: ExecuteOptions & { readonly rowMode: "array" }
  ): Effect.Effect<RowDecoding.QueryResult<ArrayRow>, SnowflakeError>
  (
    query: QueryInput,
    options?: ExecuteOptions
  ): Effect.Effect<RowDecoding.QueryResult<ObjectRow>, SnowflakeError>
}

type ExecuteMulti = {
  (
    query: QueryInput,
    options: ExecuteOptions & { readonly rowMode: "array" }
  ): Effect.Effect<ReadonlyArray<RowDecoding.QueryResult<ArrayRow>>, SnowflakeError>
  (
    query: QueryInput,
    options?: ExecuteOptions
  ): Effect.Effect<ReadonlyArray<RowDecoding.QueryResult<ObjectRow>>, SnowflakeError>
}

type StreamRows = {
  <A, I>(query: QueryInput, options: SchemaOptions<A, I>): Stream.Stream<A, SnowflakeError>
  (
    query: QueryInput,
    options: ExecuteOptions & { readonly rowMode: "array" }
  ): Stream.Stream<ArrayRow, SnowflakeError>
  (query: QueryInput, options?: ExecuteOptions): Stream.Stream<ObjectRow, SnowflakeError>
}

type StreamResult = {
  <A, I>(
    queryIdOrHandle: string | QueryHandle,
    options: SchemaOptions<A, I>
  ): Stream.Stream<A, SnowflakeError>
  (
    queryIdOrHandle: string | QueryHandle,
    options: ExecuteOptions & { readonly rowMode: "array" }
  ): Stream.Stream<ArrayRow, SnowflakeError>
  (queryIdOrHandle: string | QueryHandle, options?: ExecuteOptions): Stream.Stream<ObjectRow, SnowflakeError>
}

type AwaitResult = {
  <A, I>(
    queryIdOrHandle: string | QueryHandle,
    options: AwaitOptions & SchemaOptions<A, I>
  ): Effect.Effect<RowDecoding.QueryResult<A>, SnowflakeError>
  (
    queryIdOrHandle: string | QueryHandle,
    options?: AwaitOptions
  ): Effect.Effect<RowDecoding.QueryResult<ObjectRow>, SnowflakeError>
}

export interface ClientService {
  readonly execute: Execute
  readonly executeMulti: ExecuteMulti
  readonly stream: StreamRows
  /** The rows of a submitted or finished query, streamed again by its id (as `stream` does). */
  readonly streamResult: StreamResult
  readonly submit: (query: QueryInput) => Effect.Effect<QueryHandle, SnowflakeError>
  readonly status: (queryId: string) => Effect.Effect<QueryStatusInfo, SnowflakeError>
  readonly awaitResult: AwaitResult
  readonly cancel: (queryId: string) => Effect.Effect<void, SnowflakeError>
}

export class Client extends Context.Tag("effect-snowflake/Client")<Client, ClientService>() {}

const toQuery = (input: QueryInput): Query.Query => (typeof input === "string" ? Query.make(input) : input)

export const make: Effect.Effect<ClientService, never, Statements> = Effect.map(Statements, (statements) =>
  makeWith(statements)
)

export const makeWith = (statements: StatementsService): ClientService => {
  /** Metrics around one public call. */
  const measured = <A>(effect: Effect.Effect<A, SnowflakeError>) =>
    Effect.gen(function* () {
      const start = yield* Clock.currentTimeMillis
      return yield* effect.pipe(
        Effect.onExit((exit) =>
          Effect.gen(function* () {
            const end = yield* Clock.currentTimeMillis
            const status = Exit.isSuccess(exit)
              ? "success"
              : Exit.isInterrupted(exit)
                ? "cancelled"
                : "failure"
            yield* Metric.increment(Metric.tagged(queriesTotal, "status", status))
            yield* Metric.update(queryDuration, end - start)
          })
        )
      )
    })

  const rowOptions = (
    options: Partial<SchemaOptions<unknown, unknown>> | undefined
  ): RowDecoding.RowOptions => ({
    rowMode: options?.rowMode,
    decode: options?.decode,
    schema: options?.schema
  })

  const execute = Effect.fn("Snowflake.execute")(function* (
    input: QueryInput,
    options?: Partial<SchemaOptions<unknown, unknown>>
  ) {
    const query = toQuery(input)
    yield* Effect.annotateCurrentSpan(queryAttributes("execute", query.sql))
    const raw = yield* statements.execute(query)
    return yield* RowDecoding.decodeResult(raw, rowOptions(options))
  }, measured)

  const executeMulti = Effect.fn("Snowflake.executeMulti")(function* (
    input: QueryInput,
    options?: ExecuteOptions
  ) {
    const query = toQuery(input)
    yield* Effect.annotateCurrentSpan(queryAttributes("executeMulti", query.sql))
    const raws = yield* statements.executeMulti(query)
    return yield* Effect.forEach(raws, (raw) => RowDecoding.decodeResult(raw, rowOptions(options)))
  }, measured)

  const decodeStream = (raw: RawStream, options: Partial<SchemaOptions<unknown, unknown>> | undefined) =>
    RowDecoding.decodeStream(raw.rowtype, raw.batches, rowOptions(options))

  const stream = (input: QueryInput, options?: Partial<SchemaOptions<unknown, unknown>>) => {
    const query = toQuery(input)
    return Stream.unwrapScoped(
      Effect.map(
        statements.stream(query),
        (raw): Stream.Stream<unknown, SnowflakeError> => decodeStream(raw, options)
      )
    ).pipe(Stream.withSpan("Snowflake.stream", { attributes: queryAttributes("stream", query.sql) }))
  }

  const streamResult = (
    queryIdOrHandle: string | QueryHandle,
    options?: Partial<SchemaOptions<unknown, unknown>>
  ) => {
    const queryId = typeof queryIdOrHandle === "string" ? queryIdOrHandle : queryIdOrHandle.queryId
    return Stream.unwrapScoped(
      Effect.map(
        statements.streamResult(queryId),
        (raw): Stream.Stream<unknown, SnowflakeError> => decodeStream(raw, options)
      )
    ).pipe(
      Stream.withSpan("Snowflake.streamResult", {
        attributes: { ...queryAttributes("streamResult"), "snowflake.query_id": queryId }
      })
    )
  }

  const submit = Effect.fn("Snowflake.submit")(function* (input: QueryInput) {
    const query = toQuery(input)
    yield* Effect.annotateCurrentSpan(queryAttributes("submit", query.sql))
    return yield* statements.submit(query)
  })

  const status = Effect.fn("Snowflake.status")(function* (queryId: string) {
    yield* Effect.annotateCurrentSpan(queryAttributes("status"))
    return yield* statements.status(queryId)
  })

  const awaitResult = Effect.fn("Snowflake.awaitResult")(function* (
    queryIdOrHandle: string | QueryHandle,
    options?: AwaitOptions & Partial<SchemaOptions<unknown, unknown>>
  ) {
    const queryId = typeof queryIdOrHandle === "string" ? queryIdOrHandle : queryIdOrHandle.queryId
    yield* Effect.annotateCurrentSpan(queryAttributes("awaitResult"))
    const timeout = options?.timeout === undefined ? undefined : Duration.decode(options.timeout)
    const waited = statements.awaitResult(queryId, timeout)
    const cancelQuery = Effect.ignore(statements.cancel(queryId))
    const raw = yield* options?.cancelOnInterrupt
      ? waited.pipe(
          Effect.onInterrupt(() => cancelQuery),
          Effect.tapErrorTag("QueryTimeout", () => cancelQuery)
        )
      : waited
    return yield* RowDecoding.decodeResult(raw, rowOptions(options))
  })

  const cancel = Effect.fn("Snowflake.cancel")(function* (queryId: string) {
    yield* Effect.annotateCurrentSpan(queryAttributes("cancel"))
    yield* statements.cancel(queryId)
  })

  return {
    execute: execute as Execute,
    executeMulti: executeMulti as ExecuteMulti,
    stream: stream as StreamRows,
    streamResult: streamResult as StreamResult,
    submit,
    status,
    awaitResult: awaitResult as AwaitResult,
    cancel
  }
}

/** The client over any `Statements`: live, recording or replaying. */
export const layer: Layer.Layer<Client, never, Statements> = Layer.effect(Client, make)
