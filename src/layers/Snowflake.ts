/**
 * The public face of the client: `Snowflake.Client` and the layers that build it.
 *
 * - `layer(options)` / `layerConfig(overrides?)`: batteries included for Node (HttpClient on
 *   undici, the Node FileSystem for key files).
 * - `layerWithoutNode(options)` / `layerConfigWithoutNode(overrides?)`: the same, needing an
 *   `HttpClient` and a `FileSystem` from the caller (other runtimes, tests).
 *
 * Closing the layer's scope logs every pooled session out.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Layer from "effect/Layer"
import type { SnowflakeError } from "../errors/index.js"
import * as Authenticator from "../services/Authenticator.js"
import * as QueryEngine from "../services/QueryEngine.js"
import * as SessionPool from "../services/SessionPool.js"
import * as SnowflakeConfig from "../services/SnowflakeConfig.js"
import type { SnowflakeOptions } from "../services/SnowflakeOptions.js"
import * as Statements from "../services/Statements.js"
import * as Transport from "../services/Transport.js"

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

/** Everything below the client, given its configuration layer. */
const fromConfig = <E, R>(
  config: Layer.Layer<SnowflakeConfig.SnowflakeConfig, E, R>
): Layer.Layer<QueryEngine.QueryEngine, E, R | HttpClient.HttpClient | FileSystem.FileSystem> => {
  const transport = Transport.layer
  const auth = Authenticator.layer
  const pool = SessionPool.layer.pipe(Layer.provide(Layer.merge(transport, auth)))
  const statements = Statements.layer.pipe(Layer.provide(Layer.merge(pool, transport)))
  return QueryEngine.layer.pipe(Layer.provide(statements), Layer.provide(config))
}

const node = Layer.merge(NodeHttpClient.layerUndici, NodeFileSystem.layer)

/** The client for other runtimes: provide an `HttpClient` and a `FileSystem`. */
export const layerWithoutNode = (
  options: SnowflakeOptions
): Layer.Layer<QueryEngine.QueryEngine, SnowflakeError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  fromConfig(SnowflakeConfig.layer(options))

/** `layerConfig` for other runtimes. */
export const layerConfigWithoutNode = (
  overrides?: Partial<SnowflakeOptions>
): Layer.Layer<QueryEngine.QueryEngine, SnowflakeError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  fromConfig(SnowflakeConfig.layerConfig(overrides))

/** The client on Node, from explicit options. */
export const layer = (options: SnowflakeOptions): Layer.Layer<QueryEngine.QueryEngine, SnowflakeError> =>
  layerWithoutNode(options).pipe(Layer.provide(node))

/**
 * The client on Node, with options read from `SNOWFLAKE_*` through the ConfigProvider (explicit
 * overrides win). A missing or malformed setting fails the layer with `InvalidConfig`.
 */
export const layerConfig = (
  overrides?: Partial<SnowflakeOptions>
): Layer.Layer<QueryEngine.QueryEngine, SnowflakeError> =>
  layerConfigWithoutNode(overrides).pipe(Layer.provide(node))
