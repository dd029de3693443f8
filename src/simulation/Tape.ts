/**
 * The recording side's one list of interactions, shared by every recorder (statements, stages,
 * ingestion) so the cassette keeps a single call order across services.
 *
 * Interactions are kept in the order the calls *started*: a slot is reserved before the call and
 * filled when it ends. A call interrupted before it ends leaves no interaction, and so does a
 * failure that is not a `SnowflakeError` (a program's own stream failing mid-PUT, say): replaying
 * the same program fails the same way before reaching the cassette.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { isSnowflakeError } from "../errors/SnowflakeError.js"
import * as Cassette from "./Cassette.js"
import { toRecordedError } from "./codec.js"

export interface Tape {
  /** The connection's default context: what a statement without overrides ran in. */
  readonly defaults: Cassette.RecordedContext
  readonly reserve: Effect.Effect<number>
  readonly fill: (slot: number, request: Cassette.Request, response: Cassette.Response) => Effect.Effect<void>
  /**
   * Runs `effect` and records its outcome under `request`: the response `toResponse` makes of a
   * success, or the typed error (cause dropped, URLs scrubbed, then `scrub` applied to the message).
   */
  readonly recorded: <A, E, R>(
    /**
     * The fingerprint, or an effect that makes it once `effect` has ended (a bulk insert's records
     * are digested as the live load reads them); if that effect fails, nothing is recorded.
     */
    request: Cassette.Request | Effect.Effect<Cassette.Request, unknown>,
    effect: Effect.Effect<A, E, R>,
    toResponse: (a: A) => Effect.Effect<Cassette.Response>,
    scrub?: (message: string) => string
  ) => Effect.Effect<A, E, R>
  /** The cassette as recorded so far (finished interactions only, in call order). */
  readonly cassette: Effect.Effect<Cassette.Cassette>
}

export const make = (defaults: Cassette.RecordedContext): Effect.Effect<Tape> =>
  Effect.sync(() => {
    const slots: Array<Cassette.Interaction | undefined> = []
    const reserve = Effect.sync(() => slots.push(undefined) - 1)
    const fill = (slot: number, request: Cassette.Request, response: Cassette.Response) =>
      Effect.sync(() => {
        slots[slot] = { request, response }
      })

    const recorded = <A, E, R>(
      request: Cassette.Request | Effect.Effect<Cassette.Request, unknown>,
      effect: Effect.Effect<A, E, R>,
      toResponse: (a: A) => Effect.Effect<Cassette.Response>,
      scrub: (message: string) => string = (message) => message
    ): Effect.Effect<A, E, R> => {
      const made = Effect.isEffect(request) ? request : Effect.succeed(request)
      const record = (slot: number, response: Effect.Effect<Cassette.Response>) =>
        Effect.ignore(Effect.flatMap(made, (req) => Effect.flatMap(response, (res) => fill(slot, req, res))))
      return Effect.flatMap(reserve, (slot) =>
        Effect.onExit(effect, (exit) =>
          Exit.match(exit, {
            onSuccess: (a) => record(slot, toResponse(a)),
            onFailure: (cause) =>
              Option.match(Cause.failureOption(cause), {
                onNone: () => Effect.void,
                onSome: (error) =>
                  isSnowflakeError(error)
                    ? record(slot, Effect.succeed({ error: toRecordedError(error, scrub) }))
                    : Effect.void
              })
          })
        )
      )
    }

    const cassette = Effect.sync(
      (): Cassette.Cassette => ({
        ...Cassette.empty(defaults),
        interactions: slots.filter((slot): slot is Cassette.Interaction => slot !== undefined)
      })
    )
    return { defaults, reserve, fill, recorded, cassette }
  })
