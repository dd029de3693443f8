/**
 * What every fault-matrix case needs, through the public entry points only (src/index.ts and
 * src/emulator/index.ts): an emulator, the fault proxy in front of it, a client whose layer the case
 * can close itself, and a hard time bound that turns a hang into a failure.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import { Emulator, type EmulatorHandle, type EmulatorOptions } from "../../../src/emulator/index.js"
import { Snowflake } from "../../../src/index.js"
import { passwords } from "../../support/secrets.js"
import * as FaultProxy from "./proxy.js"

export const USER = "CHAOS"

export const emulatorOptions: EmulatorOptions = {
  users: [{ name: USER, password: passwords.chaos }],
  longPollSeconds: 1
}

/** Fast retries, so a case spends its time on the fault, not on back-off. */
export const fastRetry: Partial<Snowflake.RetryOptions> = {
  baseDelay: Duration.millis(5),
  maxDelay: Duration.millis(50),
  maxJitter: Duration.millis(5)
}

export const options = (url: string, overrides: Partial<Snowflake.SnowflakeOptions> = {}) =>
  ({
    account: "emulator",
    user: USER,
    auth: { type: "password", password: Redacted.make(passwords.chaos) },
    accessUrl: url,
    retry: fastRetry,
    pool: { min: 1, max: 1 },
    ...overrides
  }) satisfies Snowflake.SnowflakeOptions

/** A hard bound on one step: generous (the box is loaded), only there so a hang fails the case. */
export const HANG_BOUND = Duration.seconds(20)

export class Hang extends Error {
  constructor(what: string) {
    super(`${what} did not end within ${Duration.format(HANG_BOUND)} (a hang)`)
  }
}

/**
 * Runs `effect` with the hard bound. `disconnect` lets the bound fire even when the effect sits in
 * an uninterruptible region (a layer finalizer): the effect is left to finish in the background.
 */
export const bounded = <A, E, R>(what: string, effect: Effect.Effect<A, E, R>) =>
  Effect.disconnect(effect).pipe(
    Effect.timeoutFail({ duration: HANG_BOUND, onTimeout: () => new Hang(what) })
  )

export interface Client {
  readonly sf: Snowflake.Client
  /** Closes the client's layer (logs its sessions out), as the end of its scope would. */
  readonly close: Effect.Effect<void>
}

/** A client whose layer lives in its own scope, closed by `close` or else with the test. */
export const client = (overrides: Partial<Snowflake.SnowflakeOptions> & { readonly accessUrl: string }) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    yield* Effect.addFinalizer(() =>
      Effect.disconnect(Scope.close(scope, Exit.void)).pipe(Effect.timeout(HANG_BOUND), Effect.ignore)
    )
    const context = yield* Layer.buildWithScope(
      Snowflake.layer(options(overrides.accessUrl, overrides)),
      scope
    )
    const sf = yield* Effect.provide(Snowflake.Client, context)
    return { sf, close: Scope.close(scope, Exit.void) } satisfies Client
  })

/** An emulator and the fault proxy in front of it, both scoped to the test. */
export const emulatorAndProxy = (emulator: EmulatorOptions = emulatorOptions) =>
  Effect.gen(function* () {
    const handle = yield* Emulator.start(emulator)
    const proxy = yield* FaultProxy.start(handle.url)
    return { emulator: handle, proxy }
  })

/** Waits (polling the emulator's own view) until the query with this text reaches `status`. */
export const awaitStatus = (emulator: EmulatorHandle, sqlText: string, status: string) =>
  Effect.suspend(() => {
    const entry = emulator.history().find((q) => q.sqlText === sqlText)
    return entry?.status === status ? Effect.succeed(entry) : Effect.fail(entry?.status ?? "not seen")
  }).pipe(Effect.retry(Schedule.spaced(Duration.millis(50)).pipe(Schedule.upTo(HANG_BOUND))))

/**
 * 10^12 rows of cross join: still running whenever a case interrupts it (the cancel tests found
 * 10^10 could finish in a few seconds). Every case aborts it or closes the emulator under it.
 */
export const slowQuery =
  "SELECT COUNT(*) AS C FROM TABLE(GENERATOR(ROWCOUNT => 1000000)) a, TABLE(GENERATOR(ROWCOUNT => 1000000)) b"

/** Snowflake's paths, as the proxy's rules match them. */
export const paths = {
  login: "/session/v1/login-request",
  renew: "/session/token-request",
  logout: "/session",
  query: "/queries/v1/query-request",
  abort: /^\/queries\/(?:[^/]+\/)?abort-request$/,
  chunk: /^\/chunks\//
} as const

/** A Snowflake failure envelope, as the server sends it for `code`. */
export const failureEnvelope = (code: string, message: string) =>
  JSON.stringify({ success: false, code, message, data: null })
