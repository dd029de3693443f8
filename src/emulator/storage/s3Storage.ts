/**
 * S3 stages on an s3rver the emulator runs in process, over TLS: snowflake-sdk always puts
 * `https://` in front of an S3 `endPoint` (§9.3), so s3rver gets a self-signed certificate for
 * 127.0.0.1 (made with the `openssl` command; its PEM is written next to the data as
 * `s3rver-cert.pem` and returned as `certificate`, for clients to trust). The emulator itself
 * reads the objects through s3rver's own store, so it needs no S3 client and no signatures.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import type { Readable } from "node:stream"
import { promisify } from "node:util"
import { Effect, type Scope } from "effect"
import { awsChunkedMiddleware } from "./awsChunked.js"
import { baseStageInfo, type StageStorage, StorageError, type StoredObject } from "./storage.js"

export const S3_BUCKET = "sfc-emulator-stages"
/** s3rver checks request signatures against these fixed keys. */
const S3RVER_KEY = "S3RVER"

interface S3rverObject {
  readonly key: string
  readonly content: Readable | null
  readonly metadata: Record<string, string>
}

interface S3rverStore {
  listObjects(
    bucket: string,
    options: { prefix: string }
  ): Promise<{ objects: ReadonlyArray<{ key: string; metadata: Record<string, string> }> }>
  getObject(bucket: string, key: string): Promise<S3rverObject | null>
  deleteObject(bucket: string, key: string): Promise<void>
}

interface S3rverInstance {
  readonly store: S3rverStore
  /** Koa's middleware list (s3rver extends Koa); composed when the server starts listening. */
  readonly middleware: Array<unknown>
  run(): Promise<{ port: number }>
  close(): Promise<void>
}

type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance

const attempt = <A>(what: string, run: () => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (cause) => new StorageError({ message: `${what}: ${String(cause)}`, cause })
  })

/** A self-signed certificate for 127.0.0.1 / localhost, made by openssl. */
const selfSigned = (dir: string) =>
  attempt("cannot make a certificate with openssl", async () => {
    const key = nodePath.join(dir, "s3rver-key.pem")
    const cert = nodePath.join(dir, "s3rver-cert.pem")
    await promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "30",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost"
    ])
    return { key: await fs.readFile(key, "utf8"), cert: await fs.readFile(cert, "utf8") }
  })

const readAll = (stream: Readable) =>
  new Promise<Buffer>((resolve, reject) => {
    const parts: Array<Buffer> = []
    stream.on("data", (p: Buffer) => parts.push(p))
    stream.on("end", () => resolve(Buffer.concat(parts)))
    stream.on("error", reject)
  })

const META = "x-amz-meta-"

export interface S3Storage extends StageStorage {
  /** PEM of the certificate s3rver serves; clients must trust it. */
  readonly certificate: string
  readonly endpoint: string
}

export const startS3Storage = (dir: string): Effect.Effect<S3Storage, StorageError, Scope.Scope> =>
  Effect.gen(function* () {
    const tls = yield* selfSigned(dir)
    // a variable module name: s3rver is an optional dependency without types of its own
    const moduleName = "s3rver"
    const { default: S3rver } = (yield* attempt(
      "s3rver is not installed (npm install -D s3rver)",
      () => import(moduleName)
    )) as { default: S3rverConstructor }
    const server = new S3rver({
      port: 0,
      address: "127.0.0.1",
      silent: true,
      directory: nodePath.join(dir, "s3rver"),
      key: tls.key,
      cert: tls.cert,
      configureBuckets: [{ name: S3_BUCKET }]
    })
    // first in line: today's AWS SDKs stream bodies aws-chunked, which s3rver would store verbatim
    server.middleware.unshift(awsChunkedMiddleware)
    const { port } = yield* Effect.acquireRelease(
      attempt("cannot start s3rver", () => server.run()),
      () => Effect.promise(() => server.close())
    )
    const store = server.store
    const endpoint = `127.0.0.1:${port}`
    return {
      kind: "s3",
      locationType: "S3",
      encrypted: true,
      certificate: tls.cert,
      endpoint,
      list: (prefix) =>
        attempt("list", async () => {
          const { objects } = await store.listObjects(S3_BUCKET, { prefix })
          return objects.map(
            (o): StoredObject => ({
              key: o.key,
              size: Number(o.metadata["content-length"] ?? 0),
              md5: JSON.parse(o.metadata.etag ?? '""') as string,
              lastModified: new Date(o.metadata["last-modified"] ?? 0)
            })
          )
        }),
      read: (key) =>
        attempt(`read ${key}`, async () => {
          const found = await store.getObject(S3_BUCKET, key)
          if (found === null || found.content === null) throw new Error("no such object")
          const metadata: Record<string, string> = {}
          for (const [name, value] of Object.entries(found.metadata)) {
            if (name.startsWith(META)) metadata[name.slice(META.length)] = value
          }
          return { body: await readAll(found.content), metadata }
        }),
      write: () =>
        Effect.fail(new StorageError({ message: "the emulator does not write S3 objects itself" })),
      remove: (key) => attempt(`remove ${key}`, () => store.deleteObject(S3_BUCKET, key)),
      stageInfo: (prefix) => ({
        ...baseStageInfo("S3", `${S3_BUCKET}/${prefix}`, prefix),
        // the drivers add https:// themselves
        endPoint: endpoint,
        creds: { AWS_KEY_ID: S3RVER_KEY, AWS_SECRET_KEY: S3RVER_KEY, AWS_TOKEN: "" }
      })
    } satisfies S3Storage
  })
