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
import { makeStageHooks } from "./stages/index.js"
import { startStorage } from "./storage/start.js"

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
  /** Where stage files live: "local" (LOCAL_FS), "gcs", "s3" or "azure". */
  readonly storage: "local" | "s3" | "gcs" | "azure"
  /** With storage "s3": the PEM of the certificate s3rver serves (self-signed), for clients to trust. */
  readonly storageCertificate: string | undefined
}

/** Starts an engine and the HTTP server on it; both stop when the scope closes. */
const start = (
  options: EmulatorOptions = {}
): Effect.Effect<EmulatorHandle, EmulatorStartError, Scope.Scope> =>
  Effect.gen(function* () {
    const kind = options.storage ?? "local"
    const started = yield* startStorage(kind, { stageDir: options.stageDir }).pipe(
      Effect.mapError(
        (cause) =>
          new EmulatorStartError({ message: `cannot start ${kind} storage: ${cause.message}`, cause })
      )
    )
    const engine = yield* makeEngine({
      ...(options.dbPath !== undefined ? { path: options.dbPath } : {}),
      hooks: makeStageHooks(started.storage)
    }).pipe(
      Effect.mapError(
        (cause) => new EmulatorStartError({ message: `cannot start the engine: ${cause.message}`, cause })
      )
    )
    const gcs = started.gcs
    const server = yield* makeServer(engine, options, gcs === undefined ? {} : { storage: gcs.handle })
    gcs?.setEndpoint(server.url)
    return { ...server, storage: kind, storageCertificate: started.certificate }
  }).pipe(Effect.withSpan("Emulator.start"))

export class Emulator extends Context.Tag("effect-snowflake/Emulator")<Emulator, EmulatorHandle>() {
  static readonly start = start
  static readonly layer = (options: EmulatorOptions = {}): Layer.Layer<Emulator, EmulatorStartError> =>
    Layer.scoped(Emulator, start(options))
}
