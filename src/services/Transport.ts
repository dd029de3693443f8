/**
 * The only module that talks HTTP to Snowflake. It builds the headers and query parameters the
 * official drivers send (PROTOCOL.md §1.4, §1.5, §16.11), decodes the response envelope, maps every
 * failure to a typed error, and repeats transient failures on a Schedule (RetryPolicy.ts).
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import { networkDetail } from "../errors/HttpFailure.js"
import {
  ConnectionTimeout,
  fromHttpStatus,
  fromServerFailure,
  HttpFailure,
  NetworkError,
  ProtocolError,
  type SnowflakeError,
  TlsError
} from "../errors/index.js"
import { decodeEnvelope, type Envelope, parseJson, toServerFailure } from "../protocol/wire/envelope.js"
import { retriesTotal } from "../telemetry/metrics.js"
import * as RetryPolicy from "./RetryPolicy.js"
import { type ResolvedConfig, SnowflakeConfig } from "./SnowflakeConfig.js"

export const CLIENT_APP_ID = "effect-snowflake"
export const CLIENT_APP_VERSION = "0.1.0"

const runtime = (() => {
  const proc = (
    globalThis as { process?: { platform?: string; arch?: string; versions?: { node?: string } } }
  ).process
  const node = proc?.versions?.node
  return {
    platform: `${proc?.platform ?? "unknown"}-${proc?.arch ?? "unknown"}`,
    engine: node === undefined ? "JavaScript" : `NodeJS/${node}`
  }
})()

export const USER_AGENT = `${CLIENT_APP_ID}/${CLIENT_APP_VERSION} (${runtime.platform}) ${runtime.engine}`

/** One request to the Snowflake "GS" endpoints (everything but chunk downloads). */
export interface GsRequest {
  readonly method: "GET" | "POST"
  /** Path relative to the account URL; may carry its own query string (a `getResultUrl`). */
  readonly path: string
  readonly query?: Readonly<Record<string, string>> | undefined
  readonly body?: unknown
  /**
   * A body built anew for every attempt, in place of `body`: a login's key-pair JWT is signed at
   * each try, so a retry after its 60 s lifetime does not present an expired token.
   */
  readonly bodyPerAttempt?: Effect.Effect<unknown, SnowflakeError> | undefined
  /** Session or master token; stays redacted until the Authorization header is built. */
  readonly token?: Redacted.Redacted<string> | undefined
  /** `snowflake` for query-request and result GETs, `json` for everything else (§16.11). */
  readonly accept?: "json" | "snowflake" | undefined
  /** CLIENT_APP_ID / CLIENT_APP_VERSION headers: login and token-request only. */
  readonly clientAppHeaders?: boolean | undefined
  /** Sent as `requestId` and kept on every retry, so the server can deduplicate. */
  readonly requestId?: string | undefined
  /** Adds `retry=true&retryCount=N` on repeated attempts (query-request). */
  readonly retryMarkers?: boolean | undefined
  /** `false` for requests that must not be repeated. */
  readonly retry?: boolean | undefined
  readonly timeout?: Duration.DurationInput | undefined
}

export interface TransportService {
  /**
   * Sends a GS request and returns its `success:true` envelope (in-progress codes included).
   * `success:false` fails with the matching typed error (`fromServerFailure`).
   */
  readonly call: (request: GsRequest) => Effect.Effect<Envelope, SnowflakeError>
  /**
   * Downloads one result chunk (absolute URL, no Authorization) and returns its bytes as served
   * (usually gzip; `src/streams/chunkBody.ts` sniffs and decodes). Retries transient failures;
   * a 403 (expired URL) fails at once so the caller can refresh the URL.
   */
  readonly fetchChunk: (
    url: string,
    headers: Readonly<Record<string, string>>
  ) => Effect.Effect<Uint8Array, SnowflakeError>
}

export class Transport extends Context.Tag("effect-snowflake/Transport")<Transport, TransportService>() {}

/** Same-host 307/308 hops one request may take before it is a ProtocolError. */
const MAX_REDIRECTS = 5

const newGuid = (): string => globalThis.crypto.randomUUID()

const pathOnly = (path: string): string => path.split("?")[0] ?? path

/** The host of an absolute URL, for messages that must say which server failed. */
const hostOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return "an unknown host"
  }
}

/** The path of an absolute URL (a chunk URL's host and signature stay out of errors). */
const urlPath = (url: string): string => {
  try {
    return new URL(url).pathname
  } catch {
    return url
  }
}

const looksLikeTls = (failure: HttpFailure): boolean =>
  /certificate|ssl|tls|self.signed|CERT_|ERR_TLS/i.test(`${failure.code ?? ""} ${failure.detail ?? ""}`)

/** The facts of an HttpClient failure without its request (headers and body hold secrets). */
const failureOf = (error: HttpClientError.HttpClientError): HttpFailure => {
  const { code, detail } = networkDetail((error as { cause?: unknown }).cause)
  return new HttpFailure(
    error.reason,
    error.request.method,
    pathOnly(urlPath(error.request.url)),
    code,
    detail
  )
}

/** HttpClient failures: no answer (retryable NetworkError), TLS (final) or a request we could not build. */
const fromHttpClientError = (error: HttpClientError.HttpClientError): SnowflakeError => {
  const failure = failureOf(error)
  const where = `${failure.method} ${failure.path}`
  if (error._tag === "RequestError") {
    if (error.reason === "Transport") {
      return looksLikeTls(failure)
        ? new TlsError({
            message: `TLS failure talking to Snowflake at ${hostOf(error.request.url)}${failure.detail === undefined ? "" : `: ${failure.detail}`}`,
            cause: failure
          })
        : new NetworkError({ message: `Could not reach Snowflake (${where})`, cause: failure })
    }
    return new ProtocolError({ message: `Could not build the request (${where})`, cause: failure })
  }
  // Reading the body failed (connection dropped mid-answer): same as no answer at all.
  return new NetworkError({ message: `Snowflake's answer was cut off (${where})`, cause: failure })
}

const isTransientStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500

const decodeBody = (text: string, status: number): Either.Either<Envelope, SnowflakeError> => {
  let json: unknown
  try {
    json = parseJson(text)
  } catch {
    return Either.left(
      new ProtocolError({
        message: `Snowflake answered HTTP ${status} with a body that is not JSON`,
        httpStatus: status
      })
    )
  }
  return Either.mapLeft(
    decodeEnvelope(json),
    (problem) =>
      new ProtocolError({ message: `Unexpected response envelope: ${problem}`, httpStatus: status })
  )
}

/** Turns one HTTP answer into an envelope or the typed error it means. */
const interpret = (
  response: HttpClientResponse.HttpClientResponse,
  text: string,
  nowMillis: number
): Effect.Effect<Envelope, SnowflakeError> => {
  const status = response.status
  if (isTransientStatus(status)) {
    const retryAfter = RetryPolicy.parseRetryAfter(response.headers["retry-after"], nowMillis)
    return Effect.fail(
      new NetworkError({
        message: `Snowflake answered HTTP ${status}`,
        httpStatus: status,
        ...(retryAfter === undefined ? {} : { cause: new RetryPolicy.RetryAfter(retryAfter) })
      })
    )
  }
  const decoded = decodeBody(text, status)
  if (status < 200 || status >= 300) {
    // Some error statuses still carry an envelope with a meaningful code (401 + 390104).
    return Either.isRight(decoded) && !decoded.right.success && decoded.right.code
      ? Effect.fail(fromServerFailure(toServerFailure(decoded.right, status)))
      : Effect.fail(fromHttpStatus(status))
  }
  if (Either.isLeft(decoded)) return Effect.fail(decoded.left)
  const envelope = decoded.right
  return envelope.success
    ? Effect.succeed(envelope)
    : Effect.fail(fromServerFailure(toServerFailure(envelope)))
}

const redactAuthorization = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.locallyWith(effect, Headers.currentRedactedNames, (names) =>
    names.includes("authorization") ? names : [...names, "authorization"]
  )

export const make = Effect.gen(function* () {
  const config = yield* SnowflakeConfig
  const client = yield* HttpClient.HttpClient
  return makeWith(config, client)
})

/** The Transport over a given config and HttpClient (exported for tests of other services). */
export const makeWith = (config: ResolvedConfig, client: HttpClient.HttpClient): TransportService => {
  const schedule = RetryPolicy.schedule(config.retry)

  const withTimeout = <A>(
    effect: Effect.Effect<A, SnowflakeError>,
    timeout: Duration.DurationInput | undefined,
    what: string
  ) =>
    Effect.timeoutFail(effect, {
      duration: timeout ?? config.requestTimeout,
      onTimeout: () => new ConnectionTimeout({ message: `${what} did not answer in time` })
    })

  const buildRequest = (
    request: GsRequest,
    attempt: number,
    body: unknown
  ): HttpClientRequest.HttpClientRequest => {
    const url = new URL(request.path, `${config.baseUrl}/`)
    const params: Record<string, string> = { ...request.query }
    if (request.requestId !== undefined) params.requestId = request.requestId
    params.request_guid = newGuid()
    if (attempt > 0 && request.retryMarkers) {
      params.retry = "true"
      params.retryCount = String(attempt)
    }
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Accept: request.accept === "snowflake" ? "application/snowflake" : "application/json",
      "User-Agent": USER_AGENT
    }
    if (request.clientAppHeaders) {
      headers.CLIENT_APP_ID = CLIENT_APP_ID
      headers.CLIENT_APP_VERSION = CLIENT_APP_VERSION
    }
    if (request.token !== undefined) {
      headers.Authorization = `Snowflake Token="${Redacted.value(request.token)}"`
    }
    const base = HttpClientRequest.make(request.method)(url.toString()).pipe(
      HttpClientRequest.setHeaders(headers)
    )
    return body === undefined ? base : HttpClientRequest.bodyUnsafeJson(base, body)
  }

  /**
   * Sends one attempt and reads its answer. A 307/308 (same method, same body) is followed only on
   * the same host: the request carries the session token or the login secret, which must not go to
   * a host the access URL did not name. Another host is a final ProtocolError naming both.
   */
  const sendFollowingRedirects = (
    first: HttpClientRequest.HttpClientRequest,
    timeout: Duration.DurationInput | undefined,
    what: string
  ) =>
    Effect.gen(function* () {
      let current = first
      for (let hop = 0; ; hop++) {
        const answer = yield* withTimeout(
          client.execute(current).pipe(
            Effect.flatMap((res) => Effect.map(res.text, (text) => [res, text] as const)),
            Effect.mapError(fromHttpClientError)
          ),
          timeout,
          what
        )
        const [response] = answer
        const location = response.headers.location
        if ((response.status !== 307 && response.status !== 308) || location === undefined) return answer
        const from = new URL(current.url)
        const to = new URL(location, from)
        if (to.protocol !== from.protocol || to.host !== from.host) {
          return yield* new ProtocolError({
            message: `${what} was redirected (HTTP ${response.status}) from ${from.host} to another host, ${to.host}: not followed`,
            httpStatus: response.status
          })
        }
        if (hop >= MAX_REDIRECTS) {
          return yield* new ProtocolError({
            message: `${what} was redirected more than ${MAX_REDIRECTS} times`,
            httpStatus: response.status
          })
        }
        current = HttpClientRequest.setUrl(current, to.toString())
      }
    })

  const call = (request: GsRequest): Effect.Effect<Envelope, SnowflakeError> =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const started = yield* Clock.currentTimeMillis
      const attempt = Effect.gen(function* () {
        const n = yield* Ref.getAndUpdate(attempts, (k) => k + 1)
        if (n > 0) yield* Metric.increment(Metric.tagged(retriesTotal, "endpoint", pathOnly(request.path)))
        const body = request.bodyPerAttempt === undefined ? request.body : yield* request.bodyPerAttempt
        const response = yield* sendFollowingRedirects(
          buildRequest(request, n, body),
          request.timeout,
          `${request.method} ${pathOnly(request.path)}`
        )
        const now = yield* Clock.currentTimeMillis
        return yield* interpret(response[0], response[1], now)
      })
      if (request.retry === false) return yield* attempt
      return yield* Effect.retry(attempt, schedule).pipe(
        Effect.catchAll((error) =>
          Effect.flatMap(Effect.zip(Ref.get(attempts), Clock.currentTimeMillis), ([tried, now]) =>
            Effect.fail(RetryPolicy.afterRetries(error, tried, now - started))
          )
        )
      )
    }).pipe(redactAuthorization)

  const fetchChunk = (url: string, headers: Readonly<Record<string, string>>) =>
    Effect.gen(function* () {
      const attempt = Effect.gen(function* () {
        const [response, body] = yield* withTimeout(
          client.execute(HttpClientRequest.get(url).pipe(HttpClientRequest.setHeaders(headers))).pipe(
            Effect.flatMap((res) =>
              Effect.map(res.arrayBuffer, (buffer) => [res, new Uint8Array(buffer)] as const)
            ),
            Effect.mapError(fromHttpClientError)
          ),
          undefined,
          "A result chunk download"
        )
        if (response.status < 200 || response.status >= 300) {
          const now = yield* Clock.currentTimeMillis
          const retryAfter = RetryPolicy.parseRetryAfter(response.headers["retry-after"], now)
          return yield* new NetworkError({
            message: `Result chunk download answered HTTP ${response.status}`,
            httpStatus: response.status,
            ...(retryAfter === undefined ? {} : { cause: new RetryPolicy.RetryAfter(retryAfter) })
          })
        }
        // S3 error documents come back as XML with 200 (§16.1): a failure, not rows.
        if ((response.headers["content-type"] ?? "").includes("xml")) {
          return yield* new ProtocolError({
            message: "A result chunk download returned an XML error document"
          })
        }
        return body
      })
      return yield* Effect.retry(attempt, schedule)
    })

  return { call, fetchChunk }
}

export const layer: Layer.Layer<Transport, never, SnowflakeConfig | HttpClient.HttpClient> = Layer.effect(
  Transport,
  make
)
