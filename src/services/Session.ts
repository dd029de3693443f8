/**
 * One Snowflake session: lazy login, transparent token renewal, re-login, heartbeat and logout.
 *
 * State machine: LoggedOut → (login) → Active(generation) → (390112: renew) → Active(generation+1)
 * → … → Closed. Login and renewal run under a one-permit semaphore, and a request that met 390112
 * only renews when the session is still on the generation that request used — so when many
 * requests hit 390112 at once, exactly one token-request runs and the others replay with its token.
 * 390114 (master token expired), or a renewal refused as expired, falls back to a fresh login.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { ConnectionTimeout, ProtocolError, SessionClosed, type SnowflakeError } from "../errors/index.js"
import type { Envelope } from "../protocol/wire/envelope.js"
import { LoginResponseData } from "../protocol/wire/login.js"
import { MASTER_TOKEN_EXPIRED, SESSION_EXPIRED } from "../protocol/wire/query.js"
import { RenewResponseData, renewRequestBody } from "../protocol/wire/session.js"
import { quoteIdentifier, quoteIdentifierExact } from "../sql/identifier.js"
import { sessionRenewals, sessionsActive } from "../telemetry/metrics.js"
import type { AuthenticatorService } from "./Authenticator.js"
import type { ResolvedConfig } from "./SnowflakeConfig.js"
import type { GsRequest, TransportService } from "./Transport.js"

/** One context value: its name, and how to write it in a USE statement. */
export interface ContextValue {
  readonly name: string
  readonly sql: string
}

/** The session's warehouse, role, database and schema after login (any may be unset). */
export interface SessionContext {
  readonly warehouse: ContextValue | undefined
  readonly role: ContextValue | undefined
  readonly database: ContextValue | undefined
  readonly schema: ContextValue | undefined
}

// Names the server reports are exact (case included); names from configuration follow
// Snowflake's unquoted-identifier rules, as they did in the login request.
const fromServer = (name: string | null | undefined): ContextValue | undefined =>
  name ? { name, sql: quoteIdentifierExact(name) } : undefined
const fromConfig = (name: string | undefined): ContextValue | undefined =>
  name ? { name, sql: quoteIdentifier(name) } : undefined

interface Tokens {
  readonly session: Redacted.Redacted<string>
  readonly master: Redacted.Redacted<string>
  readonly sessionId: number | undefined
  /** Bumped on every login or renewal; tells a 390112 whether someone already renewed. */
  readonly generation: number
}

type State =
  | { readonly _tag: "LoggedOut"; readonly generation: number }
  | { readonly _tag: "Active"; readonly tokens: Tokens }
  | { readonly _tag: "Closed" }

/** A request to run with the session's token; `token` is filled in by the session. */
export type SessionRequest = Omit<GsRequest, "token">

export interface Session {
  /** Local id, for logs and tests. */
  readonly id: number
  readonly createdAtMillis: number
  /** Sends the request with the current session token, logging in / renewing as needed. */
  readonly request: (request: SessionRequest) => Effect.Effect<Envelope, SnowflakeError>
  /** Logs in now if not yet logged in. */
  readonly ensureLoggedIn: Effect.Effect<void, SnowflakeError>
  /** The context right after login: what per-query overrides are restored to. */
  readonly defaultContext: Effect.Effect<SessionContext, SnowflakeError>
  /** Server session id, once logged in. */
  readonly sessionId: Effect.Effect<Option.Option<number>>
  /** Logs out (once); later requests fail with SessionClosed. */
  readonly close: Effect.Effect<void>
}

/** The server ended the session (390104 user must log in again, 390111 session no longer exists). */
export const isSessionGone = (error: SnowflakeError): boolean =>
  error._tag === "SessionClosed" && (error.code === "390104" || error.code === "390111")

export interface SessionDeps {
  readonly config: ResolvedConfig
  readonly transport: TransportService
  readonly authenticator: AuthenticatorService
}

let nextLocalId = 0

const decodeLogin = Schema.decodeUnknown(LoginResponseData)
const decodeRenew = Schema.decodeUnknown(RenewResponseData)

/** An answer (login, token-request, query, monitoring) whose `data` did not decode. */
export const protocolError = (what: string) => (cause: unknown) =>
  new ProtocolError({ message: `Unexpected ${what} answer from Snowflake`, cause })

/**
 * Makes a session that logs in on first use. The scope owns it: closing the scope logs out and
 * stops the heartbeat.
 */
export const make = (deps: SessionDeps): Effect.Effect<Session, never, Scope.Scope> =>
  Effect.gen(function* () {
    const { authenticator, config, transport } = deps
    const id = ++nextLocalId
    const createdAtMillis = yield* Clock.currentTimeMillis
    const state = yield* Ref.make<State>({ _tag: "LoggedOut", generation: 0 })
    const context = yield* Ref.make<SessionContext>({
      warehouse: fromConfig(config.warehouse),
      role: fromConfig(config.role),
      database: fromConfig(config.database),
      schema: fromConfig(config.schema)
    })
    const lock = yield* Effect.makeSemaphore(1)

    const login = (generation: number) =>
      Effect.gen(function* () {
        const query: Record<string, string> = { requestId: globalThis.crypto.randomUUID() }
        if (config.warehouse) query.warehouse = config.warehouse
        if (config.database) query.databaseName = config.database
        if (config.schema) query.schemaName = config.schema
        if (config.role) query.roleName = config.role
        const envelope = yield* transport.call({
          method: "POST",
          path: "/session/v1/login-request",
          query,
          // built per attempt: a retried key-pair login signs a fresh JWT
          bodyPerAttempt: Effect.map(authenticator.loginData, (data) => ({ data })),
          clientAppHeaders: true
        })
        const response = yield* decodeLogin(envelope.data).pipe(Effect.mapError(protocolError("login")))
        const info = response.sessionInfo
        yield* Ref.set(context, {
          warehouse: fromServer(info?.warehouseName) ?? fromConfig(config.warehouse),
          role: fromServer(info?.roleName) ?? fromConfig(config.role),
          database: fromServer(info?.databaseName) ?? fromConfig(config.database),
          schema: fromServer(info?.schemaName) ?? fromConfig(config.schema)
        })
        const tokens: Tokens = {
          session: Redacted.make(response.token),
          master: Redacted.make(response.masterToken),
          sessionId: response.sessionId,
          generation: generation + 1
        }
        yield* Ref.set(state, { _tag: "Active", tokens })
        yield* Metric.increment(sessionsActive)
        yield* Effect.logDebug("snowflake session logged in").pipe(
          Effect.annotateLogs({ session: id, sessionId: response.sessionId })
        )
        return tokens
      }).pipe(Effect.withSpan("snowflake.session.login", { attributes: { "db.system.name": "snowflake" } }))

    const renew = (tokens: Tokens) =>
      Effect.gen(function* () {
        const envelope = yield* transport.call({
          method: "POST",
          path: "/session/token-request",
          body: renewRequestBody(Redacted.value(tokens.session)),
          token: tokens.master,
          clientAppHeaders: true
        })
        const renewed = yield* decodeRenew(envelope.data).pipe(
          Effect.mapError(protocolError("token-request"))
        )
        const next: Tokens = {
          session: Redacted.make(renewed.sessionToken),
          master: Redacted.make(renewed.masterToken),
          sessionId: renewed.sessionId ?? tokens.sessionId,
          generation: tokens.generation + 1
        }
        yield* Ref.set(state, { _tag: "Active", tokens: next })
        yield* Metric.increment(sessionRenewals)
        return next
      }).pipe(
        // The master token is gone too (390114 and friends): only a new login helps.
        Effect.catchIf(
          (error) => error._tag === "ExpiredToken" || error._tag === "SessionClosed",
          () =>
            Effect.zipRight(
              Effect.logDebug("snowflake session renewal refused; logging in again"),
              relogin(tokens.generation)
            )
        ),
        Effect.withSpan("snowflake.session.renew", { attributes: { "db.system.name": "snowflake" } })
      )

    const relogin = (generation: number) =>
      Effect.zipRight(Metric.incrementBy(sessionsActive, -1), login(generation))

    const closed = () => new SessionClosed({ message: "The session was closed" })

    /** Current tokens, logging in first if needed. */
    const activeTokens: Effect.Effect<Tokens, SnowflakeError> = Effect.flatMap(Ref.get(state), (current) => {
      switch (current._tag) {
        case "Active":
          return Effect.succeed(current.tokens)
        case "Closed":
          return Effect.fail(closed())
        case "LoggedOut":
          return lock.withPermits(1)(
            Effect.flatMap(Ref.get(state), (again) =>
              again._tag === "Active"
                ? Effect.succeed(again.tokens)
                : again._tag === "Closed"
                  ? Effect.fail(closed())
                  : login(again.generation)
            )
          )
      }
    })

    /** Renews (or logs in again) unless another fiber already replaced the tokens `stale` had. */
    const refresh = (stale: Tokens, code: string | undefined) =>
      lock.withPermits(1)(
        Effect.flatMap(Ref.get(state), (current): Effect.Effect<Tokens, SnowflakeError> => {
          if (current._tag === "Closed") return Effect.fail(closed())
          if (current._tag === "Active" && current.tokens.generation !== stale.generation) {
            return Effect.succeed(current.tokens)
          }
          return code === MASTER_TOKEN_EXPIRED ? relogin(stale.generation) : renew(stale)
        })
      )

    const isTokenExpiry = (error: SnowflakeError) =>
      (error._tag === "ExpiredToken" &&
        (error.code === SESSION_EXPIRED || error.code === MASTER_TOKEN_EXPIRED)) ||
      // A bare 401 (no envelope) on a request that carried the session token: the drivers treat it
      // as an expired session token — renew, and log in again if the renewal is refused too.
      (error._tag === "SessionClosed" && error.code === undefined && error.httpStatus === 401)

    /**
     * The server ended the session (390104 / 390111): its tokens are worthless, renewal included.
     * The session forgets them — the next request logs in again — and the error goes up, so the
     * caller decides whether the statement may run again (Statements: only if it never started).
     */
    const forget = (stale: Tokens) =>
      lock.withPermits(1)(
        Effect.flatMap(Ref.get(state), (current) =>
          current._tag === "Active" && current.tokens.generation === stale.generation
            ? Effect.zipRight(
                Ref.set(state, { _tag: "LoggedOut", generation: stale.generation }),
                Metric.incrementBy(sessionsActive, -1)
              )
            : Effect.void
        )
      )

    const request = (req: SessionRequest): Effect.Effect<Envelope, SnowflakeError> =>
      Effect.flatMap(activeTokens, (tokens) =>
        transport.call({ ...req, token: tokens.session }).pipe(
          Effect.catchIf(isTokenExpiry, (error) =>
            Effect.flatMap(refresh(tokens, error.code), (fresh) =>
              transport.call({ ...req, token: fresh.session })
            )
          ),
          Effect.tapError((error) => (isSessionGone(error) ? forget(tokens) : Effect.void))
        )
      )

    const close: Effect.Effect<void> = lock.withPermits(1)(
      Effect.gen(function* () {
        const current = yield* Ref.getAndSet(state, { _tag: "Closed" })
        if (current._tag !== "Active") return
        yield* Metric.incrementBy(sessionsActive, -1)
        // Retried like any request, but bounded as a whole — and interruptible: this runs in a
        // finalizer (uninterruptible), where a timeout could not otherwise stop a logout that hangs.
        yield* transport
          .call({
            method: "POST",
            path: "/session",
            query: { delete: "true", requestId: globalThis.crypto.randomUUID() },
            token: current.tokens.session
          })
          .pipe(
            Effect.interruptible,
            Effect.timeoutFail({
              duration: config.pool.cleanupTimeout,
              onTimeout: () =>
                new ConnectionTimeout({
                  message: `Logout did not finish within ${Duration.format(config.pool.cleanupTimeout)}`
                })
            }),
            Effect.catchAll((error) =>
              Effect.logDebug("snowflake logout failed; the server will expire the session").pipe(
                Effect.annotateLogs({ error: error._tag })
              )
            )
          )
      })
    )

    yield* Effect.addFinalizer(() => close)

    const heartbeat = (interval: ResolvedConfig["heartbeatInterval"]) =>
      Option.match(interval, {
        onNone: () => Effect.void,
        onSome: (every) =>
          Effect.forkScoped(
            Effect.forever(
              Effect.sleep(every).pipe(
                Effect.zipRight(Ref.get(state)),
                Effect.flatMap((current) =>
                  current._tag === "Active"
                    ? request({ method: "POST", path: "/session/heartbeat" }).pipe(
                        Effect.catchAll((error) =>
                          Effect.logDebug("snowflake heartbeat failed").pipe(
                            Effect.annotateLogs({ error: error._tag })
                          )
                        )
                      )
                    : Effect.void
                )
              )
            )
          )
      })
    yield* heartbeat(config.heartbeatInterval)

    return {
      id,
      createdAtMillis,
      request,
      ensureLoggedIn: Effect.asVoid(activeTokens),
      defaultContext: Effect.zipRight(activeTokens, Ref.get(context)),
      sessionId: Effect.map(Ref.get(state), (s) =>
        s._tag === "Active" && s.tokens.sessionId !== undefined
          ? Option.some(s.tokens.sessionId)
          : Option.none()
      ),
      close
    } satisfies Session
  })
