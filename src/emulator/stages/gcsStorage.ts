/**
 * GCS stages served by the emulator itself: a GCS-compatible endpoint on the emulator's own HTTP
 * server answering `HEAD`/`PUT`/`GET`/`DELETE /<bucket>/<key>` with `Authorization: Bearer
 * <token>` and `x-goog-meta-*` metadata — exactly what snowflake-sdk does with
 * `stageInfo.endPoint` set (§9.3, §16.10). Objects are kept in memory.
 */
import { randomBytes } from "node:crypto"
import { Effect } from "effect"
import type { EmulatorRequest, Reply } from "../server/http.js"
import {
  baseStageInfo,
  md5Hex,
  type ObjectData,
  type StageStorage,
  StorageError,
  type StoredObject
} from "./storage.js"

export const GCS_BUCKET = "sfc-emulator-stages"
const META = "x-goog-meta-"

interface GcsObject extends ObjectData {
  readonly md5: string
  readonly lastModified: Date
}

export interface GcsStorage extends StageStorage {
  /** Called once the server listens: the endpoint the drivers are sent to. */
  readonly setEndpoint: (url: string) => void
  /** Answers requests for the bucket, or undefined when the path is not ours. */
  readonly handle: (request: EmulatorRequest) => Reply | undefined
}

const xml = (status: number, code: string, message: string): Reply => ({
  status,
  headers: { "content-type": "application/xml" },
  body: Buffer.from(
    `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
  )
})

export const makeGcsStorage = (options: { readonly token?: string } = {}): GcsStorage => {
  const token = options.token ?? `gcs-emulator-${randomBytes(12).toString("hex")}`
  const objects = new Map<string, GcsObject>()
  let endpoint = "http://127.0.0.1"

  const store = (key: string, data: ObjectData) =>
    objects.set(key, { ...data, md5: md5Hex(data.body), lastModified: new Date() })

  const handle = (request: EmulatorRequest): Reply | undefined => {
    const prefix = `/${GCS_BUCKET}/`
    if (!request.path.startsWith(prefix)) return undefined
    const key = decodeURIComponent(request.path.slice(prefix.length))
    if (request.headers.authorization !== `Bearer ${token}`)
      return xml(401, "AuthenticationRequired", "Bad token")
    switch (request.method) {
      case "PUT": {
        const metadata: Record<string, string> = {}
        for (const [name, value] of Object.entries(request.headers)) {
          if (name.startsWith(META) && typeof value === "string") metadata[name.slice(META.length)] = value
        }
        store(key, { body: request.raw ?? request.body, metadata })
        return { status: 200, headers: { "content-type": "application/json" }, body: Buffer.from("{}") }
      }
      case "HEAD":
      case "GET": {
        const found = objects.get(key)
        if (found === undefined) return xml(404, "NoSuchKey", "The specified key does not exist.")
        const headers: Record<string, string> = {
          "content-type": "application/octet-stream",
          "last-modified": found.lastModified.toUTCString(),
          etag: `"${found.md5}"`
        }
        for (const [name, value] of Object.entries(found.metadata)) headers[`${META}${name}`] = value
        // node drops the body of a HEAD reply but keeps its content-length: the object's size
        return { status: 200, headers, body: found.body }
      }
      case "DELETE":
        objects.delete(key)
        return { status: 204, headers: {}, body: Buffer.alloc(0) }
      default:
        return xml(405, "MethodNotAllowed", request.method)
    }
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
      Effect.sync(() =>
        [...objects.entries()]
          .filter(([key]) => key.startsWith(prefix))
          .map(
            ([key, o]): StoredObject => ({
              key,
              size: o.body.length,
              md5: o.md5,
              lastModified: o.lastModified
            })
          )
          .sort((a, b) => a.key.localeCompare(b.key))
      ),
    read: (key) => {
      const found = objects.get(key)
      return found === undefined
        ? Effect.fail(new StorageError({ message: `no such object ${key}` }))
        : Effect.succeed({ body: found.body, metadata: found.metadata })
    },
    write: (key, data) => Effect.sync(() => void store(key, data)),
    remove: (key) => Effect.sync(() => void objects.delete(key)),
    stageInfo: (prefix) => ({
      ...baseStageInfo("GCS", `${GCS_BUCKET}/${prefix}`, prefix),
      region: "us-central1",
      endPoint: endpoint,
      creds: { GCS_ACCESS_TOKEN: token }
    })
  }
}
