import { createHash, generateKeyPairSync, sign } from "node:crypto"
import { gzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { makeServer } from "../../../src/emulator/server/server.js"
import { makeEngineDouble } from "./engineDouble.js"
import { call, fetchChunk, gunzipRows, login, query, queryToEnd } from "./wire.js"

const start = (options: Parameters<typeof makeServer>[1] = {}) => {
  const engine = makeEngineDouble()
  return Effect.map(makeServer(engine, { longPollSeconds: 5, ...options }), (server) => ({ server, engine }))
}

const param = (data: Record<string, unknown>, name: string) =>
  (data.parameters as Array<{ name: string; value: unknown }>).find((p) => p.name === name)?.value

describe("emulator server (engine double)", () => {
  it.scopedLive("logs in and answers a query with the full response shape", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url)
      assert.strictEqual(typeof session.sessionId, "number")
      assert.isString(session.masterToken)
      const answer = yield* query(server.url, session.token, { sqlText: "select 1" })
      assert.strictEqual(answer.status, 200)
      assert.strictEqual(answer.json.success, true)
      assert.strictEqual(answer.json.code, null)
      const data = answer.json.data!
      assert.deepStrictEqual(data.rowset, [["1"]])
      assert.strictEqual(data.total, 1)
      assert.strictEqual(data.returned, 1)
      assert.strictEqual(data.version, 1)
      assert.strictEqual(data.statementTypeId, 4096)
      assert.strictEqual(data.queryResultFormat, "json")
      assert.match(data.queryId as string, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      assert.strictEqual(param(data, "BINARY_OUTPUT_FORMAT"), "HEX")
      assert.strictEqual(param(data, "TIMEZONE"), "America/Los_Angeles")
      assert.strictEqual((data.rowtype as Array<{ type: string }>)[0]!.type, "fixed")
    })
  )

  it.scopedLive("session parameters from login and ALTER SESSION show in later responses", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url, {
        LOGIN_NAME: "u",
        PASSWORD: "p",
        SESSION_PARAMETERS: { JS_TREAT_INTEGER_AS_BIGINT: true }
      })
      const altered = yield* query(server.url, session.token, {
        sqlText: "ALTER SESSION SET TIMEZONE = 'UTC', QUERY_TAG='nightly'"
      })
      assert.strictEqual(altered.json.success, true)
      const answer = yield* query(server.url, session.token, { sqlText: "select 1" })
      assert.strictEqual(param(answer.json.data!, "TIMEZONE"), "UTC")
      assert.strictEqual(param(answer.json.data!, "JS_TREAT_INTEGER_AS_BIGINT"), true)
      const entry = server.history().find((h) => h.sqlText === "select 1")
      assert.strictEqual(entry?.queryTag, "nightly")
      assert.strictEqual(entry?.status, "SUCCESS")
    })
  )

  it.scopedLive("accepts a gzip request body", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url)
      const answer = yield* Effect.promise(() =>
        fetch(`${server.url}/queries/v1/query-request?requestId=${crypto.randomUUID()}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "content-encoding": "gzip",
            authorization: `Snowflake Token="${session.token}"`
          },
          body: gzipSync(JSON.stringify({ sqlText: "select 1" }))
        }).then((r) => r.json() as Promise<{ data: { rowset: unknown } }>)
      )
      assert.deepStrictEqual(answer.data.rowset, [["1"]])
    })
  )

  it.scopedLive("serves big results as an inline part plus gzip chunks that need their key header", () =>
    Effect.gen(function* () {
      const { server } = yield* start({ chunkRows: 10, inlineRows: 3 })
      const session = yield* login(server.url)
      const data = (yield* query(server.url, session.token, { sqlText: "rows 35" })).json.data!
      assert.strictEqual(data.total, 35)
      assert.strictEqual(data.returned, 35)
      assert.strictEqual((data.rowset as Array<unknown>).length, 3)
      const chunks = data.chunks as Array<{ url: string; rowCount: number; compressedSize: number }>
      assert.deepStrictEqual(
        chunks.map((c) => c.rowCount),
        [10, 10, 10, 2]
      )
      const headers = data.chunkHeaders as Record<string, string>
      const rows = [...(data.rowset as Array<Array<string>>)]
      for (const chunk of chunks) {
        const got = yield* fetchChunk(chunk.url, headers)
        assert.strictEqual(got.status, 200)
        assert.strictEqual(got.headers["content-encoding"], "gzip")
        assert.strictEqual(got.body.length, chunk.compressedSize)
        rows.push(...(gunzipRows(got.body) as Array<Array<string>>))
      }
      assert.deepStrictEqual(
        rows.map((r) => r[0]),
        Array.from({ length: 35 }, (_, i) => String(i))
      )
      const denied = yield* fetchChunk(chunks[0]!.url, {})
      assert.strictEqual(denied.status, 403)
    })
  )

  it.scopedLive("a repeated requestId returns the first answer and never executes again", () =>
    Effect.gen(function* () {
      const { server, engine } = yield* start()
      const session = yield* login(server.url)
      const requestId = crypto.randomUUID()
      const first = yield* query(server.url, session.token, { sqlText: "insert" }, requestId)
      const second = yield* query(server.url, session.token, { sqlText: "insert" }, requestId)
      assert.strictEqual(engine.executions.get("insert"), 1)
      assert.strictEqual(second.json.data!.queryId, first.json.data!.queryId)
      assert.deepStrictEqual(first.json.data!.stats, {
        numRowsInserted: 1,
        numRowsDeleted: 0,
        numRowsUpdated: 0,
        numDmlDuplicates: 0
      })
    })
  )

  it.scopedLive("async queries move from RUNNING to SUCCESS and are fetched by id", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url)
      const submitted = yield* query(server.url, session.token, { sqlText: "sleep 400", asyncExec: true })
      assert.strictEqual(submitted.json.code, "333334")
      const id = submitted.json.data!.queryId as string
      const running = yield* call(`${server.url}/monitoring/queries/${id}`, { token: session.token })
      const entry = (running.json.data!.queries as Array<{ id: string; status: string }>)[0]!
      assert.strictEqual(entry.id, id)
      assert.strictEqual(entry.status, "RUNNING")
      const result = yield* call(`${server.url}/queries/${id}/result`, { token: session.token })
      assert.deepStrictEqual(result.json.data!.rowset, [["400"]])
      const done = yield* call(`${server.url}/monitoring/queries/${id}`, { token: session.token })
      assert.strictEqual((done.json.data!.queries as Array<{ status: string }>)[0]!.status, "SUCCESS")
      const unknown = yield* call(`${server.url}/monitoring/queries/${crypto.randomUUID()}`, {
        token: session.token
      })
      assert.deepStrictEqual(unknown.json.data!.queries, [])
    })
  )

  it.scopedLive("a sync query longer than the long-poll answers 333333 and is followed to the end", () =>
    Effect.gen(function* () {
      const { server } = yield* start({ longPollSeconds: 0.1 })
      const session = yield* login(server.url)
      const first = yield* query(server.url, session.token, { sqlText: "sleep 500" })
      assert.strictEqual(first.json.code, "333333")
      assert.strictEqual(first.json.data!.getResultUrl, `/queries/${first.json.data!.queryId}/result`)
      const final = yield* queryToEnd(server.url, session.token, { sqlText: "sleep 300" })
      assert.deepStrictEqual(final.json.data!.rowset, [["300"]])
    })
  )

  it.scopedLive("abort interrupts a running query, which ends with 000604; a second abort gets 000605", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url)
      const submitted = yield* query(server.url, session.token, { sqlText: "sleep 60000", asyncExec: true })
      const id = submitted.json.data!.queryId as string
      const aborted = yield* call(`${server.url}/queries/${id}/abort-request`, {
        token: session.token,
        body: {}
      })
      assert.strictEqual(aborted.json.success, true)
      const result = yield* call(`${server.url}/queries/${id}/result`, { token: session.token })
      assert.strictEqual(result.json.code, "000604")
      assert.strictEqual(result.json.data!.sqlState, "57014")
      const status = yield* call(`${server.url}/monitoring/queries/${id}`, { token: session.token })
      assert.strictEqual((status.json.data!.queries as Array<{ status: string }>)[0]!.status, "ABORTED")
      const again = yield* call(`${server.url}/queries/${id}/abort-request`, {
        token: session.token,
        body: {}
      })
      assert.strictEqual(again.json.success, false)
      assert.strictEqual(again.json.code, "000605")
      assert.strictEqual(again.json.data!.sqlState, "01000")
    })
  )

  it.scopedLive("abort by requestId finds the pending query", () =>
    Effect.gen(function* () {
      const { server } = yield* start({ longPollSeconds: 0.05 })
      const session = yield* login(server.url)
      const requestId = crypto.randomUUID()
      yield* query(server.url, session.token, { sqlText: "sleep 60000" }, requestId)
      const aborted = yield* call(`${server.url}/queries/v1/abort-request`, {
        token: session.token,
        body: { requestId }
      })
      assert.strictEqual(aborted.json.success, true)
    })
  )

  it.scopedLive("STATEMENT_TIMEOUT_IN_SECONDS cancels with 000630", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url)
      yield* query(server.url, session.token, {
        sqlText: "alter session set STATEMENT_TIMEOUT_IN_SECONDS = 1"
      })
      const answer = yield* queryToEnd(server.url, session.token, { sqlText: "sleep 60000" })
      assert.strictEqual(answer.json.code, "000630")
      assert.strictEqual(answer.json.data!.sqlState, "57014")
    })
  )

  it.scopedLive("SQL errors carry code, data.sqlState, data.queryId, line and pos", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url)
      const answer = yield* query(server.url, session.token, { sqlText: "bad" })
      assert.strictEqual(answer.json.success, false)
      assert.strictEqual(answer.json.code, "001003")
      assert.strictEqual(answer.json.data!.sqlState, "42000")
      assert.strictEqual(answer.json.data!.line, 1)
      assert.isString(answer.json.data!.queryId)
    })
  )

  it.scopedLive("multi-statement needs MULTI_STATEMENT_COUNT and answers with child result ids", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url)
      const refused = yield* query(server.url, session.token, { sqlText: "select 1; rows 2" })
      assert.strictEqual(refused.json.code, "000008")
      assert.strictEqual(refused.json.data!.sqlState, "0A000")
      const parent = yield* query(server.url, session.token, {
        sqlText: "select 1; rows 2",
        parameters: { MULTI_STATEMENT_COUNT: 2 }
      })
      assert.strictEqual(parent.json.data!.statementTypeId, 40960)
      const ids = (parent.json.data!.resultIds as string).split(",")
      assert.strictEqual(ids.length, 2)
      assert.strictEqual(parent.json.data!.resultTypes, "4096,4096")
      const second = yield* call(`${server.url}/queries/${ids[1]}/result`, { token: session.token })
      assert.deepStrictEqual(second.json.data!.rowset, [
        ["0", "row0"],
        ["1", "row1"]
      ])
      assert.strictEqual(param(second.json.data!, "BINARY_OUTPUT_FORMAT"), "HEX")
    })
  )

  it.scopedLive("describeOnly answers columns and no rows", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url)
      const answer = yield* query(server.url, session.token, {
        sqlText: "select ?",
        describeOnly: true,
        bindings: { "1": { type: "TEXT", value: "x" } }
      })
      assert.deepStrictEqual(answer.json.data!.rowset, [])
      assert.strictEqual(answer.json.data!.total, 0)
      assert.strictEqual(answer.json.data!.numberOfBinds, 1)
      const bound = yield* query(server.url, session.token, {
        sqlText: "select ?",
        bindings: { "1": { type: "TEXT", value: "x" } }
      })
      assert.deepStrictEqual(bound.json.data!.rowset, [["x"]])
    })
  )

  it.scopedLive("expired session → 390112, renewal issues new tokens, unknown token → 401 390104", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url)
      yield* server.faults.inject({ route: "query", kind: { _tag: "expireSession" } })
      const expired = yield* query(server.url, session.token, { sqlText: "select 1" })
      assert.strictEqual(expired.json.code, "390112")
      const renewed = yield* call(`${server.url}/session/token-request`, {
        token: session.masterToken,
        body: { requestType: "RENEW", oldSessionToken: session.token }
      })
      const data = renewed.json.data!
      assert.strictEqual(data.sessionId, session.sessionId)
      assert.notStrictEqual(data.sessionToken, session.token)
      const again = yield* query(server.url, data.sessionToken as string, { sqlText: "select 1" })
      assert.deepStrictEqual(again.json.data!.rowset, [["1"]])
      const unknown = yield* query(server.url, "nope", { sqlText: "select 1" })
      assert.strictEqual(unknown.status, 401)
      assert.strictEqual(unknown.json.code, "390104")
      const logout = yield* call(`${server.url}/session?delete=true`, {
        token: data.sessionToken as string,
        body: {}
      })
      assert.strictEqual(logout.json.success, true)
      const afterLogout = yield* query(server.url, data.sessionToken as string, { sqlText: "select 1" })
      assert.strictEqual(afterLogout.json.code, "390104")
    })
  )

  it.scopedLive("renewal with an expired master token answers 390114", () =>
    Effect.gen(function* () {
      const { server } = yield* start({ sessionValiditySeconds: 0, masterValiditySeconds: 0 })
      const session = yield* login(server.url)
      const expired = yield* query(server.url, session.token, { sqlText: "select 1" })
      assert.strictEqual(expired.json.code, "390112")
      const renewed = yield* call(`${server.url}/session/token-request`, {
        token: session.masterToken,
        body: { requestType: "RENEW", oldSessionToken: session.token }
      })
      assert.strictEqual(renewed.json.code, "390114")
    })
  )

  it.scopedLive("renewal with a master token it never issued answers 390113", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url)
      const renewed = yield* call(`${server.url}/session/token-request`, {
        token: "ver:1-hint:1-ETMsMasterUnknown",
        body: { requestType: "RENEW", oldSessionToken: session.token }
      })
      assert.strictEqual(renewed.json.code, "390113")
      assert.strictEqual(renewed.json.success, false)
    })
  )
})

describe("emulator server faults", () => {
  it.scopedLive("status faults answer with the status and Retry-After, then pass", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const session = yield* login(server.url)
      yield* server.faults.inject({
        route: "query",
        times: 2,
        kind: { _tag: "status", status: 503, retryAfterSeconds: 2 }
      })
      const first = yield* query(server.url, session.token, { sqlText: "select 1" })
      const second = yield* query(server.url, session.token, { sqlText: "select 1" })
      const third = yield* query(server.url, session.token, { sqlText: "select 1" })
      assert.strictEqual(first.status, 503)
      assert.strictEqual(first.headers.get("retry-after"), "2")
      assert.strictEqual(second.status, 503)
      assert.strictEqual(third.status, 200)
    })
  )

  it.scopedLive("dropAfterExecute runs the statement once; the retry gets the stored answer", () =>
    Effect.gen(function* () {
      const { server, engine } = yield* start()
      const session = yield* login(server.url)
      yield* server.faults.inject({ route: "query", kind: { _tag: "dropAfterExecute" } })
      const requestId = crypto.randomUUID()
      const dropped = yield* Effect.either(
        Effect.tryPromise(() =>
          fetch(`${server.url}/queries/v1/query-request?requestId=${requestId}`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              authorization: `Snowflake Token="${session.token}"`
            },
            body: JSON.stringify({ sqlText: "insert" })
          })
        )
      )
      assert.strictEqual(dropped._tag, "Left")
      const retried = yield* query(server.url, session.token, { sqlText: "insert" }, requestId)
      assert.strictEqual(retried.json.success, true)
      assert.strictEqual(engine.executions.get("insert"), 1)
    })
  )

  it.scopedLive("drop and truncate break the exchange; the admin endpoint arms and clears rules", () =>
    Effect.gen(function* () {
      const { server } = yield* start()
      const armed = yield* call(`${server.url}/__emulator/faults`, { body: { route: "login", kind: "drop" } })
      assert.strictEqual(armed.status, 200)
      const dropped = yield* Effect.either(
        Effect.tryPromise(() =>
          fetch(`${server.url}/session/v1/login-request`, { method: "POST", body: "{}" })
        )
      )
      assert.strictEqual(dropped._tag, "Left")
      yield* call(`${server.url}/__emulator/faults`, { body: { route: "login", kind: "truncate" } })
      const truncated = yield* Effect.either(
        Effect.tryPromise(() =>
          fetch(`${server.url}/session/v1/login-request`, { method: "POST", body: "{}" }).then((r) =>
            r.json()
          )
        )
      )
      assert.strictEqual(truncated._tag, "Left")
      yield* call(`${server.url}/__emulator/faults`, {
        body: { route: "any", kind: "status", status: 500, times: 5 }
      })
      assert.strictEqual((yield* server.faults.pending).length, 1)
      yield* call(`${server.url}/__emulator/faults`, { method: "DELETE" })
      assert.strictEqual((yield* server.faults.pending).length, 0)
      yield* login(server.url)
    })
  )
})

describe("emulator login with configured users", () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString()
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 })
  const users = [
    { name: "alice", password: "secret", publicKeys: [publicPem], oauthTokens: ["oauth-1"], pats: ["pat-1"] }
  ]
  const jwt = (key: typeof privateKey, pub: typeof publicKey, expMillis: number) => {
    const fp = createHash("sha256")
      .update(pub.export({ type: "spki", format: "der" }))
      .digest("base64")
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url")
    const input = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({
      iss: `EMULATOR.ALICE.SHA256:${fp}`,
      sub: "EMULATOR.ALICE",
      iat: expMillis - 120_000,
      exp: expMillis
    })}`
    return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`
  }
  const attempt = (url: string, data: Record<string, unknown>) =>
    Effect.map(call(`${url}/session/v1/login-request`, { body: { data } }), (a) => a.json)

  it.scopedLive(
    "password, key pair (ms and s expiry), OAuth and PAT succeed; wrong ones get their codes",
    () =>
      Effect.gen(function* () {
        const { server } = yield* start({ users })
        const now = Date.now()
        assert.isTrue((yield* attempt(server.url, { LOGIN_NAME: "ALICE", PASSWORD: "secret" })).success)
        const bad = yield* attempt(server.url, { LOGIN_NAME: "alice", PASSWORD: "nope" })
        assert.strictEqual(bad.code, "390100")
        assert.strictEqual(bad.message, "Incorrect username or password was specified.")
        const jwtOk = yield* attempt(server.url, {
          LOGIN_NAME: "alice",
          AUTHENTICATOR: "SNOWFLAKE_JWT",
          TOKEN: jwt(privateKey, publicKey, now + 120_000)
        })
        assert.isTrue(jwtOk.success)
        const jwtSeconds = yield* attempt(server.url, {
          LOGIN_NAME: "alice",
          AUTHENTICATOR: "SNOWFLAKE_JWT",
          TOKEN: jwt(privateKey, publicKey, now + 120_000).replace(/^([^.]+)\.[^.]+\.(.+)$/, "$1.x.$2")
        })
        assert.strictEqual(jwtSeconds.code, "390144")
        const wrongKey = yield* attempt(server.url, {
          LOGIN_NAME: "alice",
          AUTHENTICATOR: "SNOWFLAKE_JWT",
          TOKEN: jwt(other.privateKey, other.publicKey, now + 120_000)
        })
        assert.strictEqual(wrongKey.code, "390144")
        const expiredJwt = yield* attempt(server.url, {
          LOGIN_NAME: "alice",
          AUTHENTICATOR: "SNOWFLAKE_JWT",
          TOKEN: jwt(privateKey, publicKey, Math.floor((now - 1000) / 1000))
        })
        assert.strictEqual(expiredJwt.code, "390144")
        assert.isTrue((yield* attempt(server.url, { AUTHENTICATOR: "OAUTH", TOKEN: "oauth-1" })).success)
        assert.strictEqual(
          (yield* attempt(server.url, { AUTHENTICATOR: "OAUTH", TOKEN: "x" })).code,
          "390303"
        )
        assert.isTrue(
          (yield* attempt(server.url, {
            LOGIN_NAME: "alice",
            AUTHENTICATOR: "PROGRAMMATIC_ACCESS_TOKEN",
            TOKEN: "pat-1"
          })).success
        )
        const badPat = yield* attempt(server.url, {
          LOGIN_NAME: "alice",
          AUTHENTICATOR: "PROGRAMMATIC_ACCESS_TOKEN",
          TOKEN: "x"
        })
        assert.strictEqual(badPat.code, "394400")
      })
  )
})

describe("emulator server: storage requests", () => {
  it.scopedLive("a storage handler that dies is answered 500, and the server keeps serving", () =>
    Effect.gen(function* () {
      const engine = makeEngineDouble()
      const server = yield* makeServer(
        engine,
        {},
        {
          storage: (request) =>
            request.path.startsWith("/storage/") ? Effect.die(new Error("handler bug")) : undefined
        }
      )
      const answer = yield* Effect.promise(() =>
        fetch(`${server.url}/storage/x`, { signal: AbortSignal.timeout(5000) })
      )
      assert.strictEqual(answer.status, 500)
      const session = yield* login(server.url)
      const after = yield* query(server.url, session.token, { sqlText: "select 1" })
      assert.strictEqual(after.status, 200)
    })
  )
})
