/**
 * GCS stages served by the emulator itself: a GCS-compatible endpoint on the emulator's own HTTP
 * server answering `HEAD`/`PUT`/`GET`/`DELETE /<bucket>/<key>` with `Authorization: Bearer
 * <token>` and `x-goog-meta-*` metadata — exactly what snowflake-sdk does with
 * `stageInfo.endPoint` set (§9.3, §16.10).
 *
 * Object bytes live in files under a directory of their own (removed when the emulator stops),
 * one file per stored version; the index (key → file, size, metadata) is in memory, so objects
 * last as long as the emulator, as before. Uploads stream from the socket straight into a new
 * file through one Node pipeline (no buffering of the whole body, no per-chunk work besides the
 * write), and only a complete upload replaces the previous version; downloads stream from the
 * file. The MD5 that LIST shows is computed when first asked for, not on the upload's path.
 */
import { createHash, randomBytes } from "node:crypto"
import { createReadStream, createWriteStream } from "node:fs"
import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { pipeline } from "node:stream/promises"
import { Effect, Exit, type Scope } from "effect"
import type { FileReply, Reply, StorageReply, StorageRequest } from "../server/http.js"
import { decodeObjectName, gcsJsonError } from "./gcsObjectName.js"
import {
  baseStageInfo,
  type ObjectData,
  type StageStorage,
  StorageError,
  type StoredObject
} from "./storage.js"

export const GCS_BUCKET = "sfc-emulator-stages"
const META = "x-goog-meta-"
/** Write and read buffer size: large, so a big object moves in few system calls. */
const CHUNK = 1024 * 1024

interface GcsObject {
  /** The file holding this version's bytes. */
  readonly file: string
  readonly size: number
  readonly metadata: Readonly<Record<string, string>>
  readonly lastModified: Date
}

export interface GcsStorage extends StageStorage {
  /** Called once the server listens: the endpoint the drivers are sent to. */
  readonly setEndpoint: (url: string) => void
  /** Answers requests for the bucket, or undefined when the path is not ours. */
  readonly handle: (request: StorageRequest) => Effect.Effect<StorageReply> | undefined
}

const xml = (status: number, code: string, message: string): Reply => ({
  status,
  headers: { "content-type": "application/xml" },
  body: Buffer.from(
    `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
  )
})

const attempt = <A>(what: string, run: (signal: AbortSignal) => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (cause) => new StorageError({ message: `${what}: ${String(cause)}`, cause })
  })

const isNotFound = (error: StorageError) => (error.cause as { code?: unknown } | undefined)?.code === "ENOENT"

/** A GCS store whose object files live in a fresh directory under `parent`, removed with the scope. */
export const makeGcsStorage = (
  parent: string,
  options: { readonly token?: string } = {}
): Effect.Effect<GcsStorage, StorageError, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      attempt(`cannot create a GCS object directory in ${parent}`, () =>
        fs.mkdtemp(nodePath.join(parent, "gcs-"))
      ),
      (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }).catch(() => undefined))
    ),
    (dir) => gcsStorageIn(dir, options.token ?? `gcs-emulator-${randomBytes(12).toString("hex")}`)
  )

const gcsStorageIn = (dir: string, token: string): GcsStorage => {
  const objects = new Map<string, GcsObject>()
  // per stored version, so an overwrite never shows the old version's checksum
  const md5s = new WeakMap<GcsObject, string>()
  let endpoint = "http://127.0.0.1"
  let sequence = 0
  const newFile = () => nodePath.join(dir, `${++sequence}`)

  const discard = (file: string) =>
    attempt(`remove ${file}`, () => fs.rm(file, { force: true })).pipe(Effect.ignore)

  /** Makes `object` the current version of `key`; the replaced version's file goes. */
  const install = (key: string, object: GcsObject) =>
    Effect.suspend(() => {
      const previous = objects.get(key)
      objects.set(key, object)
      return previous === undefined ? Effect.void : discard(previous.file)
    })

  const remove = (key: string) =>
    Effect.suspend(() => {
      const found = objects.get(key)
      objects.delete(key)
      return found === undefined ? Effect.void : discard(found.file)
    })

  /**
   * Opens the current version of `key`, or none. Between looking it up and opening it, an
   * overwrite may have removed that version's file: then the newer version is opened instead.
   */
  const open = (
    key: string
  ): Effect.Effect<{ object: GcsObject; file: fs.FileHandle } | undefined, StorageError> =>
    Effect.suspend(() => {
      const object = objects.get(key)
      if (object === undefined) return Effect.succeed(undefined)
      return attempt(`open ${key}`, () => fs.open(object.file, "r")).pipe(
        Effect.map((file) => ({ object, file })),
        Effect.catchIf(
          (error) => isNotFound(error) && objects.get(key) !== object,
          () => open(key)
        )
      )
    })

  /** Streams the request body into a new file; only a complete upload becomes the object. */
  const receive = (key: string, request: StorageRequest): Effect.Effect<StorageReply> => {
    const metadata: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.startsWith(META) && typeof value === "string") metadata[name.slice(META.length)] = value
    }
    const file = newFile()
    return attempt(`upload of ${key}`, async (signal) => {
      const out = createWriteStream(file, { highWaterMark: CHUNK })
      await pipeline(request.body, out, { signal })
      return out.bytesWritten
    }).pipe(
      Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : discard(file))),
      Effect.flatMap((size) => install(key, { file, size, metadata, lastModified: new Date() })),
      Effect.as<StorageReply>({
        status: 200,
        headers: { "content-type": "application/json" },
        body: Buffer.from("{}")
      }),
      // the client went away mid-body (nobody reads this answer) or the disk failed
      Effect.catchAll((error) => Effect.succeed(xml(500, "InternalError", error.message)))
    )
  }

  const objectHeaders = (object: GcsObject): Record<string, string> => {
    const headers: Record<string, string> = {
      "content-type": "application/octet-stream",
      "last-modified": object.lastModified.toUTCString(),
      // opaque and per version; not the MD5, which is not computed on the upload's path
      etag: `"${nodePath.basename(object.file)}-${object.size}"`
    }
    for (const [name, value] of Object.entries(object.metadata)) headers[`${META}${name}`] = value
    return headers
  }

  const notFound = xml(404, "NoSuchKey", "The specified key does not exist.")

  /** One request for an object of the bucket, by its decoded name. */
  const serve = (request: StorageRequest, key: string): Effect.Effect<StorageReply> => {
    if (request.headers.authorization !== `Bearer ${token}`) {
      return Effect.succeed(xml(401, "AuthenticationRequired", "Bad token"))
    }
    switch (request.method) {
      case "PUT":
        return receive(key, request)
      case "HEAD": {
        const found = objects.get(key)
        if (found === undefined) return Effect.succeed(notFound)
        const reply: FileReply = {
          status: 200,
          headers: objectHeaders(found),
          size: found.size,
          file: undefined
        }
        return Effect.succeed(reply)
      }
      case "GET":
        return open(key).pipe(
          Effect.map((opened): StorageReply => {
            if (opened === undefined) return notFound
            const { object, file } = opened
            return { status: 200, headers: objectHeaders(object), size: object.size, file }
          }),
          Effect.catchAll((error) => Effect.succeed(xml(500, "InternalError", error.message)))
        )
      case "DELETE":
        return Effect.as(remove(key), { status: 204, headers: {}, body: Buffer.alloc(0) })
      default:
        return Effect.succeed(xml(405, "MethodNotAllowed", request.method))
    }
  }

  const handle = (request: StorageRequest): Effect.Effect<StorageReply> | undefined => {
    const prefix = `/${GCS_BUCKET}/`
    if (!request.path.startsWith(prefix)) return undefined
    // Everything runs inside the Effect: a throw or a defect becomes a 500 here, since a request
    // whose fiber dies is never answered and the client waits forever.
    return Effect.suspend(() => {
      // before the token, as GCS's front end rejects a malformed URL before looking at anything
      const key = decodeObjectName(request.path.slice(prefix.length))
      if (key === undefined) {
        return Effect.succeed(
          gcsJsonError(
            400,
            "invalid",
            `The object name in ${request.path} is not a valid percent-encoded UTF-8 name.`
          )
        )
      }
      return serve(request, key)
    }).pipe(
      Effect.catchAllDefect((defect) =>
        Effect.as(
          Effect.logError("GCS endpoint request failed", defect),
          xml(500, "InternalError", "The emulator's GCS endpoint failed on this request.")
        )
      )
    )
  }

  /** Hex MD5 of one stored version, read from its file the first time it is asked for. */
  const md5Of = (key: string, object: GcsObject): Effect.Effect<string, StorageError> => {
    const known = md5s.get(object)
    if (known !== undefined) return Effect.succeed(known)
    return attempt(`checksum of ${key}`, async (signal) => {
      const hash = createHash("md5")
      for await (const chunk of createReadStream(object.file, { highWaterMark: CHUNK, signal })) {
        hash.update(chunk as Buffer)
      }
      return hash.digest("hex")
    }).pipe(Effect.tap((md5) => Effect.sync(() => md5s.set(object, md5))))
  }

  return {
    kind: "gcs",
    locationType: "GCS",
    encrypted: true,
    setEndpoint: (url) => {
      endpoint = url
    },
    handle,
    list: (prefix) =>
      Effect.forEach(
        [...objects.entries()].filter(([key]) => key.startsWith(prefix)),
        ([key, object]) =>
          Effect.map(
            md5Of(key, object),
            (md5): StoredObject => ({ key, size: object.size, md5, lastModified: object.lastModified })
          )
      ).pipe(Effect.map((listed) => [...listed].sort((a, b) => a.key.localeCompare(b.key)))),
    read: (key) =>
      Effect.flatMap(open(key), (opened) =>
        opened === undefined
          ? Effect.fail(new StorageError({ message: `no such object ${key}` }))
          : attempt(`read ${key}`, () => opened.file.readFile()).pipe(
              Effect.ensuring(Effect.promise(() => opened.file.close().catch(() => undefined))),
              Effect.map((body): ObjectData => ({ body, metadata: opened.object.metadata }))
            )
      ),
    write: (key, data) =>
      Effect.suspend(() => {
        const file = newFile()
        return attempt(`write ${key}`, () => fs.writeFile(file, data.body)).pipe(
          Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : discard(file))),
          Effect.flatMap(() =>
            install(key, { file, size: data.body.length, metadata: data.metadata, lastModified: new Date() })
          )
        )
      }),
    remove,
    stageInfo: (prefix) => ({
      ...baseStageInfo("GCS", `${GCS_BUCKET}/${prefix}`, prefix),
      region: "us-central1",
      endPoint: endpoint,
      creds: { GCS_ACCESS_TOKEN: token }
    })
  }
}
