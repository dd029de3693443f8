import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Errors from "../../../src/errors/index.js"
import {
  decodeEnvelope,
  type Envelope,
  parseJson,
  toServerFailure
} from "../../../src/protocol/wire/envelope.js"
import {
  AuthenticatorResponseData,
  LoginFailureData,
  LoginResponseData
} from "../../../src/protocol/wire/login.js"
import { isStillRunning, MonitoringResponseData } from "../../../src/protocol/wire/monitoring.js"
import {
  isInProgress,
  QUERY_IN_PROGRESS,
  QUERY_IN_PROGRESS_ASYNC,
  QueryResponseData,
  SESSION_EXPIRED
} from "../../../src/protocol/wire/query.js"
import { RenewResponseData } from "../../../src/protocol/wire/session.js"
import { fixture, fixtureNames, fixtureText } from "../fixtures.js"

/** Where the envelope lives in each fixture file (some wrap it as `{request, response}`). */
const envelopeOf = (name: string): Envelope => {
  const raw = parseJson(fixtureText(name)) as Record<string, unknown>
  const json = "response" in raw && !("success" in raw) ? raw.response : raw
  const decoded = decodeEnvelope(json)
  if (Either.isLeft(decoded)) throw new Error(`${name}: ${decoded.left}`)
  return decoded.right
}

const decodeData = <A, I>(schema: Schema.Schema<A, I>, envelope: Envelope): A =>
  Schema.decodeUnknownSync(schema)(envelope.data)

/** Files that are not GS envelopes at all: chunk bodies, raw request bodies, OAuth IdP answers, HTTP 400 text. */
const notEnvelopes = new Set([
  "chunk-download-response-gzip.python-wiremock.json",
  "chunk-download-response-json.nodejs-wiremock.json",
  "login-request.nodejs-unitmock.json",
  "oauth-token-request-refresh-success.nodejs-wiremock.json",
  "query-request-with-bindings.nodejs-unitmock.json",
  "result-get-not-uuid-400.nodejs-unitmock.json",
  "token-renew-request-body.nodejs-wiremock.json",
  "type-encodings.ASSEMBLED-not-a-capture.json"
])

/** Expected error class of every failure fixture, through `toServerFailure` + `fromServerFailure`. */
const expectedError: Record<
  string,
  { readonly tag: string; readonly code: string; readonly retryable: boolean }
> = {
  "abort-request-not-executing-000605.nodejs-unitmock.json": {
    tag: "QueryExecutionError",
    code: "000605",
    retryable: false
  },
  "authenticator-request-error-390511.nodejs-wiremock.json": {
    tag: "OAuthError",
    code: "390511",
    retryable: false
  },
  "error-canceled-000604.nodejs-unitmock.json": { tag: "QueryCancelled", code: "000604", retryable: false },
  "error-session-expired-390112.nodejs-wiremock.json": {
    tag: "ExpiredToken",
    code: "390112",
    retryable: false
  },
  "error-syntax-001003-on-result-get.nodejs-unitmock.json": {
    tag: "QuerySyntaxError",
    code: "001003",
    retryable: false
  },
  "error-syntax-001003.nodejs-unitmock.json": { tag: "QuerySyntaxError", code: "001003", retryable: false },
  "error-too-many-concurrent-000610.nodejs-unitmock.json": {
    tag: "QueryExecutionError",
    code: "000610",
    retryable: true
  },
  "login-failure-390100.gosnowflake-wiremock.json": {
    tag: "InvalidCredentials",
    code: "390100",
    retryable: false
  },
  "login-failure-390422.gosnowflake-wiremock.json": {
    tag: "InvalidCredentials",
    code: "390422",
    retryable: false
  },
  "login-failure-jwt-390144.python-wiremock.json": {
    tag: "InvalidCredentials",
    code: "390144",
    retryable: false
  },
  "login-failure-oauth-expired-390318.python-wiremock.json": {
    tag: "ExpiredToken",
    code: "390318",
    retryable: false
  },
  "login-failure-oauth-invalid-390303.python-wiremock.json": {
    tag: "InvalidCredentials",
    code: "390303",
    retryable: false
  },
  "login-failure-pat-394400.nodejs-wiremock.json": {
    tag: "InvalidCredentials",
    code: "394400",
    retryable: false
  },
  "query-failure-200001-with-querycontext.nodejs-wiremock.json": {
    tag: "DataError",
    code: "200001",
    retryable: false
  },
  "session-delete-gone-390111.nodejs-unitmock.json": {
    tag: "SessionClosed",
    code: "390111",
    retryable: false
  }
}

describe("fixtures", () => {
  it("every fixture is either an envelope or listed as not one", () => {
    const names = fixtureNames()
    assert.isAbove(names.length, 40)
    for (const name of names) {
      if (notEnvelopes.has(name)) continue
      const envelope = envelopeOf(name)
      assert.isBoolean(envelope.success, name)
    }
  })

  it("every failure envelope maps to the expected error class", () => {
    for (const name of fixtureNames()) {
      if (notEnvelopes.has(name)) continue
      const envelope = envelopeOf(name)
      if (envelope.success) {
        assert.isUndefined(expectedError[name], `${name} is a success envelope`)
        continue
      }
      const expected = expectedError[name]
      assert.isDefined(expected, `no expectation for failure fixture ${name}`)
      const error = Errors.fromServerFailure(toServerFailure(envelope))
      assert.strictEqual(error._tag, expected!.tag, name)
      assert.strictEqual(error.code, expected!.code, name)
      assert.strictEqual(error.retryable, expected!.retryable, name)
      assert.strictEqual(error.message, envelope.message, name)
    }
  })

  it("failure details come from data: sqlState and queryId", () => {
    const error = Errors.fromServerFailure(
      toServerFailure(envelopeOf("error-syntax-001003.nodejs-unitmock.json"))
    )
    assert.strictEqual(error.sqlState, "42000")
    assert.strictEqual(error.queryId, "13f12818-de4c-41d2-bf19-f115ee8a5cc1")
    const cancelled = Errors.fromServerFailure(
      toServerFailure(envelopeOf("error-canceled-000604.nodejs-unitmock.json"))
    )
    assert.strictEqual(cancelled.sqlState, "57014")
  })

  describe("login", () => {
    for (const name of [
      "login-success.gosnowflake-wiremock.json",
      "login-success.nodejs-wiremock.json",
      "login-success-oauth.python-wiremock.json",
      "login-success-with-format-params.nodejs-unitmock.json"
    ]) {
      it(name, () => {
        const envelope = envelopeOf(name)
        assert.isTrue(envelope.success)
        const data = decodeData(LoginResponseData, envelope)
        assert.isString(data.token)
        assert.isString(data.masterToken)
        assert.isNumber(data.sessionId)
        assert.isAbove(data.validityInSeconds, 0)
        assert.isAbove(data.masterValidityInSeconds, data.validityInSeconds)
      })
    }

    it("keeps sessionInfo and parameters", () => {
      const data = decodeData(LoginResponseData, envelopeOf("login-success.gosnowflake-wiremock.json"))
      assert.strictEqual(data.sessionId, 1172562260498)
      assert.deepStrictEqual(data.sessionInfo, {
        databaseName: "TEST_DB",
        schemaName: "TEST_GO",
        warehouseName: "TEST_XSMALL",
        roleName: "ANALYST"
      })
      assert.deepStrictEqual(data.parameters, [{ name: "CLIENT_PREFETCH_THREADS", value: 4 }])
    })

    it("null sessionInfo values become absent", () => {
      const data = decodeData(LoginResponseData, envelopeOf("login-success-oauth.python-wiremock.json"))
      assert.deepStrictEqual(data.sessionInfo, { warehouseName: "TEST", roleName: "ACCOUNTADMIN" })
    })

    it("string sessionId of the old Node mock becomes a number", () => {
      const data = decodeData(
        LoginResponseData,
        envelopeOf("login-success-with-format-params.nodejs-unitmock.json")
      )
      assert.strictEqual(data.sessionId, 51539800306)
    })

    it("login failure data", () => {
      const data = decodeData(LoginFailureData, envelopeOf("login-failure-pat-394400.nodejs-wiremock.json"))
      assert.deepStrictEqual(data, { nextAction: "RETRY_LOGIN", authnMethod: "PAT" })
    })

    it("authenticator-request", () => {
      const data = decodeData(
        AuthenticatorResponseData,
        envelopeOf("authenticator-request-success.nodejs-wiremock.json")
      )
      assert.strictEqual(data.proofKey, "proof-key-123")
    })

    it("the Node login request body has the fields our type names", () => {
      const request = fixture("login-request.nodejs-unitmock.json") as {
        body: { data: Record<string, unknown> }
      }
      for (const key of ["ACCOUNT_NAME", "AUTHENTICATOR", "LOGIN_NAME", "PASSWORD", "CLIENT_APP_ID"]) {
        assert.property(request.body.data, key)
      }
    })
  })

  describe("renew", () => {
    it("decodes the ST/MT spelling", () => {
      const data = decodeData(RenewResponseData, envelopeOf("token-renew-success.nodejs-wiremock.json"))
      assert.deepStrictEqual(data, {
        sessionToken: "new-session-token",
        validityInSeconds: 3600,
        masterToken: "new-master-token",
        masterValidityInSeconds: 14400,
        sessionId: 1172562260498
      })
    })

    it("decodes the login spelling", () => {
      const data = Schema.decodeUnknownSync(RenewResponseData)({
        token: "t",
        validityInSeconds: 10,
        masterToken: "m",
        masterValidityInSeconds: 20,
        sessionId: 5
      })
      assert.deepStrictEqual(data, {
        sessionToken: "t",
        validityInSeconds: 10,
        masterToken: "m",
        masterValidityInSeconds: 20,
        sessionId: 5
      })
    })

    it("rejects an answer without a session token", () => {
      const result = Schema.decodeUnknownEither(RenewResponseData)({
        masterToken: "m",
        validityInSeconds: 1,
        masterValidityInSeconds: 2
      })
      assert.isTrue(Either.isLeft(result))
    })

    it("the request body fixture matches our request shape", () => {
      assert.deepStrictEqual(fixture("token-renew-request-body.nodejs-wiremock.json"), {
        requestType: "RENEW",
        oldSessionToken: "session token"
      })
    })
  })

  describe("query", () => {
    for (const name of [
      "query-success-select1.gosnowflake-wiremock.json",
      "query-success-select1-after-renew.nodejs-wiremock.json",
      "query-success-boolean-date-fixed.nodejs-unitmock.json",
      "query-success-multichunk.python-wiremock.json",
      "query-chunks-minimal.nodejs-wiremock.json",
      "query-in-progress-333333.nodejs-wiremock.json",
      "async-in-progress-333334.gosnowflake-wiremock.json",
      "error-syntax-001003.nodejs-unitmock.json",
      "error-syntax-001003-on-result-get.nodejs-unitmock.json",
      "error-canceled-000604.nodejs-unitmock.json",
      "query-failure-200001-with-querycontext.nodejs-wiremock.json",
      "put-upload-s3-encrypted.nodejs-wiremock.json",
      "put-upload-gcs-token.nodejs-wiremock.json"
    ]) {
      it(name, () => {
        const envelope = envelopeOf(name)
        const data = decodeData(QueryResponseData, envelope)
        assert.isObject(data)
      })
    }

    it("select 1: rowtype, rowset and counts", () => {
      const data = decodeData(
        QueryResponseData,
        envelopeOf("query-success-select1.gosnowflake-wiremock.json")
      )
      assert.deepStrictEqual(data.rowset, [["1"]])
      assert.strictEqual(data.rowtype?.[0]?.type, "fixed")
      assert.strictEqual(data.rowtype?.[0]?.precision, 1)
      assert.strictEqual(data.total, 1)
      assert.strictEqual(data.returned, 1)
      assert.strictEqual(data.statementTypeId, 4096)
      assert.strictEqual(data.version, 1)
      assert.isAbove(data.parameters?.length ?? 0, 20)
    })

    it("multichunk: chunks, headers, qrmk", () => {
      const data = decodeData(QueryResponseData, envelopeOf("query-success-multichunk.python-wiremock.json"))
      assert.strictEqual(data.chunks?.length, 2)
      assert.strictEqual(data.chunks?.[0]?.rowCount, 4096)
      assert.strictEqual(data.chunks?.[0]?.compressedSize, 326422)
      assert.strictEqual(data.rowtype?.length, 10)
      assert.isString(data.chunkHeaders?.["x-amz-server-side-encryption-customer-key"])
      assert.isString(data.qrmk)
      assert.strictEqual(data.total, 50000)
    })

    it("chunks without sizes", () => {
      const data = decodeData(QueryResponseData, envelopeOf("query-chunks-minimal.nodejs-wiremock.json"))
      assert.deepStrictEqual(data.chunks, [{ url: "{{ chunkUrl }}", rowCount: 10 }])
      assert.deepStrictEqual(data.chunkHeaders, {})
    })

    it("in-progress codes", () => {
      const sync = envelopeOf("query-in-progress-333333.nodejs-wiremock.json")
      assert.strictEqual(sync.code, QUERY_IN_PROGRESS)
      assert.isTrue(isInProgress(sync.code))
      assert.strictEqual(
        decodeData(QueryResponseData, sync).getResultUrl,
        "/queries/01baf79b-0108-1a60-0000-01110354a6ce/result"
      )
      const async = envelopeOf("async-in-progress-333334.gosnowflake-wiremock.json")
      assert.strictEqual(async.code, QUERY_IN_PROGRESS_ASYNC)
      const asyncData = decodeData(QueryResponseData, async)
      assert.strictEqual(asyncData.queryAbortsAfterSecs, 300)
      assert.isUndefined(asyncData.progressDesc)
      assert.strictEqual(
        envelopeOf("error-session-expired-390112.nodejs-wiremock.json").code,
        SESSION_EXPIRED
      )
    })

    it("compilation error details", () => {
      const data = decodeData(QueryResponseData, envelopeOf("error-syntax-001003.nodejs-unitmock.json"))
      assert.strictEqual(data.errorCode, "001003")
      assert.strictEqual(data.sqlState, "42000")
      assert.strictEqual(data.line, -1)
      assert.strictEqual(data.type, "COMPILATION")
    })

    it("query context entries", () => {
      const data = decodeData(
        QueryResponseData,
        envelopeOf("query-failure-200001-with-querycontext.nodejs-wiremock.json")
      )
      assert.strictEqual(data.queryContext?.entries?.length, 2)
      assert.strictEqual(data.queryContext?.entries?.[0]?.timestamp, 1775206502642407)
      assert.isUndefined(data.queryContext?.entries?.[1]?.context)
    })

    it("smkId beyond 2^53 is kept exact", () => {
      const envelope = envelopeOf("put-upload-s3-encrypted.nodejs-wiremock.json")
      const material = (envelope.data as { encryptionMaterial: { smkId: unknown } }).encryptionMaterial
      assert.strictEqual(material.smkId, "900719925474099333")
    })
  })

  describe("monitoring", () => {
    it("success / running / failed / restarted", () => {
      const status = (name: string) => decodeData(MonitoringResponseData, envelopeOf(name)).queries[0]?.status
      assert.strictEqual(status("monitoring-success.gosnowflake-wiremock.json"), "SUCCESS")
      assert.strictEqual(status("monitoring-running.gosnowflake-wiremock.json"), "RUNNING")
      assert.strictEqual(status("monitoring-failed.gosnowflake-wiremock.json"), "FAILED_WITH_ERROR")
      assert.strictEqual(status("monitoring-restarted.nodejs-unitmock.json"), "RESTARTED")
      const running = decodeData(
        MonitoringResponseData,
        envelopeOf("monitoring-running.gosnowflake-wiremock.json")
      )
      assert.strictEqual(running.queries[0]?.state, "FILE_SET_INITIALIZATION")
      assert.strictEqual(running.queries[0]?.id, "mock-query-id-12345")
      assert.isTrue(isStillRunning(running.queries[0]!.status))
    })

    it("data:null means no queries", () => {
      assert.deepStrictEqual(Schema.decodeUnknownSync(MonitoringResponseData)({ queries: null }), {
        queries: []
      })
    })
  })

  it("success envelopes without data decode (heartbeat, logout, telemetry)", () => {
    for (const name of [
      "heartbeat-success.nodejs-unitmock.json",
      "session-delete-success.nodejs-wiremock.json",
      "telemetry-send-success.nodejs-wiremock.json"
    ]) {
      const envelope = envelopeOf(name)
      assert.isTrue(envelope.success)
      assert.isNull(envelope.data)
      assert.isNull(envelope.code)
    }
  })
})
