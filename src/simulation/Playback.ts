/**
 * The replay side's index of a cassette, shared by every replayer (statements, stages,
 * ingestion): each request is served the next unused interaction with its fingerprint, so
 * identical requests recorded several times replay in recorded order.
 *
 * A status question asked more often than recorded gets the last recorded answer again (a
 * finished query stays finished); any other request asked more often than recorded fails with
 * `SimulationNotRecorded`. A request not in the cassette fails with `SimulationMismatch` when a
 * recorded one resembles it (diff.ts), naming the closest and how it differs, else with
 * `SimulationNotRecorded`.
 */
import * as Effect from "effect/Effect"
import { SimulationMismatch, SimulationNotRecorded } from "../errors/Simulation.js"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import type * as Cassette from "./Cassette.js"
import * as Diff from "./diff.js"
import * as Fingerprint from "./Fingerprint.js"

const excerpt = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text)

/** A short human name for a request, for error messages. */
export const describeRequest = (request: Cassette.Request): string => {
  if (request.sql !== undefined) return `${request.operation} of "${excerpt(request.sql)}"`
  if (request.table !== undefined) return `${request.operation} into ${request.table}`
  if (request.stage !== undefined) return `${request.operation} of ${request.stage}`
  return `${request.operation} of query ${request.queryId ?? "?"}`
}

export interface Playback {
  readonly cassette: Cassette.Cassette
  /** Where the cassette came from, for messages. */
  readonly source: string
  /** The next recorded answer to `request`, with its position in the cassette. */
  readonly take: (
    request: Cassette.Request
  ) => Effect.Effect<{ readonly response: Cassette.Response; readonly index: number }, SnowflakeError>
  /** The recorded error, or the field `pick` selects (`what` names it when it is missing). */
  readonly answer: <A>(
    request: Cassette.Request,
    what: string,
    pick: (response: Cassette.Response) => A | undefined
  ) => Effect.Effect<A, SnowflakeError>
  /** The error for a recorded interaction that lacks what the request needs. */
  readonly unexpected: (index: number, what: string) => SimulationNotRecorded
}

export const make = (cassette: Cassette.Cassette, source: string): Effect.Effect<Playback> =>
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

    const answer = <A>(
      request: Cassette.Request,
      what: string,
      pick: (response: Cassette.Response) => A | undefined
    ): Effect.Effect<A, SnowflakeError> =>
      Effect.flatMap(take(request), ({ index, response }) => {
        if (response.error !== undefined) return Effect.fail(response.error)
        const value = pick(response)
        return value === undefined ? Effect.fail(unexpected(index, what)) : Effect.succeed(value)
      })

    return { cassette, source, take, answer, unexpected }
  })
