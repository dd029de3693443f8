import { gunzipSync, gzipSync } from "node:zlib"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Transport from "../../src/services/Transport.js"
import { resolved } from "./support/config.js"
import * as TestServer from "./support/TestServer.js"

const transportFor = (url: string, retries = 3) =>
  Effect.gen(function* () {
    const config = yield* resolved(url, { retry: { retries, baseDelay: 1, maxDelay: 2, maxJitter: 0 } })
    const client = yield* HttpClient.HttpClient
    return Transport.makeWith(config, client)
  })

const queryRequest = (requestId: string) => ({
  method: "POST" as const,
  path: "/queries/v1/query-request",
  body: { sqlText: "select 1" },
  token: Redacted.make("session-token-xyz"),
  accept: "snowflake" as const,
  requestId,
  retryMarkers: true
})

describe("Transport", () => {
  it.scopedLive("sends the driver headers and query parameters", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.start(() => ({ body: TestServer.envelope({ ok: 1 }) }))
      const transport = yield* transportFor(server.url)
      const envelope = yield* transport.call(queryRequest("req-1"))
      assert.deepStrictEqual(envelope.data, { ok: 1 })
      const [request] = server.requests
      assert.strictEqual(request!.path, "/queries/v1/query-request")
      assert.strictEqual(request!.query.get("requestId"), "req-1")
      assert.match(request!.query.get("request_guid")!, /^[0-9a-f-]{36}$/)
      assert.isNull(request!.query.get("retry"))
      assert.strictEqual(request!.headers.authorization, 'Snowflake Token="session-token-xyz"')
      assert.strictEqual(request!.headers.accept, "application/snowflake")
      assert.strictEqual(request!.headers["content-type"], "application/json")
      assert.match(request!.headers["user-agent"]!, /^effect-snowflake\/0\.1\.0 \(\w+-\w+\) NodeJS\/\d+/)
      assert.isUndefined(request!.headers.client_app_id)
      assert.deepStrictEqual(JSON.parse(request!.body), { sqlText: "select 1" })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )

  it.scopedLive("adds CLIENT_APP headers only when asked (login, token-request)", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.start(() => ({ body: TestServer.envelope(null) }))
      const transport = yield* transportFor(server.url)
      yield* transport.call({
        method: "POST",
        path: "/session/v1/login-request",
        body: {},
        clientAppHeaders: true
      })
      assert.strictEqual(server.requests[0]!.headers.client_app_id, Transport.CLIENT_APP_ID)
      assert.strictEqual(server.requests[0]!.headers.client_app_version, Transport.CLIENT_APP_VERSION)
      assert.strictEqual(server.requests[0]!.headers.accept, "application/json")
      assert.isUndefined(server.requests[0]!.headers.authorization)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )

  it.scopedLive("retries 503, 429 and dropped connections with the same requestId and retry markers", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.start((_req, i) =>
        i === 0
          ? { status: 503, body: "busy" }
          : i === 1
            ? { status: 429, headers: { "retry-after": "0" } }
            : i === 2
              ? { drop: true }
              : { body: TestServer.envelope({ done: true }) }
      )
      const transport = yield* transportFor(server.url)
      const envelope = yield* transport.call(queryRequest("req-2"))
      assert.deepStrictEqual(envelope.data, { done: true })
      assert.strictEqual(server.requests.length, 4)
      assert.deepStrictEqual(
        server.requests.map((r) => r.query.get("requestId")),
        ["req-2", "req-2", "req-2", "req-2"]
      )
      assert.deepStrictEqual(
        server.requests.map((r) => [r.query.get("retry"), r.query.get("retryCount")]),
        [
          [null, null],
          ["true", "1"],
          ["true", "2"],
          ["true", "3"]
        ]
      )
      const guids = new Set(server.requests.map((r) => r.query.get("request_guid")))
      assert.strictEqual(guids.size, 4)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )

  it.scopedLive("gives up after the configured retries with a retryable NetworkError", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.start(() => ({ status: 502 }))
      const transport = yield* transportFor(server.url, 2)
      const error = yield* Effect.flip(transport.call(queryRequest("req-3")))
      assert.strictEqual(error._tag, "NetworkError")
      assert.strictEqual(error.httpStatus, 502)
      assert.strictEqual(server.requests.length, 3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )

  it.scopedLive("does not retry 400/403 and maps success:false to the typed error", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.start((req) =>
        req.path.includes("forbidden")
          ? { status: 403, body: "no" }
          : {
              body: JSON.stringify({
                data: { sqlState: "42000", queryId: "01aa-bb", errorCode: "001003" },
                code: "001003",
                message: "SQL compilation error",
                success: false
              })
            }
      )
      const transport = yield* transportFor(server.url)
      const forbidden = yield* Effect.flip(transport.call({ method: "POST", path: "/forbidden" }))
      assert.strictEqual(forbidden._tag, "NetworkError")
      assert.strictEqual(forbidden.httpStatus, 403)
      assert.strictEqual(server.requests.length, 1)
      const syntax = yield* Effect.flip(transport.call(queryRequest("req-4")))
      assert.strictEqual(syntax._tag, "QuerySyntaxError")
      assert.strictEqual(syntax.code, "001003")
      assert.strictEqual(syntax.sqlState, "42000")
      assert.strictEqual(syntax.queryId, "01aa-bb")
      assert.strictEqual(server.requests.length, 2)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )

  it.scopedLive("a body that is not an envelope is a ProtocolError; errors never carry the token", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.start(() => ({ body: "<html>oops</html>" }))
      const transport = yield* transportFor(server.url)
      const error = yield* Effect.flip(transport.call(queryRequest("req-5")))
      assert.strictEqual(error._tag, "ProtocolError")
      assert.notInclude(JSON.stringify(error), "session-token-xyz")
      assert.notInclude(String(error), "session-token-xyz")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )

  it.scopedLive("fetches chunks with their headers and gunzips by magic bytes", () =>
    Effect.gen(function* () {
      const body = '["1","a"],["2","b"]'
      const server = yield* TestServer.start((req) =>
        req.path === "/plain"
          ? { body, headers: { "content-type": "text/plain" } }
          : { body: gzipSync(Buffer.from(body)), headers: { "content-type": "application/octet-stream" } }
      )
      const transport = yield* transportFor(server.url)
      const headers = { "x-amz-server-side-encryption-customer-key": "k" }
      const gz = yield* transport.fetchChunk(`${server.url}/gz?sig=1`, headers)
      const plain = yield* transport.fetchChunk(`${server.url}/plain`, {})
      // Bytes as served: gzip stays gzip (the chunk decoder sniffs it), plain stays plain.
      assert.deepStrictEqual(Buffer.from(gunzipSync(gz)).toString(), body)
      assert.strictEqual(Buffer.from(plain).toString(), body)
      assert.strictEqual(server.requests[0]!.headers["x-amz-server-side-encryption-customer-key"], "k")
      assert.strictEqual(server.requests[0]!.query.get("sig"), "1")
      assert.isUndefined(server.requests[0]!.headers.authorization)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )
})
