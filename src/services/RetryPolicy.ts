import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import { ConnectionTimeout, NetworkError, type SnowflakeError } from "../errors/index.js"
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
 * Retry-After, when the server sent one, replaces the computed delay, up to `maxRetryAfter` (a
 * server asking for an hour must not hold a call for an hour). No retry starts once `maxElapsed`
 * has passed since the first attempt, and no wait runs past it.
 */
export const schedule = (policy: RetryPolicy): Schedule.Schedule<unknown, SnowflakeError> => {
  const base = Duration.toMillis(policy.baseDelay)
  const cap = Duration.toMillis(policy.maxDelay)
  const retryAfterCap = Duration.toMillis(policy.maxRetryAfter)
  const budget = Duration.toMillis(policy.maxElapsed)
  const jitterMax = Math.floor(Duration.toMillis(policy.maxJitter))
  return Schedule.identity<SnowflakeError>().pipe(
    Schedule.intersect(Schedule.recurs(policy.retries)),
    Schedule.intersect(Schedule.elapsed),
    Schedule.whileInput(isTransientHttpFailure),
    Schedule.whileOutput(([, elapsed]) => Duration.toMillis(elapsed) < budget),
    Schedule.addDelayEffect(([[error, n], elapsed]) => {
      const left = budget - Duration.toMillis(elapsed)
      const retryAfter = retryAfterOf(error)
      if (retryAfter !== undefined) {
        return Effect.succeed(Duration.millis(Math.min(Duration.toMillis(retryAfter), retryAfterCap, left)))
      }
      const computed = Math.min(base * policy.factor ** n, cap)
      const jitter = jitterMax > 0 ? Random.nextIntBetween(0, jitterMax + 1) : Effect.succeed(0)
      return Effect.map(jitter, (j) => Duration.millis(Math.min(computed + j, left)))
    })
  )
}

/**
 * The error a request ends with after retrying: the last one, its message saying how many times
 * and for how long the request was tried, so a caller sees a failure that was fought, not a blip.
 */
export const afterRetries = (
  error: SnowflakeError,
  attempts: number,
  elapsedMillis: number
): SnowflakeError => {
  if (attempts < 2 || !isTransientHttpFailure(error)) return error
  const fields = {
    message: `${error.message} (retried ${attempts - 1} time${attempts === 2 ? "" : "s"} over ${Duration.format(Duration.millis(Math.round(elapsedMillis)))})`,
    code: error.code,
    sqlState: error.sqlState,
    queryId: error.queryId,
    httpStatus: error.httpStatus,
    cause: error.cause
  }
  return error._tag === "ConnectionTimeout" ? new ConnectionTimeout(fields) : new NetworkError(fields)
}
