/**
 * In replay, a recorded result that does not fit the row schema the program asks for is a
 * `SimulationTypeError`, not a `RowDecodeError`: the cassette, not the service, is what disagrees
 * with the program (typically the schema changed after recording).
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { SimulationTypeError } from "../errors/Simulation.js"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import type { ClientService } from "../services/Client.js"

const asTypeError = (error: SnowflakeError): SnowflakeError =>
  error._tag === "RowDecodeError"
    ? new SimulationTypeError({
        message: `The recorded result cannot be decoded with the requested row schema: ${error.message}`
      })
    : error

type AnyOptions = { readonly schema?: unknown } | undefined
type AnyCall<A> = (input: unknown, options?: AnyOptions) => Effect.Effect<A, SnowflakeError>

const wrapEffect =
  <A>(call: AnyCall<A>): AnyCall<A> =>
  (input, options) =>
    options?.schema === undefined ? call(input, options) : Effect.mapError(call(input, options), asTypeError)

/** The client with schema mismatches reported as SimulationTypeError. */
export const reportTypeErrors = (engine: ClientService): ClientService => {
  const stream = engine.stream as (
    input: unknown,
    options?: AnyOptions
  ) => Stream.Stream<unknown, SnowflakeError>
  return {
    ...engine,
    execute: wrapEffect(engine.execute as AnyCall<unknown>) as ClientService["execute"],
    awaitResult: wrapEffect(engine.awaitResult as AnyCall<unknown>) as ClientService["awaitResult"],
    stream: ((input: unknown, options?: AnyOptions) =>
      options?.schema === undefined
        ? stream(input, options)
        : Stream.mapError(stream(input, options), asTypeError)) as ClientService["stream"]
  }
}
