/**
 * Snowflake sessions: tokens with expiry, a master token for renewal, session parameters, and one
 * engine session (its own DuckDB connection) per Snowflake session, closed at logout or expiry.
 */
import { Clock, Effect, ExecutionStrategy, Exit, Scope } from "effect"
import type { Engine, EngineError, EngineSession, SessionContext } from "../engine/Engine.js"
import { type Envelope, invalidToken, masterExpired, masterNotFound, sessionExpired } from "./envelope.js"
import { newMasterToken, newSessionToken, tokenFromHeader } from "./ids.js"
import type { ParameterValue } from "./parameters.js"

export interface Session {
  readonly id: number
  readonly user: string
  token: string
  masterToken: string
  tokenExpiresAt: number
  masterExpiresAt: number
  readonly parameters: Map<string, ParameterValue>
  readonly engine: EngineSession
  readonly scope: Scope.CloseableScope
  /** One statement at a time on the session's DuckDB connection; waiting = QUEUED. */
  readonly lock: Effect.Semaphore
  /** requestId → queryId, for de-duplicating retried query-requests (§5.1). */
  readonly requests: Map<string, string>
  closed: boolean
}

/** What an authorization check can answer instead of a session, with its HTTP status. */
export interface AuthFailure {
  readonly status: number
  readonly envelope: Envelope
}

export interface Sessions {
  readonly open: (
    user: string,
    context: SessionContext,
    parameters: Map<string, ParameterValue>
  ) => Effect.Effect<Session, EngineError>
  /** Resolves the session of an `Authorization: Snowflake Token="…"` header. */
  readonly authorize: (header: string | undefined) => Effect.Effect<Session, AuthFailure>
  /** Token renewal with the master token (§4.4). */
  readonly renew: (header: string | undefined) => Effect.Effect<Session, AuthFailure>
  /** Makes the session's token look expired (the `expireSession` fault). */
  readonly expireToken: (header: string | undefined) => Effect.Effect<void>
  readonly close: (session: Session) => Effect.Effect<void>
  /** Closes sessions whose master token has expired. */
  readonly sweep: Effect.Effect<void>
  readonly all: () => ReadonlyArray<Session>
}

export const makeSessions = (
  engine: Engine,
  parentScope: Scope.Scope,
  validity: { readonly sessionSeconds: number; readonly masterSeconds: number }
): Sessions => {
  const byToken = new Map<string, Session>()
  const byMaster = new Map<string, Session>()
  /** Tokens replaced by a renewal still identify their session, as expired ones. */
  const retired = new Map<string, Session>()
  let nextId = 1_000_000_000_001

  const close = (session: Session) =>
    Effect.suspend(() => {
      if (session.closed) return Effect.void
      session.closed = true
      byToken.delete(session.token)
      byMaster.delete(session.masterToken)
      for (const [token, s] of retired) if (s === session) retired.delete(token)
      return Scope.close(session.scope, Exit.void)
    })

  const issueTokens = (session: Session, now: number) => {
    byToken.delete(session.token)
    byMaster.delete(session.masterToken)
    retired.set(session.token, session)
    session.token = newSessionToken()
    session.masterToken = newMasterToken()
    session.tokenExpiresAt = now + validity.sessionSeconds * 1000
    session.masterExpiresAt = now + validity.masterSeconds * 1000
    byToken.set(session.token, session)
    byMaster.set(session.masterToken, session)
  }

  return {
    open: (user, context, parameters) =>
      Effect.gen(function* () {
        const scope = yield* Scope.fork(parentScope, ExecutionStrategy.sequential)
        const engineSession = yield* engine.openSession(context).pipe(
          Scope.extend(scope),
          Effect.tapError(() => Scope.close(scope, Exit.void))
        )
        const now = yield* Clock.currentTimeMillis
        const session: Session = {
          id: nextId++,
          user,
          token: newSessionToken(),
          masterToken: newMasterToken(),
          tokenExpiresAt: now + validity.sessionSeconds * 1000,
          masterExpiresAt: now + validity.masterSeconds * 1000,
          parameters,
          engine: engineSession,
          scope,
          lock: yield* Effect.makeSemaphore(1),
          requests: new Map(),
          closed: false
        }
        byToken.set(session.token, session)
        byMaster.set(session.masterToken, session)
        return session
      }),
    authorize: (header) =>
      Effect.gen(function* () {
        const token = tokenFromHeader(header)
        const session = token === undefined ? undefined : byToken.get(token)
        if (session === undefined) {
          if (token !== undefined && retired.has(token)) {
            return yield* Effect.fail({ status: 200, envelope: sessionExpired })
          }
          return yield* Effect.fail({ status: 401, envelope: invalidToken })
        }
        const now = yield* Clock.currentTimeMillis
        if (now >= session.tokenExpiresAt)
          return yield* Effect.fail({ status: 200, envelope: sessionExpired })
        return session
      }),
    renew: (header) =>
      Effect.gen(function* () {
        const token = tokenFromHeader(header)
        const session = token === undefined ? undefined : byMaster.get(token)
        if (session === undefined) return yield* Effect.fail({ status: 200, envelope: masterNotFound })
        const now = yield* Clock.currentTimeMillis
        if (now >= session.masterExpiresAt) {
          yield* close(session)
          return yield* Effect.fail({ status: 200, envelope: masterExpired })
        }
        issueTokens(session, now)
        return session
      }),
    expireToken: (header) =>
      Effect.sync(() => {
        const token = tokenFromHeader(header)
        const session = token === undefined ? undefined : byToken.get(token)
        if (session !== undefined) session.tokenExpiresAt = 0
      }),
    close,
    sweep: Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const expired = [...byMaster.values()].filter((s) => now >= s.masterExpiresAt)
      yield* Effect.forEach(expired, close, { discard: true })
    }),
    all: () => [...byToken.values()]
  }
}
