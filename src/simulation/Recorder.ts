/**
 * Recording: a `Statements` that runs everything on the live one and writes down each
 * interaction on the shared tape (Tape.ts) — its fingerprint and what came back, result or typed
 * error. A stream is written down when its scope closes, with the rows the program pulled and
 * whether it read to the end; it keeps the place it was opened at.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import * as RowBatch from "../protocol/decode/RowBatch.js"
import type { RawStream, StatementsService } from "../services/Statements.js"
import type * as Query from "../sql/Query.js"
import type * as Cassette from "./Cassette.js"
import { toRecorded, toRecordedError } from "./codec.js"
import * as Fingerprint from "./Fingerprint.js"
import type * as Tape from "./Tape.js"

/** The recording `Statements`, writing on `tape`. */
export const makeWith = (live: StatementsService, tape: Tape.Tape): StatementsService => {
  const { fill, reserve } = tape
  const sync =
    <A>(toResponse: (a: A) => Cassette.Response) =>
    (a: A) =>
      Effect.succeed(toResponse(a))
  const recorded = <A, E extends SnowflakeError>(
    request: Effect.Effect<Cassette.Request, E>,
    effect: Effect.Effect<A, SnowflakeError>,
    toResponse: (a: A) => Cassette.Response
  ): Effect.Effect<A, SnowflakeError> =>
    Effect.flatMap(request, (request) => tape.recorded(request, effect, sync(toResponse)))

  const statement = (operation: Cassette.Operation, query: Query.Query) =>
    Fingerprint.ofStatement(operation, query, tape.defaults)
  const byId = (operation: Cassette.Operation, queryId: string) =>
    Effect.succeed(Fingerprint.ofQueryId(operation, queryId))

  const stream = (query: Query.Query) => recordStream(statement("stream", query), live.stream(query))
  const streamResult = (queryId: string) =>
    recordStream(byId("streamResult", queryId), live.streamResult(queryId))

  const recordStream = <E extends SnowflakeError>(
    fingerprint: Effect.Effect<Cassette.Request, E>,
    open: Effect.Effect<RawStream, SnowflakeError, Scope.Scope>
  ) =>
    Effect.gen(function* () {
      const request = yield* fingerprint
      const slot = yield* reserve
      const opened = yield* open.pipe(
        Effect.tapError((error) => fill(slot, request, { error: toRecordedError(error) }))
      )
      const rows: Array<RowBatch.RawRows[number]> = []
      let complete = false
      let failure: SnowflakeError | undefined
      yield* Effect.addFinalizer(() =>
        fill(slot, request, {
          stream: { queryId: opened.queryId, rowtype: opened.rowtype, rows, complete },
          ...(failure !== undefined ? { error: toRecordedError(failure) } : {})
        })
      )
      return {
        ...opened,
        batches: opened.batches.pipe(
          Stream.map((batch) => {
            for (const row of RowBatch.toCells(batch)) rows.push(row)
            return batch
          }),
          Stream.tapError((error) =>
            Effect.sync(() => {
              failure = error
            })
          ),
          Stream.onEnd(
            Effect.sync(() => {
              complete = true
            })
          )
        )
      } satisfies RawStream
    })

  const statements: StatementsService = {
    execute: (query) =>
      recorded(statement("execute", query), live.execute(query), (raw) => ({ result: toRecorded(raw) })),
    executeMulti: (query) =>
      recorded(statement("executeMulti", query), live.executeMulti(query), (raws) => ({
        results: raws.map(toRecorded)
      })),
    stream,
    streamResult,
    submit: (query) =>
      recorded(statement("submit", query), live.submit(query), (handle) => ({
        handle: { queryId: handle.queryId }
      })),
    status: (queryId) =>
      recorded(byId("status", queryId), live.status(queryId), (info) => ({
        status: {
          queryId: info.queryId,
          status: info.status,
          ...(info.errorCode !== undefined ? { errorCode: info.errorCode } : {}),
          ...(info.errorMessage !== undefined ? { errorMessage: info.errorMessage } : {})
        }
      })),
    awaitResult: (queryId, timeout) =>
      recorded(byId("awaitResult", queryId), live.awaitResult(queryId, timeout), (raw) => ({
        result: toRecorded(raw)
      })),
    cancel: (queryId) => recorded(byId("cancel", queryId), live.cancel(queryId), () => ({}))
  }

  return statements
}
