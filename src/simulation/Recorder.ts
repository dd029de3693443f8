/**
 * Recording: a `Statements` that runs everything on the live one and writes down each
 * interaction — its fingerprint and what came back, result or typed error.
 *
 * Interactions are kept in the order the calls *started* (a slot is reserved before the call and
 * filled when it ends), so a sequential program records in program order and a stream that is read
 * while other statements run keeps its place. A call that is interrupted before it ends leaves no
 * interaction. A stream is written down when its scope closes, with the rows the program pulled
 * and whether it read to the end.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import type { RawRow, RawStream, StatementsService } from "../services/Statements.js"
import type * as Query from "../sql/Query.js"
import * as Cassette from "./Cassette.js"
import { toRecorded, toRecordedError } from "./codec.js"
import * as Fingerprint from "./Fingerprint.js"

export interface Recorder {
  readonly statements: StatementsService
  /** The cassette as recorded so far (finished interactions only, in call order). */
  readonly cassette: Effect.Effect<Cassette.Cassette>
}

export const make = (live: StatementsService, defaults: Cassette.RecordedContext): Effect.Effect<Recorder> =>
  Effect.sync(() => {
    const slots: Array<Cassette.Interaction | undefined> = []
    const reserve = Effect.sync(() => slots.push(undefined) - 1)
    const fill = (slot: number, request: Cassette.Request, response: Cassette.Response) =>
      Effect.sync(() => {
        slots[slot] = { request, response }
      })

    /** Runs `effect` and records its outcome under `request`. */
    const recorded = <A, E extends SnowflakeError>(
      request: Effect.Effect<Cassette.Request, E>,
      effect: Effect.Effect<A, SnowflakeError>,
      toResponse: (a: A) => Cassette.Response
    ): Effect.Effect<A, SnowflakeError> =>
      Effect.flatMap(request, (request) =>
        Effect.flatMap(reserve, (slot) =>
          Effect.onExit(effect, (exit) =>
            Exit.match(exit, {
              onSuccess: (a) => fill(slot, request, toResponse(a)),
              onFailure: (cause) =>
                Option.match(Cause.failureOption(cause), {
                  onNone: () => Effect.void,
                  onSome: (error) => fill(slot, request, { error: toRecordedError(error) })
                })
            })
          )
        )
      )

    const statement = (operation: Cassette.Operation, query: Query.Query) =>
      Fingerprint.ofStatement(operation, query, defaults)
    const byId = (operation: Cassette.Operation, queryId: string) =>
      Effect.succeed(Fingerprint.ofQueryId(operation, queryId))

    const stream = (query: Query.Query) =>
      Effect.gen(function* () {
        const request = yield* statement("stream", query)
        const slot = yield* reserve
        const opened = yield* live
          .stream(query)
          .pipe(Effect.tapError((error) => fill(slot, request, { error: toRecordedError(error) })))
        const rows: Array<RawRow> = []
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
          rows: opened.rows.pipe(
            Stream.mapChunks((chunk) => {
              for (const row of chunk) rows.push(row)
              return chunk
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

    const cassette = Effect.sync(
      (): Cassette.Cassette => ({
        ...Cassette.empty(defaults),
        interactions: slots.filter((slot): slot is Cassette.Interaction => slot !== undefined)
      })
    )
    return { statements, cassette }
  })
