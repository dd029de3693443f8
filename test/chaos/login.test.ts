/**
 * Fault matrix — login path: faults on /session/v1/login-request under execute.
 * Cases that fail today because of a client bug are `it.fails` with the number.
 */
import { inspect } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { Query, type Snowflake } from "../../src/index.js"
import { passphrases, passwords, registerSecret, tokens } from "../support/secrets.js"
import {
  bounded,
  client,
  emulatorAndProxy,
  emulatorOptions,
  fastRetry,
  paths,
  USER
} from "./support/harness.js"
import { encryptedPrivatePem, jwtOfLoginBody, publicPem } from "./support/keys.js"

const keyUserOptions = {
  users: [
    ...(emulatorOptions.users ?? []),
    { name: "KEYCHAOS", publicKeys: [publicPem], oauthTokens: [tokens.chaosOauth], pats: [tokens.chaosPat] }
  ],
  longPollSeconds: 1
}

const keyPairAuth: Snowflake.AuthOptions = {
  type: "keypair",
  privateKey: Redacted.make(encryptedPrivatePem),
  passphrase: Redacted.make(passphrases.chaosKey)
}

describe("fault matrix: login", () => {
  it.live("429 Retry-After: 30 on login × execute with Query.timeout(2 s) → QueryTimeout", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { proxy } = yield* emulatorAndProxy()
        yield* proxy.rule({
          path: paths.login,
          times: Infinity,
          action: { _tag: "status", status: 429, retryAfter: "30" }
        })
        // Retry-After honoured up to 30 s: only the statement's deadline can end the wait in time.
        const { sf } = yield* client({
          accessUrl: proxy.url,
          retry: { ...fastRetry, maxRetryAfter: Duration.seconds(30) }
        })
        const error = yield* bounded(
          "execute under Query.timeout(2 s)",
          Effect.flip(sf.execute(Query.make("SELECT 1").pipe(Query.timeout("2 seconds"))))
        )
        assert.strictEqual(error._tag, "QueryTimeout")
      })
    )
  )

  it.live("503 Retry-After: 3600 once on query × execute → capped by maxDelay, then succeeds", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { proxy } = yield* emulatorAndProxy()
        const { sf } = yield* client({ accessUrl: proxy.url })
        yield* proxy.rule({ path: paths.query, action: { _tag: "status", status: 503, retryAfter: "3600" } })
        const result = yield* bounded(
          "execute after a 503 asking for an hour",
          sf.execute("SELECT 5 AS FIVE")
        )
        assert.strictEqual(Number(result.rows[0]!.FIVE), 5)
        assert.strictEqual(proxy.requestsTo(paths.query).length, 2, "one refused, one retried")
      })
    )
  )

  // A server that keeps answering 503 with many retries allowed: the elapsed budget ends it.
  it.live("503 on every login × execute with unbounded retries → a typed error naming what was retried", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { proxy } = yield* emulatorAndProxy()
        yield* proxy.rule({
          path: paths.login,
          times: Infinity,
          action: { _tag: "status", status: 503, retryAfter: "3600" }
        })
        const { sf } = yield* client({
          accessUrl: proxy.url,
          retry: {
            baseDelay: Duration.millis(5),
            maxDelay: Duration.millis(50),
            maxJitter: 0,
            retries: 1_000_000,
            maxElapsed: Duration.seconds(2)
          }
        })
        const error = yield* bounded(
          "execute against a login that always answers 503",
          Effect.flip(sf.execute("SELECT 1"))
        )
        assert.include(["NetworkError", "ConnectionTimeout"], error._tag)
        assert.match(error.message, /retr/i, "the error says the request was retried")
      })
    )
  )

  it.live("503 once on a key-pair login → the retry carries a freshly signed JWT", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { proxy } = yield* emulatorAndProxy(keyUserOptions)
        yield* proxy.rule({ path: paths.login, action: { _tag: "status", status: 503 } })
        // The JWT's iat is in whole seconds: a back-off over one second makes a re-signed JWT differ.
        const { sf } = yield* client({
          accessUrl: proxy.url,
          user: "KEYCHAOS",
          auth: keyPairAuth,
          retry: { baseDelay: Duration.millis(1100), maxDelay: Duration.seconds(2), maxJitter: 0 }
        })
        const result = yield* bounded(
          "execute after a refused key-pair login",
          sf.execute("SELECT CURRENT_USER() AS WHO")
        )
        assert.strictEqual(result.rows[0]!.WHO, "KEYCHAOS")
        const jwts = proxy.requestsTo(paths.login).map((r) => jwtOfLoginBody(r.body))
        for (const jwt of jwts) registerSecret("a chaos login JWT", jwt.token)
        assert.strictEqual(jwts.length, 2)
        assert.isAbove(jwts[1]!.iat, jwts[0]!.iat, "the retried login signs a new JWT")
      })
    )
  )

  const credentials: ReadonlyArray<readonly [string, string, Snowflake.AuthOptions, ReadonlyArray<string>]> =
    [
      ["password", USER, { type: "password", password: Redacted.make(passwords.chaos) }, [passwords.chaos]],
      ["key pair", "KEYCHAOS", keyPairAuth, [passphrases.chaosKey, "PRIVATE KEY"]],
      ["OAuth", "KEYCHAOS", { type: "oauth", token: Redacted.make(tokens.chaosOauth) }, [tokens.chaosOauth]],
      ["PAT", "KEYCHAOS", { type: "pat", token: Redacted.make(tokens.chaosPat) }, [tokens.chaosPat]]
    ]

  for (const [name, user, auth, secrets] of credentials) {
    it.live(`login connection dropped × ${name} → no secret in String, JSON, inspect or Cause.pretty`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { proxy } = yield* emulatorAndProxy(keyUserOptions)
          yield* proxy.rule({ path: paths.login, times: Infinity, action: { _tag: "drop" } })
          const { sf } = yield* client({ accessUrl: proxy.url, user, auth })
          const error = yield* bounded(
            `execute with ${name} login dropped`,
            Effect.flip(sf.execute("SELECT 1"))
          )
          assert.strictEqual(error._tag, "NetworkError")
          const bodyTokens = proxy
            .requestsTo(paths.login)
            .map((r) => (JSON.parse(r.body) as { data: { TOKEN?: string } }).data.TOKEN)
          const wireSecrets = bodyTokens.filter((t): t is string => t !== undefined)
          for (const token of wireSecrets) registerSecret(`a ${name} login token`, token)
          const renderings = {
            String: String(error),
            JSON: JSON.stringify(error),
            inspect: inspect(error, { depth: null }),
            "Cause.pretty": Cause.pretty(Cause.fail(error))
          }
          for (const [how, text] of Object.entries(renderings)) {
            for (const secret of [...secrets, ...wireSecrets]) {
              // includes, not notInclude: an assertion message must not repeat the secret either
              assert.isFalse(text.includes(secret), `${how}(error) shows a ${name} secret`)
            }
          }
        })
      )
    )
  }
})
