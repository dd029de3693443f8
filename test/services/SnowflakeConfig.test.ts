import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as SnowflakeConfig from "../../src/services/SnowflakeConfig.js"

const fromEnv = (
  env: Record<string, string>,
  overrides?: Parameters<typeof SnowflakeConfig.loadOptions>[0]
) =>
  SnowflakeConfig.loadOptions(overrides).pipe(
    Effect.flatMap(SnowflakeConfig.resolve),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  )

const base = { SNOWFLAKE_ACCOUNT: "myorg-acct", SNOWFLAKE_USER: "alice", SNOWFLAKE_PASSWORD: "s3cret" }

describe("SnowflakeConfig", () => {
  it.effect("reads SNOWFLAKE_* and fills in defaults", () =>
    Effect.gen(function* () {
      const config = yield* fromEnv({ ...base, SNOWFLAKE_WAREHOUSE: "WH", SNOWFLAKE_ROLE: "R" })
      assert.strictEqual(config.account, "myorg-acct")
      assert.strictEqual(config.baseUrl, "https://myorg-acct.snowflakecomputing.com")
      assert.strictEqual(config.auth.type, "password")
      if (config.auth.type === "password") assert.strictEqual(Redacted.value(config.auth.password), "s3cret")
      assert.strictEqual(config.warehouse, "WH")
      assert.strictEqual(config.role, "R")
      assert.strictEqual(config.database, undefined)
      assert.deepStrictEqual([config.pool.min, config.pool.max], [2, 10])
      assert.strictEqual(Duration.toMillis(config.pool.idleTimeout), 30 * 60_000)
      assert.strictEqual(Duration.toMillis(config.pool.maxLifetime), 4 * 3_600_000)
      assert.strictEqual(Duration.toMillis(config.pool.acquireTimeout), 30_000)
      assert.strictEqual(config.retry.retries, 3)
      assert.strictEqual(Duration.toMillis(config.retry.baseDelay), 100)
      assert.strictEqual(Duration.toMillis(config.retry.maxDelay), 10_000)
      assert.isTrue(Option.isNone(config.queryTimeout))
    })
  )

  it.effect("ACCESS_URL overrides the host, QUERY_TIMEOUT and pool sizes are parsed", () =>
    Effect.gen(function* () {
      const config = yield* fromEnv({
        ...base,
        SNOWFLAKE_ACCESS_URL: "http://127.0.0.1:8080/",
        SNOWFLAKE_QUERY_TIMEOUT: "300",
        SNOWFLAKE_POOL_MIN: "1",
        SNOWFLAKE_POOL_MAX: "5"
      })
      assert.strictEqual(config.baseUrl, "http://127.0.0.1:8080")
      assert.strictEqual(Duration.toMillis(Option.getOrThrow(config.queryTimeout)), 300_000)
      assert.deepStrictEqual([config.pool.min, config.pool.max], [1, 5])
    })
  )

  it.effect("key-pair, pat and oauth read their secrets", () =>
    Effect.gen(function* () {
      const keypair = yield* fromEnv({
        SNOWFLAKE_ACCOUNT: "a",
        SNOWFLAKE_USER: "u",
        SNOWFLAKE_AUTH_TYPE: "keypair",
        SNOWFLAKE_PRIVATE_KEY_PATH: "/keys/rsa.p8",
        SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: "pp"
      })
      assert.strictEqual(keypair.auth.type, "keypair")
      if (keypair.auth.type === "keypair") {
        assert.strictEqual(keypair.auth.privateKeyPath, "/keys/rsa.p8")
        assert.strictEqual(Redacted.value(keypair.auth.passphrase!), "pp")
      }
      const pat = yield* fromEnv({
        SNOWFLAKE_ACCOUNT: "a",
        SNOWFLAKE_USER: "u",
        SNOWFLAKE_AUTH_TYPE: "pat",
        SNOWFLAKE_TOKEN: "t"
      })
      assert.strictEqual(pat.auth.type, "pat")
    })
  )

  it.effect("a missing variable fails with InvalidConfig naming it", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(fromEnv({ SNOWFLAKE_USER: "u", SNOWFLAKE_PASSWORD: "p" }))
      assert.strictEqual(error._tag, "InvalidConfig")
      assert.include(error.message, "SNOWFLAKE_ACCOUNT")
      const noPassword = yield* Effect.flip(fromEnv({ SNOWFLAKE_ACCOUNT: "a", SNOWFLAKE_USER: "u" }))
      assert.include(noPassword.message, "SNOWFLAKE_PASSWORD")
      const noKey = yield* Effect.flip(
        fromEnv({ SNOWFLAKE_ACCOUNT: "a", SNOWFLAKE_USER: "u", SNOWFLAKE_AUTH_TYPE: "keypair" })
      )
      assert.include(noKey.message, "SNOWFLAKE_PRIVATE_KEY")
    })
  )

  it.effect("malformed values fail with InvalidConfig saying what is wrong, without secrets", () =>
    Effect.gen(function* () {
      const badType = yield* Effect.flip(fromEnv({ ...base, SNOWFLAKE_AUTH_TYPE: "kerberos" }))
      assert.include(badType.message, "SNOWFLAKE_AUTH_TYPE")
      const badPool = yield* Effect.flip(fromEnv({ ...base, SNOWFLAKE_POOL_MAX: "many" }))
      assert.include(badPool.message, "SNOWFLAKE_POOL_MAX")
      const inverted = yield* Effect.flip(
        fromEnv({ ...base, SNOWFLAKE_POOL_MIN: "6", SNOWFLAKE_POOL_MAX: "5" })
      )
      assert.include(inverted.message, "SNOWFLAKE_POOL_MIN")
      const badUrl = yield* Effect.flip(fromEnv({ ...base, SNOWFLAKE_ACCESS_URL: "not a url" }))
      assert.include(badUrl.message, "SNOWFLAKE_ACCESS_URL")
      const badTimeout = yield* Effect.flip(fromEnv({ ...base, SNOWFLAKE_QUERY_TIMEOUT: "soon" }))
      assert.include(badTimeout.message, "SNOWFLAKE_QUERY_TIMEOUT")
      for (const error of [badType, badPool, inverted, badUrl, badTimeout]) {
        assert.notInclude(error.message, "s3cret")
      }
    })
  )

  it.effect("overrides win and make the overridden variables optional", () =>
    Effect.gen(function* () {
      const config = yield* fromEnv(
        { SNOWFLAKE_WAREHOUSE: "FROM_ENV" },
        {
          account: "emu",
          user: "bob",
          auth: { type: "password", password: Redacted.make("x") },
          accessUrl: "http://127.0.0.1:9"
        }
      )
      assert.strictEqual(config.account, "emu")
      assert.strictEqual(config.warehouse, "FROM_ENV")
      assert.strictEqual(config.baseUrl, "http://127.0.0.1:9")
    })
  )

  it.effect("an http:// access URL is accepted for a loopback host only (issue 15: HTTPS required)", () =>
    Effect.gen(function* () {
      for (const url of ["http://127.0.0.1:9", "http://localhost:8080", "http://[::1]:9"]) {
        const config = yield* fromEnv({ ...base, SNOWFLAKE_ACCESS_URL: url })
        assert.strictEqual(config.baseUrl, new URL(url).origin)
      }
      for (const url of ["http://myorg-acct.snowflakecomputing.com", "http://10.0.0.5:8080"]) {
        const error = yield* Effect.flip(fromEnv({ ...base, SNOWFLAKE_ACCESS_URL: url }))
        assert.strictEqual(error._tag, "InvalidConfig")
        assert.include(error.message, "https")
      }
      const secure = yield* fromEnv({ ...base, SNOWFLAKE_ACCESS_URL: "https://myorg-acct.example.com" })
      assert.strictEqual(secure.baseUrl, "https://myorg-acct.example.com")
    })
  )
})
