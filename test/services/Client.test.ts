import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Snowflake from "../../src/layers/Snowflake.js"
import * as Authenticator from "../../src/services/Authenticator.js"
import * as Session from "../../src/services/Session.js"
import * as Transport from "../../src/services/Transport.js"
import * as Query from "../../src/sql/Query.js"
import { resolved, testOptions } from "./support/config.js"
import * as TestServer from "./support/TestServer.js"

const QUERY_ID = "01aaaaaa-0000-1111-0000-000000000001"

const login = () =>
  TestServer.envelope({
    token: "SESSION-TOKEN-1",
    masterToken: "MASTER-TOKEN-1",
    validityInSeconds: 3600,
    masterValidityInSeconds: 14400,
    sessionId: 7
  })

const selectOne = TestServer.envelope({
  queryId: QUERY_ID,
  rowtype: [{ name: "X", type: "fixed", precision: 1, scale: 0, nullable: false }],
  rowset: [["1"]],
  total: 1,
  returned: 1,
  statementTypeId: 4096
})

/** A GS server: login succeeds, the rest is up to `onQuery`. Returns never-answering replies as `hang`. */
const gsServer = (onOther: (request: TestServer.RecordedRequest) => TestServer.Reply | "hang") =>
  TestServer.start((request) => {
    if (request.path === "/session/v1/login-request") return { body: login() }
    if (request.path === "/session") return { body: TestServer.envelope(null) }
    const reply = onOther(request)
    return reply === "hang" ? { hang: true } : reply
  })

const clientFor = (url: string) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(
      Snowflake.layerWithoutPlatform(testOptions(url, { pool: { min: 0, max: 1 } })).pipe(
        Layer.provide(Layer.merge(NodeHttpClient.layerUndici, NodeFileSystem.layer))
      )
    )
    return yield* Effect.provide(Snowflake.Client, context)
  })

describe("Client (wire level)", () => {
  it.scopedLive("sends QUERY_TAG, STATEMENT_TIMEOUT_IN_SECONDS and named bindings; follows 333333", () =>
    Effect.gen(function* () {
      const server = yield* gsServer((request) => {
        if (request.path === "/queries/v1/query-request") {
          return {
            body: JSON.stringify({
              data: { queryId: QUERY_ID, getResultUrl: `/queries/${QUERY_ID}/result` },
              code: "333333",
              message: "in progress",
              success: true
            })
          }
        }
        return { body: selectOne }
      })
      const sf = yield* clientFor(server.url)
      const result = yield* sf.execute(
        Query.make("SELECT :who AS X").pipe(
          Query.bindNamed({ who: "bob" }),
          Query.tag("nightly"),
          Query.timeout("90 seconds")
        )
      )
      assert.strictEqual(result.queryId, QUERY_ID)
      assert.deepStrictEqual(result.rows, [{ X: 1 }])
      const post = server.requests.find((r) => r.path === "/queries/v1/query-request")!
      const body = JSON.parse(post.body)
      assert.strictEqual(body.sqlText, "SELECT :who AS X")
      assert.strictEqual(body.parameters.QUERY_TAG, "nightly")
      assert.strictEqual(body.parameters.STATEMENT_TIMEOUT_IN_SECONDS, 90)
      assert.deepStrictEqual(body.bindings.who, { type: "TEXT", value: "bob" })
      assert.strictEqual(post.headers.accept, "application/snowflake")
      const get = server.requests.find((r) => r.path === `/queries/${QUERY_ID}/result`)!
      assert.strictEqual(get.method, "GET")
      assert.strictEqual(get.headers.authorization, 'Snowflake Token="SESSION-TOKEN-1"')
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )

  it.scopedLive("a timeout while polling aborts the query by id and fails with QueryTimeout", () =>
    Effect.gen(function* () {
      const server = yield* gsServer((request) => {
        if (request.path === "/queries/v1/query-request") {
          return {
            body: JSON.stringify({
              data: { queryId: QUERY_ID, getResultUrl: `/queries/${QUERY_ID}/result` },
              code: "333333",
              success: true
            })
          }
        }
        if (request.path.endsWith("/abort-request")) return { body: TestServer.envelope(null) }
        return "hang"
      })
      const sf = yield* clientFor(server.url)
      const error = yield* Effect.flip(
        sf.execute(Query.make("SELECT slow()").pipe(Query.timeout("2 seconds")))
      )
      assert.strictEqual(error._tag, "QueryTimeout")
      const abort = server.requests.find((r) => r.path === `/queries/${QUERY_ID}/abort-request`)
      assert.isDefined(abort)
      assert.strictEqual(abort!.method, "POST")
    })
  )

  it.scopedLive("interrupting before a query id is known aborts by requestId", () =>
    Effect.gen(function* () {
      const server = yield* gsServer((request) =>
        request.path === "/queries/v1/abort-request" ? { body: TestServer.envelope(null) } : "hang"
      )
      const sf = yield* clientFor(server.url)
      const fiber = yield* Effect.fork(sf.execute("SELECT slow()"))
      while (!server.requests.some((r) => r.path === "/queries/v1/query-request"))
        yield* Effect.sleep("10 millis")
      yield* Fiber.interrupt(fiber)
      const post = server.requests.find((r) => r.path === "/queries/v1/query-request")!
      const abort = server.requests.find((r) => r.path === "/queries/v1/abort-request")
      assert.isDefined(abort)
      assert.deepStrictEqual(JSON.parse(abort!.body), { requestId: post.query.get("requestId") })
    })
  )

  it.scopedLive("many requests hitting 390112 at once run exactly one token-request", () =>
    Effect.gen(function* () {
      let renewed = false
      const server = yield* TestServer.start((request) => {
        if (request.path === "/session/v1/login-request") return { body: login() }
        if (request.path === "/session/token-request") {
          renewed = true
          return {
            body: TestServer.envelope({
              sessionToken: "SESSION-TOKEN-2",
              validityInSecondsST: 3600,
              masterToken: "MASTER-TOKEN-2",
              validityInSecondsMT: 14400,
              sessionId: 7
            })
          }
        }
        if (request.path.startsWith("/monitoring/")) {
          const fresh = request.headers.authorization === 'Snowflake Token="SESSION-TOKEN-2"'
          return fresh
            ? { body: TestServer.envelope({ queries: [{ id: QUERY_ID, status: "RUNNING" }] }) }
            : {
                body: JSON.stringify({
                  data: null,
                  code: "390112",
                  message: "Session expired",
                  success: false
                })
              }
        }
        return { body: TestServer.envelope(null) }
      })
      const config = yield* resolved(server.url)
      const transport = Transport.makeWith(config, yield* HttpClient.HttpClient)
      const authenticator = Authenticator.makeWith(
        config,
        yield* FileSystem.FileSystem,
        Authenticator.signWithPem
      )
      const session = yield* Session.make({ config, transport, authenticator })
      yield* session.ensureLoggedIn
      // Eight requests in flight at once on one session, all answered 390112 with the old token.
      const answers = yield* Effect.forEach(
        Array.from({ length: 8 }),
        () => session.request({ method: "GET", path: `/monitoring/queries/${QUERY_ID}` }),
        { concurrency: "unbounded" }
      )
      assert.isTrue(renewed)
      assert.strictEqual(answers.length, 8)
      const monitoring = server.requests.filter((r) => r.path.startsWith("/monitoring/"))
      assert.isAtLeast(
        monitoring.filter((r) => r.headers.authorization?.includes("SESSION-TOKEN-1")).length,
        2
      )
      const renewals = server.requests.filter((r) => r.path === "/session/token-request")
      assert.strictEqual(renewals.length, 1)
      assert.strictEqual(renewals[0]!.headers.authorization, 'Snowflake Token="MASTER-TOKEN-1"')
      assert.deepStrictEqual(JSON.parse(renewals[0]!.body), {
        requestType: "RENEW",
        oldSessionToken: "SESSION-TOKEN-1"
      })
    }).pipe(Effect.provide(Layer.merge(NodeHttpClient.layerUndici, NodeFileSystem.layer)))
  )

  it.scopedLive("no password or token appears in logs (debug level) or errors", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const capture = Logger.make(({ annotations, message }) => {
        lines.push(`${JSON.stringify(message)} ${JSON.stringify([...annotations])}`)
      })
      const server = yield* gsServer((request) =>
        request.path === "/queries/v1/query-request"
          ? {
              body: JSON.stringify({
                data: { sqlState: "42000" },
                code: "001003",
                message: "bad",
                success: false
              })
            }
          : { body: TestServer.envelope(null) }
      )
      const error = yield* Effect.gen(function* () {
        const sf = yield* clientFor(server.url)
        return yield* Effect.flip(sf.execute("SELEC 1"))
      }).pipe(
        Effect.scoped,
        Effect.provide(Logger.replace(Logger.defaultLogger, capture)),
        Logger.withMinimumLogLevel(LogLevel.All)
      )
      assert.strictEqual(error._tag, "QuerySyntaxError")
      const everything = `${lines.join("\n")}\n${JSON.stringify(error)}\n${String(error)}`
      for (const secret of ["hunter2-secret", "SESSION-TOKEN-1", "MASTER-TOKEN-1"]) {
        assert.notInclude(everything, secret)
      }
      // The login request did carry the password: the test would see it if it leaked.
      assert.include(server.requests[0]!.body, "hunter2-secret")
    })
  )
})
