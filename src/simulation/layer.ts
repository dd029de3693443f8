/**
 * The simulation as backends (services/Backend.ts), the one piece `layers/Snowflake.ts` swaps:
 *
 * - `recording(path, config, live)` runs everything on the live backend and writes one cassette,
 *   in call order across statements, stage transfers and loads, when the scope closes (once,
 *   atomically; a write failure is logged, the program's outcome stands);
 * - `replaying(path)` reads the cassette and needs nothing else but a FileSystem (for PUT's local
 *   files and GET's downloads) — no HttpClient, no configuration, no account.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { InvalidConfig } from "../errors/Config.js"
import type { SimulationNotRecorded } from "../errors/Simulation.js"
import type { Backend } from "../services/Backend.js"
import type { ResolvedConfig } from "../services/SnowflakeConfig.js"
import type * as Cassette from "./Cassette.js"
import * as CassetteFile from "./CassetteFile.js"
import * as IngestionRecorder from "./IngestionRecorder.js"
import * as IngestionReplayer from "./IngestionReplayer.js"
import * as Playback from "./Playback.js"
import * as Recorder from "./Recorder.js"
import * as Replayer from "./Replayer.js"
import * as Tape from "./Tape.js"

/** A tape for the configured connection, written to `path` when the scope closes. */
const tapeFor = (path: string, config: ResolvedConfig) =>
  Effect.gen(function* () {
    const defaults: Cassette.RecordedContext = {
      ...(config.warehouse !== undefined ? { warehouse: config.warehouse } : {}),
      ...(config.role !== undefined ? { role: config.role } : {}),
      ...(config.database !== undefined ? { database: config.database } : {}),
      ...(config.schema !== undefined ? { schema: config.schema } : {})
    }
    const tape = yield* Tape.make(defaults)
    const context = yield* Effect.context<FileSystem.FileSystem>()
    yield* Effect.addFinalizer(() =>
      Effect.flatMap(tape.cassette, (cassette) => CassetteFile.write(path, cassette)).pipe(
        Effect.provide(context),
        Effect.catchAll((error) =>
          Effect.logError(`effect-snowflake: could not write the cassette ${path}`).pipe(
            Effect.annotateLogs({ error: String(error) })
          )
        )
      )
    )
    return tape
  })

/**
 * The live backend, recording to one cassette. Its stage transfers and loads run on the live
 * statements, unrecorded: a replay answers the whole operation, so they would never be asked for.
 */
export const recording = (
  path: string,
  config: ResolvedConfig,
  live: Backend
): Effect.Effect<Backend, never, Scope.Scope | FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const tape = yield* tapeFor(path, config)
    const recorded = IngestionRecorder.make(tape, live.stages, live.loads, yield* FileSystem.FileSystem)
    return { statements: Recorder.makeWith(live.statements, tape), ...recorded, replayed: false }
  })

/** A backend replaying one cassette. */
export const replaying = (
  path: string
): Effect.Effect<Backend, InvalidConfig | SimulationNotRecorded, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const playback = yield* Effect.flatMap(CassetteFile.read(path), (cassette) =>
      Playback.make(cassette, path)
    )
    const replayed = IngestionReplayer.make(playback, yield* FileSystem.FileSystem)
    return { statements: Replayer.makeWith(playback), ...replayed, replayed: true }
  })
