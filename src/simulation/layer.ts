/**
 * The simulation as layers:
 *
 * - `recordingServices(path)` wraps the live client, `Stages` and `Ingestion` and writes one
 *   cassette, in call order across all three, when the layer's scope closes (once, atomically; a
 *   write failure is logged, the program's outcome stands);
 * - `replayingServices(path)` reads the cassette when built and needs nothing else but a
 *   FileSystem (for PUT's local files and GET's downloads) — no HttpClient, no configuration, no
 *   account;
 * - `recording` / `replaying` (and the `…Client` layers over them) do the same for `Statements`
 *   alone.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { InvalidConfig } from "../errors/Config.js"
import type { SimulationNotRecorded } from "../errors/Simulation.js"
import { Ingestion } from "../services/Ingestion.js"
import * as QueryEngine from "../services/QueryEngine.js"
import { SnowflakeConfig } from "../services/SnowflakeConfig.js"
import { StageManager } from "../services/StageManager.js"
import { Statements } from "../services/Statements.js"
import type * as Cassette from "./Cassette.js"
import * as CassetteFile from "./CassetteFile.js"
import * as IngestionRecorder from "./IngestionRecorder.js"
import * as IngestionReplayer from "./IngestionReplayer.js"
import * as Playback from "./Playback.js"
import * as Recorder from "./Recorder.js"
import * as Replayer from "./Replayer.js"
import * as Tape from "./Tape.js"
import { reportTypeErrors } from "./typeErrors.js"

/** What the simulated layers provide: the client, Stages and Ingestion. */
export type Services = QueryEngine.QueryEngine | StageManager | Ingestion

/** The three public services as one context (recording or replaying ones). */
const servicesContext = (
  engine: Context.Tag.Service<QueryEngine.QueryEngine>,
  ingestion: {
    readonly stages: Context.Tag.Service<StageManager>
    readonly ingestion: Context.Tag.Service<Ingestion>
  }
): Context.Context<Services> =>
  Context.make(QueryEngine.QueryEngine, engine).pipe(
    Context.add(StageManager, ingestion.stages),
    Context.add(Ingestion, ingestion.ingestion)
  )

/** A tape for the configured connection, written to `path` when the scope closes. */
const tapeFor = (path: string) =>
  Effect.gen(function* () {
    const config = yield* SnowflakeConfig
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

export const recording = (
  path: string
): Layer.Layer<Statements, never, Statements | SnowflakeConfig | FileSystem.FileSystem> =>
  Layer.scoped(
    Statements,
    Effect.gen(function* () {
      const live = yield* Statements
      return Recorder.makeWith(live, yield* tapeFor(path))
    })
  )

/**
 * The client, Stages and Ingestion recording to one cassette. The live `Stages` and `Ingestion`
 * it wraps must run on a client that is *not* recording: their inner statements are not asked for
 * on replay, which answers the whole operation.
 */
export const recordingServices = (
  path: string
): Layer.Layer<
  Services,
  never,
  Statements | StageManager | Ingestion | SnowflakeConfig | FileSystem.FileSystem
> =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const tape = yield* tapeFor(path)
      const engine = QueryEngine.makeWith(Recorder.makeWith(yield* Statements, tape))
      const recorded = IngestionRecorder.make(
        tape,
        yield* StageManager,
        yield* Ingestion,
        yield* FileSystem.FileSystem,
        engine
      )
      return servicesContext(engine, recorded)
    })
  )

/** The client, Stages and Ingestion replaying one cassette. */
export const replayingServices = (
  path: string
): Layer.Layer<Services, InvalidConfig | SimulationNotRecorded, FileSystem.FileSystem> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const playback = yield* Effect.flatMap(CassetteFile.read(path), (cassette) =>
        Playback.make(cassette, path)
      )
      const engine = reportTypeErrors(QueryEngine.makeWith(Replayer.makeWith(playback)))
      const replayed = IngestionReplayer.make(playback, yield* FileSystem.FileSystem, engine)
      return servicesContext(engine, replayed)
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
