/**
 * The public face of the client: `Snowflake.Client` and the layers that build it.
 *
 * - `layer(options)` / `layerConfig(overrides?)`: batteries included for Node (HttpClient on
 *   undici, the Node FileSystem for key files).
 * - `layerWithoutPlatform(options)` / `layerConfigWithoutPlatform(overrides?)`: the same, needing an
 *   `HttpClient` and a `FileSystem` from the caller (a custom agent, a test server). Still Node
 *   only: the client signs keys and encrypts stage files with node:crypto, inflates result chunks
 *   with node:zlib and streams files with node:fs (test/repository/nodeRuntime.test.ts).
 * - `layerSimulated({ mode, cassette })`: the same client recording to or replaying from a
 *   cassette (docs/simulation.md); `layerConfig` switches to it with SNOWFLAKE_SIMULATION_MODE.
 * - `layerCloudStorage`: `Snowflake.CloudStorage`, exports to and reads from object-store URLs.
 *
 * Closing the layer's scope logs every pooled session out.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type { InvalidConfig, SnowflakeError } from "../errors/index.js"
import * as Authenticator from "../services/Authenticator.js"
import type { Backend } from "../services/Backend.js"
import * as ClientService from "../services/Client.js"
import * as CloudStorageService from "../services/CloudStorage.js"
import * as IngestionService from "../services/Ingestion.js"
import * as SessionPool from "../services/SessionPool.js"
import * as SnowflakeConfig from "../services/SnowflakeConfig.js"
import type { SnowflakeOptions } from "../services/SnowflakeOptions.js"
import * as StagesService from "../services/Stages.js"
import * as Statements from "../services/Statements.js"
import * as Transport from "../services/Transport.js"
import * as Simulation from "../simulation/layer.js"
import { reportTypeErrors } from "../simulation/typeErrors.js"

export type { Column } from "../protocol/decode/index.js"
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
} from "../services/Client.js"
export type {
  BulkInsertOptions,
  BulkInsertResult,
  CopyFileResult,
  CopyResult,
  ValidateOptions
} from "../services/Ingestion.js"
export type { RejectedRecord } from "../services/ingestion/bulkRejects.js"
export type { CopyValidationError } from "../services/ingestion/copyValidation.js"
export type {
  AuthOptions,
  AuthType,
  PoolOptions,
  RetryOptions,
  SnowflakeOptions
} from "../services/SnowflakeOptions.js"

/** The client: `const sf = yield* Snowflake.Client`. */
export const Client = ClientService.Client
export type Client = ClientService.ClientService

/** PUT / GET / LIST / REMOVE: `const stages = yield* Snowflake.Stages`. */
export const Stages = StagesService.Stages
export type Stages = StagesService.StagesService

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
export type Services = ClientService.Client | StagesService.Stages | IngestionService.Ingestion

/** The configuration, resolved: from explicit options, or from `SNOWFLAKE_*` with overrides. */
type LoadConfig = Effect.Effect<SnowflakeConfig.ResolvedConfig, InvalidConfig>
const fromOptions = (options: SnowflakeOptions): LoadConfig => SnowflakeConfig.resolve(options)
const fromEnvironment = (overrides?: Partial<SnowflakeOptions>): LoadConfig =>
  Effect.flatMap(SnowflakeConfig.loadOptions(overrides), SnowflakeConfig.resolve)

/**
 * The live backend, built in order: config → transport → auth → pool → statements, and the stage
 * transfers and loads over them. Closing the scope logs every pooled session out.
 */
const live = (
  config: SnowflakeConfig.ResolvedConfig
): Effect.Effect<Backend, InvalidConfig, Scope.Scope | HttpClient.HttpClient | FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const fs = yield* FileSystem.FileSystem
    const transport = Transport.makeWith(config, http)
    const authenticator = Authenticator.makeWith(config, fs, Authenticator.signWithPem)
    const pool = yield* SessionPool.makeWith({ config, transport, authenticator })
    const statements = Statements.makeWith(config, transport, pool)
    // Stage transfers and loads run on the live statements, whatever the public client is.
    const client = ClientService.makeWith(statements)
    const storage = yield* CloudStorageService.makeFromConfig(config, http, fs)
    const stages = StagesService.makeLive(pool, client, storage, fs)
    const loads = IngestionService.makeLoads(client, StagesService.traced(stages))
    return { statements, stages, loads, replayed: false }
  })

/** The public services over a backend, with their spans: the same live, recording or replaying. */
const services = (backend: Backend): Context.Context<Services> => {
  const client = ClientService.makeWith(backend.statements)
  const engine = backend.replayed ? reportTypeErrors(client) : client
  const ingestion = IngestionService.traced({ ...IngestionService.makeChecks(engine), ...backend.loads })
  return Context.make(ClientService.Client, engine).pipe(
    Context.add(StagesService.Stages, StagesService.traced(backend.stages)),
    Context.add(IngestionService.Ingestion, ingestion)
  )
}

/** The client as a layer, given how its backend is made (live, recording or replaying). */
const make = <E, R>(
  backend: Effect.Effect<Backend, E, R>
): Layer.Layer<Services, E, Exclude<R, Scope.Scope>> => Layer.scopedContext(Effect.map(backend, services))

/** Recording or replaying: the backend is the one piece that changes. */
const simulated = (mode: "record" | "replay", cassette: string, config: LoadConfig) =>
  make(
    mode === "replay"
      ? Simulation.replaying(cassette)
      : Effect.gen(function* () {
          const resolved = yield* config
          return yield* Simulation.recording(cassette, resolved, yield* live(resolved))
        })
  )

/** `SNOWFLAKE_SIMULATION_MODE` decides between the live client and a simulated one. */
const fromConfigOrSimulated = (
  overrides: Partial<SnowflakeOptions> | undefined
): Layer.Layer<Services, SnowflakeError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  Layer.unwrapEffect(
    Effect.map(SnowflakeConfig.loadSimulation, (settings) =>
      settings.mode === "disabled"
        ? make(Effect.flatMap(fromEnvironment(overrides), live))
        : simulated(settings.mode, settings.cassette, fromEnvironment(overrides))
    )
  )

const node = Layer.merge(NodeHttpClient.layerUndici, NodeFileSystem.layer)

/** The client on Node with the `HttpClient` and `FileSystem` of your choice. */
export const layerWithoutPlatform = (
  options: SnowflakeOptions
): Layer.Layer<Services, SnowflakeError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  make(Effect.flatMap(fromOptions(options), live))

/** `layerConfig` with the `HttpClient` and `FileSystem` of your choice. */
export const layerConfigWithoutPlatform = (
  overrides?: Partial<SnowflakeOptions>
): Layer.Layer<Services, SnowflakeError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  fromConfigOrSimulated(overrides)

/** The client on Node, from explicit options. */
export const layer = (options: SnowflakeOptions): Layer.Layer<Services, SnowflakeError> =>
  layerWithoutPlatform(options).pipe(Layer.provide(node))

/**
 * The client on Node, with options read from `SNOWFLAKE_*` through the ConfigProvider (explicit
 * overrides win). A missing or malformed setting fails the layer with `InvalidConfig`.
 *
 * `SNOWFLAKE_SIMULATION_MODE=record|replay` with `SNOWFLAKE_SIMULATION_FILE=path` turns it into
 * `layerSimulated` (replay needs no other setting); `disabled`, the default, runs live.
 */
export const layerConfig = (overrides?: Partial<SnowflakeOptions>): Layer.Layer<Services, SnowflakeError> =>
  layerConfigWithoutPlatform(overrides).pipe(Layer.provide(node))

/** `Snowflake.CloudStorage` on Node. */
export const layerCloudStorage: Layer.Layer<CloudStorageService.CloudStorage> =
  CloudStorageService.layer.pipe(Layer.provide(node))

/** `Snowflake.CloudStorage` with the `HttpClient` and `FileSystem` of your choice. */
export const layerCloudStorageWithoutPlatform = CloudStorageService.layer

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
export const layerSimulatedWithoutPlatform = (
  options: SimulationOptions
): Layer.Layer<Services, SnowflakeError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  simulated(
    options.mode,
    options.cassette,
    options.connection === undefined ? fromEnvironment() : fromOptions(options.connection)
  )

/** `layerSimulatedWithoutPlatform` with the Node HttpClient and FileSystem. */
export const layerSimulated = (options: SimulationOptions): Layer.Layer<Services, SnowflakeError> =>
  layerSimulatedWithoutPlatform(options).pipe(Layer.provide(node))
