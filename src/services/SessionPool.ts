/**
 * Pooled sessions on Effect's `Pool.makeWithTTL`.
 *
 * TTL strategy: the pool's own TTL is the idle timeout with the "usage" strategy — sessions beyond
 * `min` that sit unused for `idleTimeout` are logged out. The hard cap on a session's age
 * (`maxLifetime`, 4 h by default, which is also the default master-token validity) is enforced at
 * checkout: an older session is invalidated (logged out in the background) and another is taken.
 * Doing it at checkout means a session is never retired in the middle of a query.
 *
 * Pool items are cheap: a session logs in on first use, so `min` sessions cost nothing until used.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Pool from "effect/Pool"
import type * as Scope from "effect/Scope"
import { PoolExhausted } from "../errors/index.js"
import { Authenticator } from "./Authenticator.js"
import * as Session from "./Session.js"
import { SnowflakeConfig } from "./SnowflakeConfig.js"
import { Transport } from "./Transport.js"

export interface SessionPoolService {
  /** Borrows a session for the scope's lifetime; waits at most `acquireTimeout`, else `PoolExhausted`. */
  readonly get: Effect.Effect<Session.Session, PoolExhausted, Scope.Scope>
  /** Runs `use` with a borrowed session and gives it back afterwards. */
  readonly withSession: <A, E>(
    use: (session: Session.Session) => Effect.Effect<A, E>
  ) => Effect.Effect<A, E | PoolExhausted>
  /** Drops a session whose state cannot be trusted (it is logged out and replaced lazily). */
  readonly invalidate: (session: Session.Session) => Effect.Effect<void>
}

export class SessionPool extends Context.Tag("effect-snowflake/SessionPool")<
  SessionPool,
  SessionPoolService
>() {}

export const make: Effect.Effect<
  SessionPoolService,
  never,
  Scope.Scope | SnowflakeConfig | Transport | Authenticator
> = Effect.gen(function* () {
  return yield* makeWith({
    config: yield* SnowflakeConfig,
    transport: yield* Transport,
    authenticator: yield* Authenticator
  })
})

/** The pool of sessions over the given services; closing the scope logs every session out. */
export const makeWith = (deps: Session.SessionDeps): Effect.Effect<SessionPoolService, never, Scope.Scope> =>
  Effect.gen(function* () {
    const { config } = deps
    const pool = yield* Pool.makeWithTTL({
      acquire: Session.make(deps),
      min: config.pool.min,
      max: config.pool.max,
      timeToLive: config.pool.idleTimeout,
      timeToLiveStrategy: "usage"
    })
    const maxLifetimeMillis = Duration.toMillis(config.pool.maxLifetime)

    const exhausted = () =>
      new PoolExhausted({
        message: `No Snowflake session became free within ${Duration.format(config.pool.acquireTimeout)} (pool max ${config.pool.max})`
      })

    const checkout: Effect.Effect<Session.Session, never, Scope.Scope> = Effect.gen(function* () {
      const session = yield* Pool.get(pool)
      const now = yield* Clock.currentTimeMillis
      if (now - session.createdAtMillis < maxLifetimeMillis) return session
      yield* Pool.invalidate(pool, session)
      return yield* checkout
    })

    const get = Effect.timeoutFail(checkout, { duration: config.pool.acquireTimeout, onTimeout: exhausted })

    return {
      get,
      withSession: (use) => Effect.scoped(Effect.flatMap(get, use)),
      invalidate: (session) => Effect.scoped(Pool.invalidate(pool, session))
    } satisfies SessionPoolService
  })

export const layer: Layer.Layer<SessionPool, never, SnowflakeConfig | Transport | Authenticator> =
  Layer.scoped(SessionPool, make)
