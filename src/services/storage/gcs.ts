/**
 * Google Cloud Storage over plain HTTP (XML API: `HEAD`/`PUT`/`GET <endPoint>/<bucket>/<key>`
 * with `Authorization: Bearer <token>`), on the shared `HttpClient`.
 *
 * Why not `@google-cloud/storage`: a GCS stage hands out a bare OAuth access token and, for
 * emulators, a plain-`http://` endpoint. The official Node driver talks to exactly these URLs with
 * exactly this header (PROTOCOL.md §16.10), so doing the same needs no SDK at all, works on any
 * runtime, and matches what the emulator's GCS endpoint serves.
 */
import * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { StageUploadError } from "../../errors/index.js"
import * as Metadata from "../../protocol/transfer/metadata.js"
import { storageError } from "./errors.js"
import type { StorageAdapter } from "./StorageAdapter.js"
import { keepTyped } from "./streams.js"

export interface GcsTarget {
  readonly bucket: string
  /** Object name prefix, empty or ending in `/`. */
  readonly prefix: string
  /** Defaults to `https://storage.googleapis.com`; a bare host gets `https://`. */
  readonly endpoint?: string | undefined
  readonly accessToken?: Redacted.Redacted<string> | undefined
}

const withScheme = (endpoint: string) => (/^https?:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`)

const encodeKey = (key: string) => key.split("/").map(encodeURIComponent).join("/")

const redactAuthorization = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.locallyWith(effect, Headers.currentRedactedNames, (names) =>
    names.includes("authorization") ? names : [...names, "authorization"]
  )

export const make = (target: GcsTarget, http: HttpClient.HttpClient): StorageAdapter => {
  const base = withScheme(target.endpoint ?? "https://storage.googleapis.com").replace(/\/+$/, "")
  const url = (key: string) =>
    `${base}/${encodeURIComponent(target.bucket)}/${encodeKey(`${target.prefix}${key}`)}`
  const auth = (request: HttpClientRequest.HttpClientRequest) =>
    target.accessToken === undefined
      ? request
      : HttpClientRequest.bearerToken(request, Redacted.value(target.accessToken))
  const failed = (what: string, status: number) =>
    new StageUploadError({ message: `${what} answered HTTP ${status}`, httpStatus: status })

  const head: StorageAdapter["head"] = (key) =>
    http.execute(auth(HttpClientRequest.head(url(key)))).pipe(
      Effect.mapError(storageError(`GCS HEAD ${target.prefix}${key}`)),
      Effect.flatMap((response) => {
        if (response.status === 404) return Effect.succeed(Option.none())
        if (response.status < 200 || response.status >= 300) {
          return Effect.fail(failed(`GCS HEAD ${target.prefix}${key}`, response.status))
        }
        return Effect.succeed(
          Option.some({
            size: Number(response.headers["content-length"] ?? 0),
            metadata: Metadata.fromGcsHeaders(response.headers)
          })
        )
      }),
      Effect.scoped,
      redactAuthorization
    )

  const upload: StorageAdapter["upload"] = (key, body, options) =>
    http
      .execute(
        auth(HttpClientRequest.put(url(key))).pipe(
          HttpClientRequest.setHeaders(Metadata.toGcsHeaders(options.metadata)),
          HttpClientRequest.bodyStream(body, {
            contentType: "application/octet-stream",
            ...(options.size === undefined ? {} : { contentLength: options.size })
          })
        )
      )
      .pipe(
        Effect.mapError(keepTyped(`GCS upload of ${target.prefix}${key}`)),
        Effect.flatMap((response) =>
          response.status >= 200 && response.status < 300
            ? Effect.void
            : Effect.fail(failed(`GCS upload of ${target.prefix}${key}`, response.status))
        ),
        Effect.scoped,
        redactAuthorization
      )

  const download: StorageAdapter["download"] = (key) =>
    Effect.gen(function* () {
      const what = `GCS GET ${target.prefix}${key}`
      const response = yield* http
        .execute(auth(HttpClientRequest.get(url(key))))
        .pipe(Effect.mapError(storageError(what)), redactAuthorization)
      if (response.status < 200 || response.status >= 300) return yield* failed(what, response.status)
      return {
        info: {
          size: Number(response.headers["content-length"] ?? 0),
          metadata: Metadata.fromGcsHeaders(response.headers)
        },
        body: response.stream.pipe(Stream.mapError(storageError(what)))
      }
    })

  return { head, upload, download }
}
