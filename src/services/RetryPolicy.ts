import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import type { SnowflakeError } from "../errors/index.js"
import type { ResolvedConfig } from "./SnowflakeConfig.js"

export type RetryPolicy = ResolvedConfig["retry"]

/**
 * A failure the Transport may repeat: no answer at all (connection refused or reset, timeout) or an
 * HTTP status of 408, 429 or 5xx. Everything else (4xx, `success:false` envelopes) is final.
 */
export const isTransientHttpFailure = (error: SnowflakeError): boolean =>
  error._tag === "ConnectionTimeout" || (error._tag === "NetworkError" && error.retryable)

/** Retry-After of a 429/503 answer, kept on the error so the schedule can honour it. */
export const retryAfterOf = (error: SnowflakeError): Duration.Duration | undefined =>
  error._tag === "NetworkError" && error.cause instanceof RetryAfter ? error.cause.delay : undefined

/** Carries a server-requested delay inside `NetworkError.cause`. */
export class RetryAfter {
  constructor(readonly delay: Duration.Duration) {}
}

/** Parses a Retry-After header: delta seconds or an HTTP date (relative to `now`). */
export const parseRetryAfter = (
  value: string | undefined,
  nowMillis: number
): Duration.Duration | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Duration.seconds(Number(trimmed))
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Duration.millis(Math.max(0, at - nowMillis))
}

/**
 * Delay before retry n (0-based): min(base × factor^n, cap) plus a uniform jitter in [0, maxJitter].
 * Retry-After, when the server sent one, replaces the computed delay (never shortened by the cap:
 * coming back earlier than asked only earns another 429).
 */
export const schedule = (policy: RetryPolicy): Schedule.Schedule<unknown, SnowflakeError> => {
  const base = Duration.toMillis(policy.baseDelay)
  const cap = Duration.toMillis(policy.maxDelay)
  const jitterMax = Math.floor(Duration.toMillis(policy.maxJitter))
  return Schedule.identity<SnowflakeError>().pipe(
    Schedule.intersect(Schedule.recurs(policy.retries)),
    Schedule.whileInput(isTransientHttpFailure),
    Schedule.addDelayEffect(([error, n]) => {
      const retryAfter = retryAfterOf(error)
      if (retryAfter !== undefined) return Effect.succeed(retryAfter)
      const computed = Math.min(base * policy.factor ** n, cap)
      const jitter = jitterMax > 0 ? Random.nextIntBetween(0, jitterMax + 1) : Effect.succeed(0)
      return Effect.map(jitter, (j) => Duration.millis(computed + j))
    })
  )
}
