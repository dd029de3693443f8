import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import { NetworkError, QuerySyntaxError, type SnowflakeError } from "../../src/errors/index.js"
import * as RetryPolicy from "../../src/services/RetryPolicy.js"

const policy = (overrides: Partial<RetryPolicy.RetryPolicy> = {}): RetryPolicy.RetryPolicy => ({
  retries: 3,
  baseDelay: Duration.millis(100),
  factor: 2,
  maxDelay: Duration.seconds(10),
  maxJitter: Duration.zero,
  maxRetryAfter: Duration.seconds(60),
  maxElapsed: Duration.minutes(2),
  ...overrides
})

/** Runs a always-failing attempt under the schedule and returns the clock times of each attempt. */
const attemptTimes = (p: RetryPolicy.RetryPolicy, error: (n: number) => SnowflakeError) =>
  Effect.gen(function* () {
    const times = yield* Ref.make<Array<number>>([])
    const start = yield* Clock.currentTimeMillis
    const attempt = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const seen = yield* Ref.updateAndGet(times, (ts) => [...ts, now - start])
      return yield* Effect.fail(error(seen.length - 1))
    })
    const fiber = yield* Effect.fork(Effect.retry(attempt, RetryPolicy.schedule(p)))
    yield* TestClock.adjust(Duration.minutes(10))
    const exit = yield* Fiber.await(fiber)
    return { times: yield* Ref.get(times), exit }
  })

const unavailable = () => new NetworkError({ message: "503", httpStatus: 503 })

describe("RetryPolicy", () => {
  it.effect("waits base × factor^n between attempts and gives up after `retries`", () =>
    Effect.gen(function* () {
      const { exit, times } = yield* attemptTimes(policy(), unavailable)
      assert.deepStrictEqual(times, [0, 100, 300, 700])
      assert.isTrue(exit._tag === "Failure")
    })
  )

  it.effect("caps each delay at maxDelay", () =>
    Effect.gen(function* () {
      const { times } = yield* attemptTimes(
        policy({ factor: 10, maxDelay: Duration.seconds(1) }),
        unavailable
      )
      assert.deepStrictEqual(times, [0, 100, 1100, 2100])
    })
  )

  it.effect("adds a jitter within [0, maxJitter]", () =>
    Effect.gen(function* () {
      const { times } = yield* attemptTimes(
        policy({ maxJitter: Duration.millis(100), retries: 5 }),
        unavailable
      )
      const gaps = times.slice(1).map((t, i) => t - times[i]!)
      gaps.forEach((gap, n) => {
        const computed = 100 * 2 ** n
        assert.isAtLeast(gap, computed)
        assert.isAtMost(gap, computed + 100)
      })
    })
  )

  it.effect("honours Retry-After instead of the computed delay", () =>
    Effect.gen(function* () {
      const { times } = yield* attemptTimes(
        policy({ retries: 1 }),
        () =>
          new NetworkError({
            message: "429",
            httpStatus: 429,
            cause: new RetryPolicy.RetryAfter(Duration.seconds(7))
          })
      )
      assert.deepStrictEqual(times, [0, 7000])
    })
  )

  it.effect("cuts a Retry-After longer than maxRetryAfter (an hour asked, a minute waited)", () =>
    Effect.gen(function* () {
      const { times } = yield* attemptTimes(
        policy({ retries: 2 }),
        () =>
          new NetworkError({
            message: "503",
            httpStatus: 503,
            cause: new RetryPolicy.RetryAfter(Duration.hours(1))
          })
      )
      assert.deepStrictEqual(times, [0, 60_000, 120_000])
    })
  )

  it.effect("starts no retry past maxElapsed and shortens the last wait to what is left", () =>
    Effect.gen(function* () {
      const { exit, times } = yield* attemptTimes(
        policy({
          retries: 1_000_000,
          baseDelay: Duration.seconds(1),
          factor: 1,
          maxElapsed: Duration.millis(2500)
        }),
        unavailable
      )
      assert.deepStrictEqual(times, [0, 1000, 2000, 2500])
      assert.isTrue(exit._tag === "Failure")
    })
  )

  it("the error after retries says how often and how long it was tried; a first failure is left alone", () => {
    const last = new NetworkError({ message: "Snowflake answered HTTP 503", httpStatus: 503 })
    const summarised = RetryPolicy.afterRetries(last, 4, 2500)
    assert.strictEqual(summarised._tag, "NetworkError")
    assert.strictEqual(summarised.message, "Snowflake answered HTTP 503 (retried 3 times over 2s 500ms)")
    assert.strictEqual(summarised.httpStatus, 503)
    assert.strictEqual(RetryPolicy.afterRetries(last, 1, 0), last)
    const final = new NetworkError({ message: "403", httpStatus: 403 })
    assert.strictEqual(RetryPolicy.afterRetries(final, 2, 10), final)
  })

  it.effect("does not retry non-transient failures", () =>
    Effect.gen(function* () {
      for (const error of [
        new NetworkError({ message: "400", httpStatus: 400 }),
        new NetworkError({ message: "403", httpStatus: 403 }),
        new QuerySyntaxError({ message: "bad sql", code: "001003" })
      ]) {
        const { times } = yield* attemptTimes(policy(), () => error)
        assert.deepStrictEqual(times, [0])
      }
    })
  )

  it.effect("retries 408, 429, 5xx and transport failures", () =>
    Effect.gen(function* () {
      for (const status of [408, 429, 500, 502, 503, 504, undefined]) {
        const { times } = yield* attemptTimes(policy({ retries: 1 }), () =>
          status === undefined
            ? new NetworkError({ message: "reset" })
            : new NetworkError({ message: "x", httpStatus: status })
        )
        assert.strictEqual(times.length, 2, `status ${status}`)
      }
    })
  )

  it("parses Retry-After seconds and HTTP dates", () => {
    assert.strictEqual(Duration.toMillis(RetryPolicy.parseRetryAfter("3", 0)!), 3000)
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")
    assert.strictEqual(
      Duration.toMillis(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:05 GMT", now)!),
      5000
    )
    assert.strictEqual(RetryPolicy.parseRetryAfter("soon", 0), undefined)
  })
})
