/**
 * Azure Blob Storage through `@azure/storage-blob` (~12.32; 12.33+ needs Node 22), loaded lazily.
 *
 * The service URL is `https://<account>.<endPoint>` (endPoint defaults to `blob.core.windows.net`)
 * unless `endPoint` is itself a URL, as for azurite (`http://127.0.0.1:PORT/devstoreaccount1`).
 * Authentication: a SAS token (the stage's `AZURE_SAS_TOKEN`) or an account key (tests, exports).
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { StageUploadError } from "../../errors/index.js"
import * as Metadata from "../../protocol/transfer/metadata.js"
import { isNotFound, storageError } from "./errors.js"
import { loadOptional } from "./optionalPackage.js"
import { AZURE_BLOCKS, partSize } from "./parts.js"
import type { StorageAdapter } from "./StorageAdapter.js"
import { fromNodeReadable, keepTyped, toReadable } from "./streams.js"

export interface AzureTarget {
  readonly container: string
  /** Blob name prefix, empty or ending in `/`. */
  readonly prefix: string
  readonly storageAccount?: string | undefined
  /** A full service URL, or a host suffix such as `blob.core.windows.net`. */
  readonly endpoint?: string | undefined
  readonly sasToken?: Redacted.Redacted<string> | undefined
  readonly accountKey?: Redacted.Redacted<string> | undefined
}

export const serviceUrl = (target: AzureTarget): string => {
  const endpoint = target.endpoint ?? "blob.core.windows.net"
  if (/^https?:\/\//i.test(endpoint)) return endpoint.replace(/\/+$/, "")
  return `https://${target.storageAccount ?? ""}.${endpoint}`
}

export const make = (target: AzureTarget) =>
  Effect.gen(function* () {
    const sdk = yield* loadOptional("@azure/storage-blob", () => import("@azure/storage-blob"))
    const base = serviceUrl(target)
    const service = yield* Effect.try({
      try: () => {
        if (target.accountKey !== undefined) {
          const credential = new sdk.StorageSharedKeyCredential(
            target.storageAccount ?? "",
            Redacted.value(target.accountKey)
          )
          return new sdk.BlobServiceClient(base, credential)
        }
        if (target.sasToken !== undefined) {
          const sas = Redacted.value(target.sasToken).replace(/^\?/, "")
          return new sdk.BlobServiceClient(`${base}?${sas}`)
        }
        return new sdk.BlobServiceClient(base, new sdk.AnonymousCredential())
      },
      catch: storageError("Azure client setup")
    })
    const container = service.getContainerClient(target.container)
    const blob = (key: string) => container.getBlockBlobClient(`${target.prefix}${key}`)

    const head: StorageAdapter["head"] = (key) =>
      Effect.tryPromise({ try: () => blob(key).getProperties(), catch: (cause) => cause }).pipe(
        Effect.map((props) =>
          Option.some({ size: props.contentLength ?? 0, metadata: Metadata.fromAzure(props.metadata ?? {}) })
        ),
        Effect.catchAll((cause) =>
          isNotFound(cause)
            ? Effect.succeed(Option.none())
            : Effect.fail(storageError(`Azure HEAD ${target.prefix}${key}`)(cause))
        )
      )

    const upload: StorageAdapter["upload"] = (key, body, options) =>
      Effect.gen(function* () {
        const readable = yield* toReadable(body)
        // Staged blocks (parts.ts): each block goes to the SDK as a buffer it can resend on retry.
        // uploadStream allocates up to maxConcurrency buffers of bufferSize, so memory is
        // blockSize × concurrency, not the file.
        const blockSize = partSize(AZURE_BLOCKS, options.size)
        yield* Effect.tryPromise({
          try: (signal) =>
            blob(key).uploadStream(readable, blockSize, options.concurrency ?? 4, {
              metadata: Metadata.toAzure(options.metadata),
              abortSignal: signal
            }),
          catch: keepTyped(`Azure upload of ${target.prefix}${key}`)
        }).pipe(Effect.ensuring(Effect.sync(() => readable.destroy())))
      })

    const download: StorageAdapter["download"] = (key) =>
      Effect.gen(function* () {
        const controller = new AbortController()
        yield* Effect.addFinalizer(() => Effect.sync(() => controller.abort()))
        const response = yield* Effect.tryPromise({
          try: () => blob(key).download(0, undefined, { abortSignal: controller.signal }),
          catch: storageError(`Azure GET ${target.prefix}${key}`)
        })
        const raw = response.readableStreamBody as AsyncIterable<Uint8Array> | undefined
        if (raw === undefined) {
          return yield* new StageUploadError({ message: `Azure GET ${target.prefix}${key} returned no body` })
        }
        return {
          info: { size: response.contentLength ?? 0, metadata: Metadata.fromAzure(response.metadata ?? {}) },
          body: fromNodeReadable(raw, `Azure GET ${target.prefix}${key}`)
        }
      })

    return { head, upload, download } satisfies StorageAdapter
  })
