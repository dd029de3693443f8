/**
 * An emulator (with the given stage storage) plus the client's Stages and Ingestion services
 * over it, scoped to the test.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Emulator, type EmulatorOptions } from "../../src/emulator/index.js"
import * as Authenticator from "../../src/services/Authenticator.js"
import * as CloudStorage from "../../src/services/CloudStorage.js"
import * as Ingestion from "../../src/services/Ingestion.js"
import * as QueryEngine from "../../src/services/QueryEngine.js"
import * as SessionPool from "../../src/services/SessionPool.js"
import * as SnowflakeConfig from "../../src/services/SnowflakeConfig.js"
import * as StageManager from "../../src/services/StageManager.js"
import * as Statements from "../../src/services/Statements.js"
import * as Transport from "../../src/services/Transport.js"
import { clientOptions, emulatorOptions } from "../integration/support.js"

/** The services layer the way Snowflake.layer composes them, plus Stages and Ingestion. */
export const servicesLayer = (url: string) => {
  const node = Layer.merge(NodeHttpClient.layerUndici, NodeFileSystem.layer)
  const config = SnowflakeConfig.layer(clientOptions(url))
  const transport = Transport.layer
  const pool = SessionPool.layer.pipe(Layer.provide(Layer.merge(transport, Authenticator.layer)))
  const core = Layer.merge(pool, transport)
  const statements = Statements.layer.pipe(Layer.provide(core))
  const engine = QueryEngine.layer.pipe(Layer.provide(statements))
  const storage = CloudStorage.layer
  const stages = StageManager.layer.pipe(Layer.provideMerge(Layer.mergeAll(pool, engine, storage)))
  const ingestion = Ingestion.layer.pipe(Layer.provideMerge(stages))
  return ingestion.pipe(Layer.provide(config), Layer.provide(node), Layer.provideMerge(node))
}

export const withStages = (storage: EmulatorOptions["storage"] = "local") =>
  Effect.gen(function* () {
    const emulator = yield* Emulator.start({ ...emulatorOptions, storage })
    const context = yield* Layer.build(servicesLayer(emulator.url))
    const stages = yield* Effect.provide(StageManager.StageManager, context)
    const ingestion = yield* Effect.provide(Ingestion.Ingestion, context)
    const sf = yield* Effect.provide(QueryEngine.QueryEngine, context)
    return { emulator, stages, ingestion, sf }
  })
