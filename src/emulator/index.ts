/**
 * effect-snowflake/emulator — a local Snowflake that speaks the drivers' wire protocol
 * (login-request, query-request, chunks, monitoring, abort, renewal) on DuckDB.
 *
 * ```ts
 * const emulator = yield* Emulator.start({ port: 0 })
 * // snowflake-sdk: { accessUrl: emulator.url, account: "emulator", username: "u", password: "p" }
 * ```
 */
import { Context, Effect, Layer, type Scope } from "effect"
import { make as makeEngine } from "./engine/index.js"
import type { Faults } from "./server/faults.js"
import type { EmulatorOptions } from "./server/options.js"
import type { QueryHistoryEntry } from "./server/queries.js"
import { EmulatorStartError, makeServer } from "./server/server.js"

export type { FaultKind, FaultRoute, FaultRule, Faults } from "./server/faults.js"
export type { EmulatorOptions, EmulatorUser } from "./server/options.js"
export type { QueryHistoryEntry, QueryStatus } from "./server/queries.js"
export { EmulatorStartError } from "./server/server.js"

export interface EmulatorHandle {
  /** `http://127.0.0.1:PORT` — pass it as the driver's `accessUrl`. */
  readonly url: string
  readonly port: number
  /** Fault injection for tests (also reachable over HTTP at `/__emulator/faults`). */
  readonly faults: Faults
  /** Every query run so far, with user, session, warehouse, tag, status, times and rows. */
  readonly history: () => ReadonlyArray<QueryHistoryEntry>
}

/** Starts an engine and the HTTP server on it; both stop when the scope closes. */
const start = (
  options: EmulatorOptions = {}
): Effect.Effect<EmulatorHandle, EmulatorStartError, Scope.Scope> =>
  Effect.gen(function* () {
    const engine = yield* makeEngine(options.dbPath !== undefined ? { path: options.dbPath } : {}).pipe(
      Effect.mapError(
        (cause) => new EmulatorStartError({ message: `cannot start the engine: ${cause.message}`, cause })
      )
    )
    return yield* makeServer(engine, options)
  }).pipe(Effect.withSpan("Emulator.start"))

export class Emulator extends Context.Tag("effect-snowflake/Emulator")<Emulator, EmulatorHandle>() {
  static readonly start = start
  static readonly layer = (options: EmulatorOptions = {}): Layer.Layer<Emulator, EmulatorStartError> =>
    Layer.scoped(Emulator, start(options))
}
