/**
 * S3 through `@aws-sdk/client-s3` (+ `@aws-sdk/lib-storage` for multipart), loaded lazily.
 *
 * The client always gets explicit credentials and, when given, an explicit endpoint with
 * path-style addressing (S3 emulators, S3-compatible stores): it never falls back to the default
 * credential chain, which would probe instance-metadata addresses. Checksums are only computed
 * when S3 requires them, so streamed bodies of unknown length go up as plain parts.
 */
import { Agent } from "node:https"
import { createSecureContext, rootCertificates } from "node:tls"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { StageUploadError } from "../../errors/index.js"
import * as Metadata from "../../protocol/transfer/metadata.js"
import { isNotFound, storageError } from "./errors.js"
import { loadOptional } from "./optionalPackage.js"
import { partSize, S3_PARTS } from "./parts.js"
import type { StorageAdapter } from "./StorageAdapter.js"
import { fromNodeReadable, keepTyped, toReadable } from "./streams.js"

export interface S3Target {
  readonly bucket: string
  /** Key prefix, empty or ending in `/`. */
  readonly prefix: string
  readonly region?: string | undefined
  /** `https://host:port` (a bare host gets `https://`, as the drivers do). */
  readonly endpoint?: string | undefined
  readonly accessKeyId: Redacted.Redacted<string>
  readonly secretAccessKey: Redacted.Redacted<string>
  readonly sessionToken?: Redacted.Redacted<string> | undefined
  /** Extra PEM CA certificate(s) trusted for this client's HTTPS connections (besides Node's). */
  readonly caCertificate?: string | undefined
}

/**
 * An https agent trusting `ca` in addition to Node's built-in roots (`ca` alone would replace
 * them). Scoped to this S3 client: nothing global changes and verification stays on. The roots go
 * in through one secure context rather than the agent's `ca` option, which the agent would
 * stringify into its connection-pool key on every request (~1 ms each, ~200 ms of a 200 MB PUT).
 */
const trusting = (ca: string) =>
  new Agent({ secureContext: createSecureContext({ ca: [...rootCertificates, ca] }), keepAlive: true })

const withScheme = (endpoint: string) => (/^https?:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`)

/** Opens an S3 adapter; the SDK client is destroyed with the scope. */
export const make = (target: S3Target) =>
  Effect.gen(function* () {
    const sdk = yield* loadOptional("@aws-sdk/client-s3", () => import("@aws-sdk/client-s3"))
    const storage = yield* loadOptional("@aws-sdk/lib-storage", () => import("@aws-sdk/lib-storage"))
    const client = yield* Effect.acquireRelease(
      Effect.sync(
        () =>
          new sdk.S3Client({
            region: target.region ?? "us-east-1",
            ...(target.endpoint === undefined
              ? {}
              : { endpoint: withScheme(target.endpoint), forcePathStyle: true }),
            credentials: {
              accessKeyId: Redacted.value(target.accessKeyId),
              secretAccessKey: Redacted.value(target.secretAccessKey),
              ...(target.sessionToken === undefined
                ? {}
                : { sessionToken: Redacted.value(target.sessionToken) })
            },
            requestChecksumCalculation: "WHEN_REQUIRED",
            responseChecksumValidation: "WHEN_REQUIRED",
            maxAttempts: 3,
            ...(target.caCertificate === undefined
              ? {}
              : { requestHandler: { httpsAgent: trusting(target.caCertificate) } })
          })
      ),
      (client) => Effect.sync(() => client.destroy())
    )
    const Key = (key: string) => `${target.prefix}${key}`

    const head: StorageAdapter["head"] = (key) =>
      Effect.tryPromise({
        try: (signal) =>
          client.send(new sdk.HeadObjectCommand({ Bucket: target.bucket, Key: Key(key) }), {
            abortSignal: signal
          }),
        catch: (cause) => cause
      }).pipe(
        Effect.map((out) =>
          Option.some({ size: out.ContentLength ?? 0, metadata: Metadata.fromS3(out.Metadata ?? {}) })
        ),
        Effect.catchAll((cause) =>
          isNotFound(cause)
            ? Effect.succeed(Option.none())
            : Effect.fail(storageError(`S3 HEAD ${Key(key)}`)(cause))
        )
      )

    const upload: StorageAdapter["upload"] = (key, body, options) =>
      Effect.gen(function* () {
        const readable = yield* toReadable(body)
        const what = `S3 upload of ${Key(key)}`
        const params = {
          Bucket: target.bucket,
          Key: Key(key),
          Body: readable,
          Metadata: Metadata.toS3(options.metadata),
          ...(options.size === undefined ? {} : { ContentLength: options.size })
        }
        const upload = new storage.Upload({
          client,
          params,
          // an object that fits in one part is one buffered PutObject (Upload decides)
          partSize: partSize(S3_PARTS, options.size),
          queueSize: Math.max(1, options.concurrency ?? 4),
          leavePartsOnError: false
        })
        yield* Effect.tryPromise({
          try: () => upload.done(),
          catch: keepTyped(what)
        }).pipe(
          Effect.onInterrupt(() => Effect.promise(() => upload.abort().catch(() => undefined))),
          Effect.ensuring(Effect.sync(() => readable.destroy()))
        )
      })

    const download: StorageAdapter["download"] = (key) =>
      Effect.gen(function* () {
        const out = yield* Effect.tryPromise({
          try: () => client.send(new sdk.GetObjectCommand({ Bucket: target.bucket, Key: Key(key) })),
          catch: storageError(`S3 GET ${Key(key)}`)
        })
        const raw = out.Body as unknown as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined
        if (raw === undefined) {
          return yield* new StageUploadError({ message: `S3 GET ${Key(key)} returned no body` })
        }
        yield* Effect.addFinalizer(() => Effect.sync(() => raw.destroy?.()))
        return {
          info: { size: out.ContentLength ?? 0, metadata: Metadata.fromS3(out.Metadata ?? {}) },
          body: fromNodeReadable(raw, `S3 GET ${Key(key)}`)
        }
      })

    return { head, upload, download } satisfies StorageAdapter
  })
