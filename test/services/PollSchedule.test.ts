import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import { statusPolling } from "../../src/services/PollSchedule.js"

describe("status polling schedule", () => {
  it.effect("polls after 500 ms × 1, 1, 2, 3, 4, 8, 10, then every 5 s", () =>
    Effect.gen(function* () {
      const times = yield* Ref.make<ReadonlyArray<number>>([])
      const poll = Effect.flatMap(TestClock.currentTimeMillis, (now) => Ref.update(times, (t) => [...t, now]))
      const fiber = yield* Effect.fork(Effect.repeat(poll, statusPolling))
      for (let i = 0; i < 60; i++) yield* TestClock.adjust(Duration.millis(500))
      yield* Fiber.interrupt(fiber)
      const seen = yield* Ref.get(times)
      const gaps = seen.slice(1).map((t, i) => t - seen[i]!)
      assert.deepStrictEqual(gaps.slice(0, 9), [500, 500, 1000, 1500, 2000, 4000, 5000, 5000, 5000])
    })
  )
})
