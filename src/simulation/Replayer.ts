/**
 * Replaying: a `Statements` that answers from a cassette, with no network and no waiting.
 *
 * Each request is fingerprinted exactly as when recording and served the next unused interaction
 * with that fingerprint, so identical requests recorded several times replay in recorded order. A
 * status question asked more often than recorded gets the last recorded answer again (a finished
 * query stays finished); any other request asked more often than recorded fails with
 * `SimulationNotRecorded`. A request not in the cassette fails with `SimulationMismatch` when a
 * recorded one resembles it (diff.ts), naming the closest and how it differs, else with
 * `SimulationNotRecorded`.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { SimulationMismatch, SimulationNotRecorded } from "../errors/Simulation.js"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import type { RawResult } from "../services/ResultSet.js"
import type { RawStream, StatementsService } from "../services/Statements.js"
import type * as Query from "../sql/Query.js"
import type * as Cassette from "./Cassette.js"
import { fromRecorded } from "./codec.js"
import * as Diff from "./diff.js"
import * as Fingerprint from "./Fingerprint.js"

const excerpt = (sql: string) => (sql.length > 80 ? `${sql.slice(0, 77)}...` : sql)

/** A short human name for a request, for error messages. */
export const describeRequest = (request: Cassette.Request): string =>
  request.sql !== undefined
    ? `${request.operation} of "${excerpt(request.sql)}"`
    : `${request.operation} of query ${request.queryId ?? "?"}`

export const make = (cassette: Cassette.Cassette, source: string): Effect.Effect<StatementsService> =>
  Effect.sync(() => {
    const interactions = cassette.interactions
    const requests = interactions.map((i) => i.request)
    const queues = new Map<string, { readonly indices: Array<number>; next: number }>()
    interactions.forEach((interaction, index) => {
      const key = Fingerprint.key(interaction.request)
      const queue = queues.get(key)
      if (queue === undefined) queues.set(key, { indices: [index], next: 0 })
      else queue.indices.push(index)
    })

    /** The next recorded answer to `request`, with its position in the cassette. */
    const take = (request: Cassette.Request) =>
      Effect.suspend(
        (): Effect.Effect<
          { readonly response: Cassette.Response; readonly index: number },
          SnowflakeError
        > => {
          const queue = queues.get(Fingerprint.key(request))
          if (queue !== undefined) {
            const recorded = queue.indices.length
            if (queue.next < recorded) {
              const index = queue.indices[queue.next++]!
              return Effect.succeed({ response: interactions[index]!.response, index })
            }
            if (request.operation === "status") {
              const index = queue.indices[recorded - 1]!
              return Effect.succeed({ response: interactions[index]!.response, index })
            }
            return Effect.fail(
              new SimulationNotRecorded({
                message: `${describeRequest(request)} was recorded ${recorded} time(s) in ${source}; the program asked again (call ${recorded + 1}). Re-record the cassette.`
              })
            )
          }
          const miss = Diff.closest(request, requests)
          if (miss !== undefined) {
            return Effect.fail(
              new SimulationMismatch({
                message: `${describeRequest(request)} does not match any recording in ${source}; ${Diff.describe(miss)}`
              })
            )
          }
          return Effect.fail(
            new SimulationNotRecorded({
              message: `${describeRequest(request)} is not in ${source} (${interactions.length} interactions). Record it with mode "record".`
            })
          )
        }
      )

    const unexpected = (index: number, what: string) =>
      new SimulationNotRecorded({ message: `Interaction #${index + 1} in ${source} holds no ${what}` })

    /** The recorded error, or the field `pick` selects. */
    const answer = <A>(
      request: Effect.Effect<Cassette.Request, SnowflakeError>,
      what: string,
      pick: (response: Cassette.Response) => A | undefined
    ): Effect.Effect<A, SnowflakeError> =>
      Effect.flatMap(request, take).pipe(
        Effect.flatMap(({ index, response }) => {
          if (response.error !== undefined) return Effect.fail(response.error)
          const value = pick(response)
          return value === undefined ? Effect.fail(unexpected(index, what)) : Effect.succeed(value)
        })
      )

    const statement = (operation: Cassette.Operation, query: Query.Query) =>
      Fingerprint.ofStatement(operation, query, cassette.context)
    const byId = (operation: Cassette.Operation, queryId: string) =>
      Effect.succeed(Fingerprint.ofQueryId(operation, queryId))
    const result = (response: Cassette.Response): RawResult | undefined =>
      response.result && fromRecorded(response.result)

    const stream = (query: Query.Query) =>
      Effect.flatMap(statement("stream", query), take).pipe(
        Effect.flatMap(({ index, response }): Effect.Effect<RawStream, SnowflakeError> => {
          const recorded = response.stream
          if (recorded === undefined) return Effect.fail(response.error ?? unexpected(index, "stream"))
          const ending: Stream.Stream<never, SnowflakeError> = recorded.complete
            ? Stream.empty
            : Stream.fail(
                response.error ??
                  new SimulationNotRecorded({
                    message: `Interaction #${index + 1} in ${source} recorded only the first ${recorded.rows.length} rows of this stream; the program read further. Re-record reading the whole stream.`
                  })
              )
          return Effect.succeed({
            queryId: recorded.queryId,
            rowtype: recorded.rowtype,
            rows: Stream.concat(Stream.fromIterable(recorded.rows), ending)
          })
        })
      )

    return {
      execute: (query) => answer(statement("execute", query), "result", result),
      executeMulti: (query) =>
        answer(statement("executeMulti", query), "results", (r) => r.results?.map(fromRecorded)),
      stream,
      submit: (query) => answer(statement("submit", query), "query handle", (r) => r.handle),
      status: (queryId) =>
        answer(byId("status", queryId), "status", (r) =>
          r.status === undefined
            ? undefined
            : {
                queryId: r.status.queryId,
                status: r.status.status,
                errorCode: r.status.errorCode,
                errorMessage: r.status.errorMessage
              }
        ),
      // The recorded outcome is final: no polling, no waiting, so the timeout has nothing to bound.
      awaitResult: (queryId) => answer(byId("awaitResult", queryId), "result", result),
      cancel: (queryId) => answer(byId("cancel", queryId), "cancel answer", () => true).pipe(Effect.asVoid)
    }
  })
