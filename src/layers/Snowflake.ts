/**
 * The public face of the client: `Snowflake.Client` and the layers that build it.
 *
 * - `layer(options)` / `layerConfig(overrides?)`: batteries included for Node (HttpClient on
 *   undici, the Node FileSystem for key files).
 * - `layerWithoutNode(options)` / `layerConfigWithoutNode(overrides?)`: the same, needing an
 *   `HttpClient` and a `FileSystem` from the caller (other runtimes, tests).
 * - `layerSimulated({ mode, cassette })`: the same client recording to or replaying from a
 *   cassette (docs/simulation.md); `layerConfig` switches to it with SNOWFLAKE_SIMULATION_MODE.
 * - `layerCloudStorage`: `Snowflake.CloudStorage`, exports to and reads from object-store URLs.
 *
 * Closing the layer's scope logs every pooled session out.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { InvalidConfig, SnowflakeError } from "../errors/index.js"
import * as Authenticator from "../services/Authenticator.js"
import * as CloudStorageService from "../services/CloudStorage.js"
import * as IngestionService from "../services/Ingestion.js"
import * as QueryEngine from "../services/QueryEngine.js"
import * as SessionPool from "../services/SessionPool.js"
import * as SnowflakeConfig from "../services/SnowflakeConfig.js"
import type { SnowflakeOptions } from "../services/SnowflakeOptions.js"
import * as StageManager from "../services/StageManager.js"
import * as Statements from "../services/Statements.js"
import * as Transport from "../services/Transport.js"
import * as Simulation from "../simulation/layer.js"

export type { Column } from "../protocol/decode/index.js"
export type { RejectedRecord } from "../services/bulkRejects.js"
export type { CopyValidationError } from "../services/copyValidation.js"
export type {
  BulkInsertOptions,
  BulkInsertResult,
  CopyFileResult,
  CopyResult,
  ValidateOptions
} from "../services/Ingestion.js"
export type {
  ArrayRow,
  AwaitOptions,
  ExecuteOptions,
  ObjectRow,
  QueryHandle,
  QueryInput,
  QueryResult,
  QueryStats,
  QueryStatusInfo,
  RowMode,
  SchemaOptions
} from "../services/QueryEngine.js"
export type {
  AuthOptions,
  AuthType,
  PoolOptions,
  RetryOptions,
  SnowflakeOptions
} from "../services/SnowflakeOptions.js"

/** The client: `const sf = yield* Snowflake.Client`. */
export const Client = QueryEngine.QueryEngine
export type Client = QueryEngine.QueryEngineService

/** PUT / GET / LIST / REMOVE: `const stages = yield* Snowflake.Stages`. */
export const Stages = StageManager.StageManager
export type Stages = StageManager.StageManagerService

/** COPY INTO and bulk inserts: `const ingestion = yield* Snowflake.Ingestion`. */
export const Ingestion = IngestionService.Ingestion
export type Ingestion = IngestionService.IngestionService

/**
 * Object stores by URL — `s3://bucket/key`, `gs://…`, `azure://container/key`, `file://…` — for
 * writing exports (`Export.csv`, `Export.parquet`) or reading objects back, streamed, with the same
 * adapters PUT and GET use. Credentials are given per call (`UrlOptions`, secrets `Redacted`); no
 * default credential chain is consulted. Provided by `layerCloudStorage`, apart from the client:
 * the stores are yours, not Snowflake's, so a simulated client does not change them.
 */
export const CloudStorage = CloudStorageService.CloudStorage
export type CloudStorage = CloudStorageService.CloudStorageService
export type { UrlOptions as CloudStorageOptions } from "../services/CloudStorage.js"

/** What every layer below provides. */
export type Services = QueryEngine.QueryEngine | StageManager.StageManager | IngestionService.Ingestion

/** Stages and Ingestion beside a client; `stages` decides where PUT/GET sessions come from. */
const withIngestion = <E, R, E2, R2>(
  engine: Layer.Layer<QueryEngine.QueryEngine, E, R>,
  stages: Layer.Layer<StageManager.StageManager, E2, R2 | QueryEngine.QueryEngine>
): Layer.Layer<Services, E | E2, Exclude<R2, QueryEngine.QueryEngine> | R> => {
  const stagesLive = stages.pipe(Layer.provide(engine))
  const ingestion = IngestionService.layer.pipe(Layer.provide(Layer.merge(engine, stagesLive)))
  return Layer.mergeAll(engine, stagesLive, ingestion)
}

/** StageManager over a live session pool and the object stores. */
const liveStages = <E, R>(
  live: Layer.Layer<SessionPool.SessionPool | SnowflakeConfig.SnowflakeConfig, E, R>
) =>
  StageManager.layer.pipe(
    Layer.provide(Layer.merge(live, CloudStorageService.layerFromConfig.pipe(Layer.provide(live))))
  )

/** The statement layer over the live service, and the configuration it was built with. */
const liveStatements = <E, R>(
  config: Layer.Layer<SnowflakeConfig.SnowflakeConfig, E, R>
): Layer.Layer<
  Statements.Statements | SnowflakeConfig.SnowflakeConfig | SessionPool.SessionPool,
  E,
  R | HttpClient.HttpClient | FileSystem.FileSystem
> => {
  const transport = Transport.layer
  const auth = Authenticator.layer
  const pool = SessionPool.layer.pipe(Layer.provide(Layer.merge(transport, auth)))
  return Statements.layer.pipe(Layer.provideMerge(Layer.merge(pool, transport)), Layer.provideMerge(config))
}

/** Everything below the client, given its configuration layer. */
const fromConfig = <E, R>(
  config: Layer.Layer<SnowflakeConfig.SnowflakeConfig, E, R>
): Layer.Layer<Services, E | InvalidConfig, R | HttpClient.HttpClient | FileSystem.FileSystem> => {
  const live = liveStatements(config)
  return withIngestion(QueryEngine.layer.pipe(Layer.provide(live)), liveStages(live))
}

/**
 * Recording or replaying, given the configuration used when recording. The client, Stages and
 * Ingestion all record to (or replay from) the one cassette; the live Stages and Ingestion under a
 * recording run on the live client, so only the operations the program called are recorded.
 */
const simulated = <E, R>(
  mode: "record" | "replay",
  cassette: string,
  config: Layer.Layer<SnowflakeConfig.SnowflakeConfig, E, R>
): Layer.Layer<Services, E | SnowflakeError, R | HttpClient.HttpClient | FileSystem.FileSystem> => {
  if (mode === "replay") return Simulation.replayingServices(cassette)
  const live = liveStatements(config)
  const liveServices = withIngestion(QueryEngine.layer.pipe(Layer.provide(live)), liveStages(live))
  return Simulation.recordingServices(cassette).pipe(Layer.provide(Layer.merge(live, liveServices)))
}

/** `SNOWFLAKE_SIMULATION_MODE` decides between the live client and a simulated one. */
const fromConfigOrSimulated = (
  overrides: Partial<SnowflakeOptions> | undefined
): Layer.Layer<Services, SnowflakeError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  Layer.unwrapEffect(
    Effect.map(SnowflakeConfig.loadSimulation, (settings) =>
      settings.mode === "disabled"
        ? fromConfig(SnowflakeConfig.layerConfig(overrides))
        : simulated(settings.mode, settings.cassette, SnowflakeConfig.layerConfig(overrides))
    )
  )

const node = Layer.merge(NodeHttpClient.layerUndici, NodeFileSystem.layer)

/** The client for other runtimes: provide an `HttpClient` and a `FileSystem`. */
export const layerWithoutNode = (
  options: SnowflakeOptions
): Layer.Layer<Services, SnowflakeError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  fromConfig(SnowflakeConfig.layer(options))

/** `layerConfig` for other runtimes. */
export const layerConfigWithoutNode = (
  overrides?: Partial<SnowflakeOptions>
): Layer.Layer<Services, SnowflakeError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  fromConfigOrSimulated(overrides)

/** The client on Node, from explicit options. */
export const layer = (options: SnowflakeOptions): Layer.Layer<Services, SnowflakeError> =>
  layerWithoutNode(options).pipe(Layer.provide(node))

/**
 * The client on Node, with options read from `SNOWFLAKE_*` through the ConfigProvider (explicit
 * overrides win). A missing or malformed setting fails the layer with `InvalidConfig`.
 *
 * `SNOWFLAKE_SIMULATION_MODE=record|replay` with `SNOWFLAKE_SIMULATION_FILE=path` turns it into
 * `layerSimulated` (replay needs no other setting); `disabled`, the default, runs live.
 */
export const layerConfig = (overrides?: Partial<SnowflakeOptions>): Layer.Layer<Services, SnowflakeError> =>
  layerConfigWithoutNode(overrides).pipe(Layer.provide(node))

/** `Snowflake.CloudStorage` on Node. */
export const layerCloudStorage: Layer.Layer<CloudStorageService.CloudStorage> =
  CloudStorageService.layer.pipe(Layer.provide(node))

/** `Snowflake.CloudStorage` for other runtimes: provide an `HttpClient` and a `FileSystem`. */
export const layerCloudStorageWithoutNode = CloudStorageService.layer

export interface SimulationOptions {
  /** `record`: run live and write the cassette when the layer closes; `replay`: serve from it. */
  readonly mode: "record" | "replay"
  /** Path of the cassette (JSON). */
  readonly cassette: string
  /** Record only: the connection to record from; without it, `SNOWFLAKE_*` as in `layerConfig`. */
  readonly connection?: SnowflakeOptions | undefined
}

/**
 * The same `Snowflake.Client`, recording to or replaying from a cassette (docs/simulation.md).
 * Replay needs no account, no network and no configuration.
 */
export const layerSimulatedWithoutNode = (
  options: SimulationOptions
): Layer.Layer<Services, SnowflakeError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  simulated(
    options.mode,
    options.cassette,
    options.connection === undefined
      ? SnowflakeConfig.layerConfig()
      : SnowflakeConfig.layer(options.connection)
  )

/** `layerSimulatedWithoutNode` with the Node HttpClient and FileSystem. */
export const layerSimulated = (options: SimulationOptions): Layer.Layer<Services, SnowflakeError> =>
  layerSimulatedWithoutNode(options).pipe(Layer.provide(node))
