/**
 * The only module that talks to object stores. It opens an adapter for a stage (by its
 * `locationType`: S3, AZURE, GCS, LOCAL_FS) or for a URL (`s3://`, `gs://`, `azure://`,
 * `file://`), and writes or reads whole objects as streams.
 *
 * The S3 and Azure SDKs are optional peers loaded on first use; GCS goes over the shared
 * HttpClient (see storage/gcs.ts for why); local stages use the FileSystem.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { InvalidConfig, StageUploadError } from "../errors/index.js"
import { type StageInfo, splitLocation } from "../protocol/transfer/stageInfo.js"
import { type ResolvedConfig, SnowflakeConfig } from "./SnowflakeConfig.js"
import * as Azure from "./storage/azure.js"
import * as Gcs from "./storage/gcs.js"
import * as Local from "./storage/local.js"
import type { StorageAdapter, UploadOptions } from "./storage/StorageAdapter.js"
import * as S3 from "./storage/s3.js"
import { withSourceFailure } from "./storage/streams.js"

export type { StorageAdapter } from "./storage/StorageAdapter.js"

/** Where and how to reach the store behind a URL. Secrets stay redacted. */
export interface UrlOptions {
  readonly s3?: {
    readonly region?: string | undefined
    readonly endpoint?: string | undefined
    readonly accessKeyId: Redacted.Redacted<string>
    readonly secretAccessKey: Redacted.Redacted<string>
    readonly sessionToken?: Redacted.Redacted<string> | undefined
  }
  readonly gcs?: {
    readonly endpoint?: string | undefined
    readonly accessToken?: Redacted.Redacted<string> | undefined
  }
  readonly azure?: {
    /** A full service URL (azurite) or a host suffix; defaults from the URL's host. */
    readonly endpoint?: string | undefined
    readonly storageAccount?: string | undefined
    readonly sasToken?: Redacted.Redacted<string> | undefined
    readonly accountKey?: Redacted.Redacted<string> | undefined
  }
  /** Upload parallelism for one object (parts in flight). */
  readonly concurrency?: number | undefined
}

export interface CloudStorageService {
  /** An adapter for the stage a PUT/GET answer described; closed with the scope. */
  readonly forStage: (stage: StageInfo) => Effect.Effect<StorageAdapter, StageUploadError, Scope.Scope>
  /** Writes a byte stream (a CSV or Parquet export, say) to `s3://`, `gs://`, `azure://` or `file://`. */
  readonly writeUrl: <E>(
    url: string,
    body: Stream.Stream<Uint8Array, E>,
    options?: UrlOptions
  ) => Effect.Effect<void, StageUploadError | E>
  /** Reads an object back as a stream. */
  readonly readUrl: (url: string, options?: UrlOptions) => Stream.Stream<Uint8Array, StageUploadError>
}

export class CloudStorage extends Context.Tag("effect-snowflake/CloudStorage")<
  CloudStorage,
  CloudStorageService
>() {}

const missing = (what: string) => new StageUploadError({ message: `The stage answer carries no ${what}` })

/** A parsed object URL: the adapter to open and the key inside it. */
interface ParsedUrl {
  readonly open: Effect.Effect<StorageAdapter, StageUploadError, Scope.Scope>
  readonly key: string
}

/** Settings every adapter of this service shares (from `SnowflakeOptions.storage`). */
export interface StorageSettings {
  /** Extra PEM CA certificate(s) for HTTPS stores reached through the S3 SDK. */
  readonly caCertificate?: string | undefined
}

export const makeWith = (
  http: HttpClient.HttpClient,
  fs: FileSystem.FileSystem,
  settings: StorageSettings = {}
): CloudStorageService => {
  const { caCertificate } = settings
  const forStage = (stage: StageInfo): Effect.Effect<StorageAdapter, StageUploadError, Scope.Scope> => {
    const { bucket, prefix } = splitLocation(stage.location)
    const creds = stage.creds
    switch (stage.locationType) {
      case "LOCAL_FS":
        return Effect.succeed(Local.make({ directory: stage.location }, fs))
      case "GCS":
        return Effect.succeed(
          Gcs.make(
            { bucket, prefix, endpoint: stage.endPoint ?? undefined, accessToken: creds.GCS_ACCESS_TOKEN },
            http
          )
        )
      case "S3": {
        const accessKeyId = creds.AWS_KEY_ID ?? creds.AWS_ID
        const secretAccessKey = creds.AWS_SECRET_KEY ?? creds.AWS_KEY
        if (accessKeyId === undefined || secretAccessKey === undefined)
          return Effect.fail(missing("AWS credentials"))
        return S3.make({
          bucket,
          prefix,
          region: stage.region ?? undefined,
          endpoint: stage.endPoint ?? undefined,
          accessKeyId,
          secretAccessKey,
          sessionToken: creds.AWS_TOKEN,
          caCertificate
        })
      }
      case "AZURE":
        return Azure.make({
          container: bucket,
          prefix,
          storageAccount: stage.storageAccount ?? undefined,
          endpoint: stage.endPoint ?? undefined,
          sasToken: creds.AZURE_SAS_TOKEN
        })
    }
  }

  const parseUrl = (url: string, options: UrlOptions): Effect.Effect<ParsedUrl, StageUploadError> =>
    Effect.gen(function* () {
      const match = /^([a-z0-9]+):\/\/([^/]*)\/?(.*)$/i.exec(url)
      if (match === null) return yield* new StageUploadError({ message: `Not an object URL: ${url}` })
      const scheme = match[1]!.toLowerCase()
      const host = match[2]!
      const path = match[3]!
      switch (scheme) {
        case "s3": {
          if (options.s3 === undefined) {
            return yield* new StageUploadError({ message: "Writing to s3:// needs options.s3 credentials" })
          }
          return { open: S3.make({ bucket: host, prefix: "", caCertificate, ...options.s3 }), key: path }
        }
        case "gs":
        case "gcs":
          return {
            open: Effect.succeed(Gcs.make({ bucket: host, prefix: "", ...options.gcs }, http)),
            key: path
          }
        case "azure": {
          // azure://<account>.blob.core.windows.net/<container>/<blob> or azure://<container>/<blob>
          const dot = host.indexOf(".")
          const [container, key] =
            dot < 0 ? [host, path] : [path.split("/")[0] ?? "", path.split("/").slice(1).join("/")]
          const storageAccount = options.azure?.storageAccount ?? (dot < 0 ? undefined : host.slice(0, dot))
          const endpoint = options.azure?.endpoint ?? (dot < 0 ? undefined : host.slice(dot + 1))
          return {
            open: Azure.make({ ...options.azure, container, prefix: "", storageAccount, endpoint }),
            key
          }
        }
        case "file":
          return {
            open: Effect.succeed(Local.make({ directory: host === "" ? "/" : `/${host}` }, fs)),
            key: path
          }
        default:
          return yield* new StageUploadError({ message: `Unsupported object URL scheme ${scheme}://` })
      }
    })

  const writeUrl = <E>(url: string, body: Stream.Stream<Uint8Array, E>, options: UrlOptions = {}) =>
    Effect.scoped(
      Effect.gen(function* () {
        const target = yield* parseUrl(url, options)
        const adapter = yield* target.open
        const upload: UploadOptions = { metadata: {}, concurrency: options.concurrency }
        yield* withSourceFailure(body, (bytes) => adapter.upload(target.key, bytes, upload))
      })
    ).pipe(Effect.withSpan("CloudStorage.writeUrl", { attributes: { scheme: url.split(":")[0] } }))

  const readUrl = (url: string, options: UrlOptions = {}) =>
    Stream.unwrapScoped(
      Effect.gen(function* () {
        const target = yield* parseUrl(url, options)
        const adapter = yield* target.open
        const { body } = yield* adapter.download(target.key)
        return body
      })
    )

  return { forStage, writeUrl, readUrl }
}

export const make: Effect.Effect<CloudStorageService, never, HttpClient.HttpClient | FileSystem.FileSystem> =
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const fs = yield* FileSystem.FileSystem
    return makeWith(http, fs)
  })

export const layer: Layer.Layer<CloudStorage, never, HttpClient.HttpClient | FileSystem.FileSystem> =
  Layer.effect(CloudStorage, make)

/** The service with the client's `storage` settings (what `Snowflake.layer` uses). */
export const makeFromConfig = (
  config: ResolvedConfig,
  http: HttpClient.HttpClient,
  fs: FileSystem.FileSystem
): Effect.Effect<CloudStorageService, InvalidConfig> =>
  Effect.gen(function* () {
    const { storage } = config
    const path = storage.caCertificatePath
    const caCertificate =
      storage.caCertificate ??
      (path === undefined
        ? undefined
        : yield* fs.readFileString(path).pipe(
            Effect.mapError(
              (cause) =>
                new InvalidConfig({
                  message: `storage.caCertificatePath (SNOWFLAKE_STORAGE_CA_CERTIFICATE_PATH): cannot read ${path}`,
                  cause
                })
            )
          ))
    return makeWith(http, fs, { caCertificate })
  })

/** `makeFromConfig` as a layer. */
export const layerFromConfig: Layer.Layer<
  CloudStorage,
  InvalidConfig,
  HttpClient.HttpClient | FileSystem.FileSystem | SnowflakeConfig
> = Layer.effect(
  CloudStorage,
  Effect.gen(function* () {
    return yield* makeFromConfig(
      yield* SnowflakeConfig,
      yield* HttpClient.HttpClient,
      yield* FileSystem.FileSystem
    )
  })
)
