/**
 * An emulator (with the given stage storage) plus the client's Stages and Ingestion services
 * over it, scoped to the test.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { Emulator, type EmulatorOptions } from "../../src/emulator/index.js"
import * as Authenticator from "../../src/services/Authenticator.js"
import * as Client from "../../src/services/Client.js"
import * as CloudStorage from "../../src/services/CloudStorage.js"
import * as Ingestion from "../../src/services/Ingestion.js"
import * as SessionPool from "../../src/services/SessionPool.js"
import * as SnowflakeConfig from "../../src/services/SnowflakeConfig.js"
import type { SnowflakeOptions } from "../../src/services/SnowflakeOptions.js"
import * as Stages from "../../src/services/Stages.js"
import * as Statements from "../../src/services/Statements.js"
import * as Transport from "../../src/services/Transport.js"
import { clientOptions, emulatorOptions } from "../integration/support.js"

/** The services layer the way Snowflake.layer composes them, plus Stages and Ingestion. */
export const servicesLayer = (url: string, overrides: Partial<SnowflakeOptions> = {}) => {
  const node = Layer.merge(NodeHttpClient.layerUndici, NodeFileSystem.layer)
  const config = SnowflakeConfig.layer(clientOptions(url, overrides))
  const transport = Transport.layer
  const pool = SessionPool.layer.pipe(Layer.provide(Layer.merge(transport, Authenticator.layer)))
  const core = Layer.merge(pool, transport)
  const statements = Statements.layer.pipe(Layer.provide(core))
  const engine = Client.layer.pipe(Layer.provide(statements))
  const storage = CloudStorage.layerFromConfig
  const stages = Stages.layer.pipe(Layer.provideMerge(Layer.mergeAll(pool, engine, storage)))
  const ingestion = Ingestion.layer.pipe(Layer.provideMerge(stages))
  return ingestion.pipe(Layer.provideMerge(config), Layer.provide(node), Layer.provideMerge(node))
}

/** The S3 backend serves a self-signed certificate: the client trusts exactly that one. */
export const withStages = (storage: EmulatorOptions["storage"] = "local") =>
  Effect.gen(function* () {
    const emulator = yield* Emulator.start({ ...emulatorOptions, storage })
    const caCertificate = emulator.storageCertificate
    const context = yield* Layer.build(servicesLayer(emulator.url, { storage: { caCertificate } }))
    const stages = yield* Effect.provide(Stages.Stages, context)
    const ingestion = yield* Effect.provide(Ingestion.Ingestion, context)
    const sf = yield* Effect.provide(Client.Client, context)
    const pool = yield* Effect.provide(SessionPool.SessionPool, context)
    const cloud = yield* Effect.provide(CloudStorage.CloudStorage, context)
    return { emulator, stages, ingestion, sf, pool, cloud }
  })

/** A PUT source of text: a stream named `name`. */
export const textFile = (name: string, text: string) => ({
  name,
  stream: Stream.make(text).pipe(Stream.encodeText)
})
