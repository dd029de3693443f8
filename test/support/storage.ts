/**
 * Real object-store emulators for tests, each started on a free port on 127.0.0.1 and stopped
 * with the test's scope: s3rver (in process) and azurite's blob service (a child process, with
 * telemetry off).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { launchAzurite } from "../../src/emulator/storage/azureStorage.js"

const tempDir = (name: string) =>
  Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), `${name}-`))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

export interface S3Request {
  readonly method: string
  /** Path and query, e.g. `/bucket/key?partNumber=2&uploadId=…`. */
  readonly url: string
  /** The request's Content-Length, when it has one. */
  readonly length: number | undefined
}

export interface S3Emulator {
  readonly endpoint: string
  readonly accessKeyId: Redacted.Redacted<string>
  readonly secretAccessKey: Redacted.Redacted<string>
  /** Every request s3rver has received so far (to see how objects went up: one PUT or parts). */
  readonly requests: ReadonlyArray<S3Request>
}

/** s3rver with the given buckets; any credentials are accepted (it checks signatures with S3RVER keys). */
export const startS3rver = (buckets: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const directory = yield* tempDir("s3rver")
    const { default: S3rver } = yield* Effect.promise(() => import("s3rver"))
    const server = new S3rver({
      port: 0,
      address: "127.0.0.1",
      silent: true,
      directory,
      configureBuckets: buckets.map((name) => ({ name }))
    })
    const requests: Array<S3Request> = []
    // Koa middleware (s3rver is a Koa app, its typings do not say so), composed when it starts listening.
    ;(server as unknown as { middleware: Array<unknown> }).middleware.unshift(
      async (
        ctx: { method: string; url: string; get: (header: string) => string },
        next: () => Promise<void>
      ) => {
        const length = ctx.get("content-length")
        requests.push({
          method: ctx.method,
          url: ctx.url,
          length: length === "" ? undefined : Number(length)
        })
        await next()
      }
    )
    const address = yield* Effect.acquireRelease(
      Effect.promise(() => server.run() as Promise<{ port: number }>),
      () => Effect.promise(() => server.close())
    )
    return {
      endpoint: `http://127.0.0.1:${address.port}`,
      accessKeyId: Redacted.make("S3RVER"),
      secretAccessKey: Redacted.make("S3RVER"),
      requests
    } satisfies S3Emulator
  })

export interface AzureEmulator {
  /** Service URL including the account: `http://127.0.0.1:PORT/devstoreaccount1`. */
  readonly endpoint: string
  readonly storageAccount: string
  readonly accountKey: Redacted.Redacted<string>
}

/** azurite's blob service (the emulator's own launcher), in a temporary directory, with telemetry off. */
export const startAzurite = Effect.gen(function* () {
  const directory = yield* tempDir("azurite")
  const { port, account, accountKey } = yield* Effect.orDie(launchAzurite(directory))
  return {
    endpoint: `http://127.0.0.1:${port}/${account}`,
    storageAccount: account,
    accountKey: Redacted.make(accountKey)
  } satisfies AzureEmulator
})
