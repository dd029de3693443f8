import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { withClient } from "./support.js"

describe("session keep-alive", () => {
  it.scopedLive("a logged-in session sends heartbeats at the configured interval", () =>
    Effect.gen(function* () {
      const { emulator, sf } = yield* withClient({ heartbeatInterval: "200 millis" })
      yield* sf.execute("SELECT 1 AS ONE")
      // A one-shot rule on the heartbeat route is used up only when a heartbeat arrives.
      yield* emulator.faults.inject({ route: "heartbeat", times: 2, kind: { _tag: "delay", millis: 1 } })
      yield* Effect.flatMap(emulator.faults.pending, (rules) =>
        rules.length === 0 ? Effect.void : Effect.fail("no heartbeat yet")
      ).pipe(Effect.retry(Schedule.spaced(Duration.millis(100)).pipe(Schedule.upTo(Duration.seconds(20)))))
      assert.deepStrictEqual(yield* emulator.faults.pending, [])
    })
  )
})
