/**
 * The simulation as layers of `Statements` and of the client built on it:
 *
 * - `recording(path)` wraps the live `Statements` and writes the cassette when the layer's scope
 *   closes (once, atomically; a write failure is logged, the program's outcome stands);
 * - `replaying(path)` reads the cassette when built and needs nothing else — no HttpClient, no
 *   configuration, no account.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { InvalidConfig } from "../errors/Config.js"
import type { SimulationNotRecorded } from "../errors/Simulation.js"
import * as QueryEngine from "../services/QueryEngine.js"
import { SnowflakeConfig } from "../services/SnowflakeConfig.js"
import { Statements } from "../services/Statements.js"
import * as CassetteFile from "./CassetteFile.js"
import * as Recorder from "./Recorder.js"
import * as Replayer from "./Replayer.js"
import { reportTypeErrors } from "./typeErrors.js"

export const recording = (
  path: string
): Layer.Layer<Statements, never, Statements | SnowflakeConfig | FileSystem.FileSystem> =>
  Layer.scoped(
    Statements,
    Effect.gen(function* () {
      const live = yield* Statements
      const config = yield* SnowflakeConfig
      const defaults = {
        ...(config.warehouse !== undefined ? { warehouse: config.warehouse } : {}),
        ...(config.role !== undefined ? { role: config.role } : {}),
        ...(config.database !== undefined ? { database: config.database } : {}),
        ...(config.schema !== undefined ? { schema: config.schema } : {})
      }
      const recorder = yield* Recorder.make(live, defaults)
      const context = yield* Effect.context<FileSystem.FileSystem>()
      yield* Effect.addFinalizer(() =>
        Effect.flatMap(recorder.cassette, (cassette) => CassetteFile.write(path, cassette)).pipe(
          Effect.provide(context),
          Effect.catchAll((error) =>
            Effect.logError(`effect-snowflake: could not write the cassette ${path}`).pipe(
              Effect.annotateLogs({ error: String(error) })
            )
          )
        )
      )
      return recorder.statements
    })
  )

export const replaying = (
  path: string
): Layer.Layer<Statements, InvalidConfig | SimulationNotRecorded, FileSystem.FileSystem> =>
  Layer.effect(
    Statements,
    Effect.flatMap(CassetteFile.read(path), (cassette) => Replayer.make(cassette, path))
  )

/** The client over a replaying `Statements`, with row-schema mismatches as SimulationTypeError. */
export const replayingClient = (
  path: string
): Layer.Layer<QueryEngine.QueryEngine, InvalidConfig | SimulationNotRecorded, FileSystem.FileSystem> =>
  Layer.effect(QueryEngine.QueryEngine, Effect.map(QueryEngine.make, reportTypeErrors)).pipe(
    Layer.provide(replaying(path))
  )

/** The client over a recording `Statements`. */
export const recordingClient = (
  path: string
): Layer.Layer<QueryEngine.QueryEngine, never, Statements | SnowflakeConfig | FileSystem.FileSystem> =>
  QueryEngine.layer.pipe(Layer.provide(recording(path)))
