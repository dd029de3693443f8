import * as Duration from "effect/Duration"
import type * as Redacted from "effect/Redacted"

/**
 * How the client proves who it is. Secrets stay `Redacted` until the login request body is built.
 * `externalbrowser` is accepted here so configuration can name it; the Authenticator answers it with a
 * typed "not supported yet" error.
 */
export type AuthOptions =
  | { readonly type: "password"; readonly password: Redacted.Redacted<string> }
  | {
      readonly type: "keypair"
      /** PKCS#8 PEM text (plain or encrypted). Takes precedence over `privateKeyPath`. */
      readonly privateKey?: Redacted.Redacted<string> | undefined
      /** Path of a PEM file, read through `FileSystem` at login. */
      readonly privateKeyPath?: string | undefined
      readonly passphrase?: Redacted.Redacted<string> | undefined
    }
  | { readonly type: "oauth"; readonly token: Redacted.Redacted<string> }
  | { readonly type: "pat"; readonly token: Redacted.Redacted<string> }
  | { readonly type: "externalbrowser" }

export type AuthType = AuthOptions["type"]

/** Retry knobs of the Transport; see `RetryPolicy.ts` for the schedule they make. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  readonly retries: number
  readonly baseDelay: Duration.DurationInput
  readonly factor: number
  readonly maxDelay: Duration.DurationInput
  /** Upper bound of the uniformly random extra delay added to each wait. */
  readonly maxJitter: Duration.DurationInput
  /** The longest wait a server's Retry-After may ask for; a longer one is cut to this (default: `maxDelay`). */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  /**
   * The whole budget of one request's retries, from its first attempt: no retry starts (and no
   * wait is longer) than what is left of it. Past it the request fails with the last error, saying
   * how often and how long it was tried.
   */
  readonly maxElapsed: Duration.DurationInput
}

export interface PoolOptions {
  readonly min: number
  readonly max: number
  /** A session unused for this long is logged out and dropped (down to `min`). */
  readonly idleTimeout: Duration.DurationInput
  /** A session older than this is not lent out again; it is logged out and replaced. */
  readonly maxLifetime: Duration.DurationInput
  /** Waiting longer than this for a free session fails with `PoolExhausted`. */
  readonly acquireTimeout: Duration.DurationInput
  /**
   * The most a session's logout may take with its retries when the pool closes: past it the server
   * is left to expire the session, so closing the layer ends however the server behaves.
   */
  readonly cleanupTimeout: Duration.DurationInput
}

/** How the client reaches stage object stores (PUT/GET). */
export interface StorageOptions {
  /**
   * Extra PEM certificate(s) to trust, besides Node's built-in CAs, for HTTPS object stores
   * reached through the S3 SDK — a private CA or a test store's self-signed certificate (the
   * emulator's `storageCertificate`). Only this client's storage connections trust it; TLS
   * verification stays on. GCS goes through the `HttpClient` you provide, Azure through its SDK's
   * own pipeline: neither reads this setting.
   */
  readonly caCertificate?: string | undefined
  /** The same, read from a PEM file when the storage layer starts (`caCertificate` wins when both are set). */
  readonly caCertificatePath?: string | undefined
}

/** What a caller passes to `Snowflake.layer`. Everything but account, user and auth has a default. */
export interface SnowflakeOptions {
  readonly account: string
  readonly user: string
  readonly auth: AuthOptions
  readonly warehouse?: string | undefined
  readonly database?: string | undefined
  readonly schema?: string | undefined
  readonly role?: string | undefined
  /** Overrides `https://<account>.snowflakecomputing.com`, e.g. `http://127.0.0.1:8080` for the emulator. */
  readonly accessUrl?: string | undefined
  /** Default client-side and server-side (`STATEMENT_TIMEOUT_IN_SECONDS`) timeout of a statement. */
  readonly queryTimeout?: Duration.DurationInput | undefined
  /** Budget of one HTTP request; long-polls are answered by the server well before it. */
  readonly requestTimeout?: Duration.DurationInput | undefined
  /** When set, each logged-in session sends `POST /session/heartbeat` at this interval. */
  readonly heartbeatInterval?: Duration.DurationInput | undefined
  readonly pool?: Partial<PoolOptions> | undefined
  readonly retry?: Partial<RetryOptions> | undefined
  readonly storage?: StorageOptions | undefined
}

export const defaultRetry: RetryOptions = {
  retries: 3,
  baseDelay: Duration.millis(100),
  factor: 2,
  maxDelay: Duration.seconds(10),
  maxJitter: Duration.millis(100),
  maxElapsed: Duration.minutes(2)
}

export const defaultPool: PoolOptions = {
  min: 2,
  max: 10,
  idleTimeout: Duration.minutes(30),
  maxLifetime: Duration.hours(4),
  acquireTimeout: Duration.seconds(30),
  cleanupTimeout: Duration.seconds(5)
}

export const defaultRequestTimeout: Duration.Duration = Duration.seconds(90)
