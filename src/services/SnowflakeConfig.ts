import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import { InvalidConfig } from "../errors/index.js"
import {
  type AuthOptions,
  type AuthType,
  defaultPool,
  defaultRequestTimeout,
  defaultRetry,
  type SnowflakeOptions
} from "./SnowflakeOptions.js"

/** Options after validation, with every default filled in and every duration decoded. */
export interface ResolvedConfig {
  readonly account: string
  readonly user: string
  readonly auth: AuthOptions
  readonly warehouse: string | undefined
  readonly database: string | undefined
  readonly schema: string | undefined
  readonly role: string | undefined
  /** Scheme, host and port every GS path is relative to, without a trailing slash. */
  readonly baseUrl: string
  readonly queryTimeout: Option.Option<Duration.Duration>
  readonly requestTimeout: Duration.Duration
  readonly heartbeatInterval: Option.Option<Duration.Duration>
  readonly pool: {
    readonly min: number
    readonly max: number
    readonly idleTimeout: Duration.Duration
    readonly maxLifetime: Duration.Duration
    readonly acquireTimeout: Duration.Duration
    readonly cleanupTimeout: Duration.Duration
  }
  readonly storage: {
    readonly caCertificate: string | undefined
    readonly caCertificatePath: string | undefined
  }
  readonly retry: {
    readonly retries: number
    readonly baseDelay: Duration.Duration
    readonly factor: number
    readonly maxDelay: Duration.Duration
    readonly maxJitter: Duration.Duration
    readonly maxRetryAfter: Duration.Duration
    readonly maxElapsed: Duration.Duration
  }
}

export class SnowflakeConfig extends Context.Tag("effect-snowflake/SnowflakeConfig")<
  SnowflakeConfig,
  ResolvedConfig
>() {}

const invalid = (setting: string, problem: string) => new InvalidConfig({ message: `${setting}: ${problem}` })

const decodeDuration = (
  setting: string,
  input: Duration.DurationInput
): Effect.Effect<Duration.Duration, InvalidConfig> =>
  Option.match(Duration.decodeUnknown(input), {
    onNone: () => Effect.fail(invalid(setting, "is not a duration")),
    onSome: (d) =>
      Duration.isFinite(d) && Duration.toMillis(d) >= 0
        ? Effect.succeed(d)
        : Effect.fail(invalid(setting, "must be a finite, non-negative duration"))
  })

const nonEmpty = (setting: string, value: string) =>
  value.trim().length === 0
    ? Effect.fail(invalid(setting, "must not be empty"))
    : Effect.succeed(value.trim())

/** localhost, 127.0.0.0/8 and ::1: the only hosts an `http://` access URL may name (the emulator). */
const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" ||
  hostname === "[::1]" ||
  hostname === "::1" ||
  /^127(\.\d{1,3}){3}$/.test(hostname)

const resolveBaseUrl = (
  account: string,
  accessUrl: string | undefined
): Effect.Effect<string, InvalidConfig> => {
  if (accessUrl === undefined) return Effect.succeed(`https://${account}.snowflakecomputing.com`)
  try {
    const url = new URL(accessUrl)
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return Effect.fail(
        invalid("SNOWFLAKE_ACCESS_URL", `must be an http(s) URL, got scheme ${url.protocol}`)
      )
    }
    if (url.protocol === "http:" && !isLoopback(url.hostname)) {
      return Effect.fail(
        invalid(
          "SNOWFLAKE_ACCESS_URL",
          `must use https for ${url.hostname}: plain http (tokens and passwords in the clear) is allowed for a loopback host only`
        )
      )
    }
    return Effect.succeed(url.origin)
  } catch {
    return Effect.fail(invalid("SNOWFLAKE_ACCESS_URL", "is not a valid URL"))
  }
}

const validateAuth = (auth: AuthOptions): Effect.Effect<AuthOptions, InvalidConfig> => {
  if (auth.type === "keypair" && auth.privateKey === undefined && auth.privateKeyPath === undefined) {
    return Effect.fail(
      invalid(
        "SNOWFLAKE_PRIVATE_KEY",
        "key-pair auth needs SNOWFLAKE_PRIVATE_KEY or SNOWFLAKE_PRIVATE_KEY_PATH"
      )
    )
  }
  return Effect.succeed(auth)
}

/** Validates options and fills in defaults. Fails with `InvalidConfig` naming the setting. */
export const resolve = (options: SnowflakeOptions): Effect.Effect<ResolvedConfig, InvalidConfig> =>
  Effect.gen(function* () {
    const account = yield* nonEmpty("SNOWFLAKE_ACCOUNT", options.account)
    const user = yield* nonEmpty("SNOWFLAKE_USER", options.user)
    const auth = yield* validateAuth(options.auth)
    const baseUrl = yield* resolveBaseUrl(account, options.accessUrl)
    const poolIn = { ...defaultPool, ...options.pool }
    const retryIn = { ...defaultRetry, ...options.retry }
    if (!Number.isInteger(poolIn.min) || poolIn.min < 0) {
      return yield* invalid("SNOWFLAKE_POOL_MIN", "must be a non-negative integer")
    }
    if (!Number.isInteger(poolIn.max) || poolIn.max < 1) {
      return yield* invalid("SNOWFLAKE_POOL_MAX", "must be a positive integer")
    }
    if (poolIn.min > poolIn.max) {
      return yield* invalid(
        "SNOWFLAKE_POOL_MIN",
        `(${poolIn.min}) must not exceed SNOWFLAKE_POOL_MAX (${poolIn.max})`
      )
    }
    if (!Number.isInteger(retryIn.retries) || retryIn.retries < 0) {
      return yield* invalid("retry.retries", "must be a non-negative integer")
    }
    if (!(retryIn.factor >= 1)) return yield* invalid("retry.factor", "must be at least 1")
    const queryTimeout =
      options.queryTimeout === undefined
        ? Option.none()
        : Option.some(yield* decodeDuration("SNOWFLAKE_QUERY_TIMEOUT", options.queryTimeout))
    const heartbeatInterval =
      options.heartbeatInterval === undefined
        ? Option.none()
        : Option.some(yield* decodeDuration("heartbeatInterval", options.heartbeatInterval))
    return {
      account,
      user,
      auth,
      warehouse: options.warehouse,
      database: options.database,
      schema: options.schema,
      role: options.role,
      baseUrl,
      queryTimeout,
      requestTimeout:
        options.requestTimeout === undefined
          ? defaultRequestTimeout
          : yield* decodeDuration("requestTimeout", options.requestTimeout),
      heartbeatInterval,
      storage: {
        caCertificate: options.storage?.caCertificate,
        caCertificatePath: options.storage?.caCertificatePath
      },
      pool: {
        min: poolIn.min,
        max: poolIn.max,
        idleTimeout: yield* decodeDuration("pool.idleTimeout", poolIn.idleTimeout),
        maxLifetime: yield* decodeDuration("pool.maxLifetime", poolIn.maxLifetime),
        acquireTimeout: yield* decodeDuration("pool.acquireTimeout", poolIn.acquireTimeout),
        cleanupTimeout: yield* decodeDuration("pool.cleanupTimeout", poolIn.cleanupTimeout)
      },
      retry: {
        retries: retryIn.retries,
        baseDelay: yield* decodeDuration("retry.baseDelay", retryIn.baseDelay),
        factor: retryIn.factor,
        maxDelay: yield* decodeDuration("retry.maxDelay", retryIn.maxDelay),
        maxJitter: yield* decodeDuration("retry.maxJitter", retryIn.maxJitter),
        maxRetryAfter: yield* decodeDuration(
          "retry.maxRetryAfter",
          retryIn.maxRetryAfter ?? retryIn.maxDelay
        ),
        maxElapsed: yield* decodeDuration("retry.maxElapsed", retryIn.maxElapsed)
      }
    } satisfies ResolvedConfig
  })

const authTypes: ReadonlyArray<AuthType> = ["password", "keypair", "oauth", "externalbrowser", "pat"]

const optionalString = (name: string) =>
  Config.option(Config.nonEmptyString(name)).pipe(Config.map(Option.getOrUndefined))
const optionalSecret = (name: string) =>
  Config.option(Config.redacted(name)).pipe(Config.map(Option.getOrUndefined))

/** Seconds as an integer ("300") or an Effect duration string ("5 minutes"). */
const durationSetting = (name: string) =>
  Config.string(name).pipe(
    Config.mapOrFail((text): Either.Either<Duration.Duration, ConfigError.ConfigError> => {
      const trimmed = text.trim()
      if (/^\d+$/.test(trimmed)) return Either.right(Duration.seconds(Number(trimmed)))
      return Option.match(Duration.decodeUnknown(trimmed as Duration.DurationInput), {
        onNone: () =>
          Either.left(
            ConfigError.InvalidData(
              [name],
              "expected whole seconds (e.g. 300) or a duration (e.g. '5 minutes')"
            )
          ),
        onSome: (d) => Either.right(d)
      })
    })
  )

const authFromConfig: Effect.Effect<AuthOptions, ConfigError.ConfigError> = Config.literal(...authTypes)(
  "SNOWFLAKE_AUTH_TYPE"
).pipe(
  Config.withDefault("password" as const),
  Effect.flatMap((type): Effect.Effect<AuthOptions, ConfigError.ConfigError> => {
    switch (type) {
      case "password":
        return Config.redacted("SNOWFLAKE_PASSWORD").pipe(Config.map((password) => ({ type, password })))
      case "keypair":
        return Config.all({
          privateKey: optionalSecret("SNOWFLAKE_PRIVATE_KEY"),
          privateKeyPath: optionalString("SNOWFLAKE_PRIVATE_KEY_PATH"),
          passphrase: optionalSecret("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE")
        }).pipe(Config.map((key) => ({ type, ...key })))
      case "oauth":
      case "pat":
        return Config.redacted("SNOWFLAKE_TOKEN").pipe(
          Config.map((token: Redacted.Redacted<string>) => ({ type, token }))
        )
      default:
        return Effect.succeed({ type: "externalbrowser" as const })
    }
  })
)

/** A setting read from the environment unless the caller already supplied it. */
const orOverride = <A>(
  override: A | undefined,
  config: Effect.Effect<A, ConfigError.ConfigError>
): Effect.Effect<A, ConfigError.ConfigError> => (override === undefined ? config : Effect.succeed(override))

/**
 * `SnowflakeOptions` read from `SNOWFLAKE_*` through the current ConfigProvider. A setting given in
 * `overrides` is not read at all, so overriding a required one (account, user, auth) makes its
 * variable optional.
 */
export const optionsFromConfig = (
  overrides: Partial<SnowflakeOptions> = {}
): Effect.Effect<SnowflakeOptions, ConfigError.ConfigError> =>
  Effect.all({
    account: orOverride(overrides.account, Config.nonEmptyString("SNOWFLAKE_ACCOUNT")),
    user: orOverride(overrides.user, Config.nonEmptyString("SNOWFLAKE_USER")),
    auth: orOverride(overrides.auth, authFromConfig),
    warehouse: optionalString("SNOWFLAKE_WAREHOUSE"),
    database: optionalString("SNOWFLAKE_DATABASE"),
    schema: optionalString("SNOWFLAKE_SCHEMA"),
    role: optionalString("SNOWFLAKE_ROLE"),
    accessUrl: optionalString("SNOWFLAKE_ACCESS_URL"),
    queryTimeout: Config.option(durationSetting("SNOWFLAKE_QUERY_TIMEOUT")).pipe(
      Config.map((d): Duration.DurationInput | undefined => Option.getOrUndefined(d))
    ),
    poolMin: Config.option(Config.integer("SNOWFLAKE_POOL_MIN")),
    poolMax: Config.option(Config.integer("SNOWFLAKE_POOL_MAX")),
    caCertificate: optionalString("SNOWFLAKE_STORAGE_CA_CERTIFICATE"),
    caCertificatePath: optionalString("SNOWFLAKE_STORAGE_CA_CERTIFICATE_PATH")
  }).pipe(
    Effect.map(({ poolMax, poolMin, caCertificate, caCertificatePath, ...fromEnv }): SnowflakeOptions => {
      const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
      return {
        ...fromEnv,
        ...defined,
        pool: {
          ...(Option.isSome(poolMin) ? { min: poolMin.value } : {}),
          ...(Option.isSome(poolMax) ? { max: poolMax.value } : {}),
          ...overrides.pool
        },
        storage: {
          ...(caCertificate === undefined ? {} : { caCertificate }),
          ...(caCertificatePath === undefined ? {} : { caCertificatePath }),
          ...overrides.storage
        }
      }
    })
  )

/** Flattens a ConfigError into "SNOWFLAKE_X: what was wrong" lines; never includes secret values. */
export const describeConfigError = (error: ConfigError.ConfigError): string => {
  const lines: Array<string> = []
  const walk = (e: ConfigError.ConfigError): void => {
    switch (e._op) {
      case "And":
      case "Or":
        walk(e.left)
        walk(e.right)
        return
      case "MissingData":
        lines.push(`${e.path.join("_")}: is missing`)
        return
      default:
        lines.push(`${e.path.join("_")}: ${e.message}`)
    }
  }
  walk(error)
  return [...new Set(lines)].join("; ")
}

export const fromConfigError = (error: ConfigError.ConfigError): InvalidConfig =>
  new InvalidConfig({ message: describeConfigError(error) })

/** Options from SNOWFLAKE_*, with explicit overrides winning; ConfigError becomes InvalidConfig. */
export const loadOptions = (
  overrides?: Partial<SnowflakeOptions>
): Effect.Effect<SnowflakeOptions, InvalidConfig> =>
  Effect.mapError(optionsFromConfig(overrides), fromConfigError)

export const layer = (options: SnowflakeOptions): Layer.Layer<SnowflakeConfig, InvalidConfig> =>
  Layer.effect(SnowflakeConfig, resolve(options))

/** `SNOWFLAKE_SIMULATION_MODE` / `SNOWFLAKE_SIMULATION_FILE`: run live, record a cassette, or replay one. */
export type SimulationSettings =
  | { readonly mode: "disabled" }
  | { readonly mode: "record" | "replay"; readonly cassette: string }

/** The simulation settings; `disabled` unless `SNOWFLAKE_SIMULATION_MODE` says otherwise. */
export const loadSimulation: Effect.Effect<SimulationSettings, InvalidConfig> = Effect.all({
  mode: Config.literal(
    "disabled",
    "record",
    "replay"
  )("SNOWFLAKE_SIMULATION_MODE").pipe(Config.withDefault("disabled" as const)),
  cassette: optionalString("SNOWFLAKE_SIMULATION_FILE")
}).pipe(
  Effect.mapError(fromConfigError),
  Effect.flatMap(({ cassette, mode }): Effect.Effect<SimulationSettings, InvalidConfig> => {
    if (mode === "disabled") return Effect.succeed({ mode })
    return cassette === undefined
      ? Effect.fail(
          invalid("SNOWFLAKE_SIMULATION_FILE", `is required when SNOWFLAKE_SIMULATION_MODE is ${mode}`)
        )
      : Effect.succeed({ mode, cassette })
  })
)
