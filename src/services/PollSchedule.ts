/**
 * How often to ask for the status of a running query: the official drivers' pattern of
 * 500 ms × [1, 1, 2, 3, 4, 8, 10], then every 5 seconds. Quick answers for short queries, little
 * load for long ones.
 */
import * as Duration from "effect/Duration"
import * as Schedule from "effect/Schedule"

const STEP = Duration.millis(500)

export const firstDelays: ReadonlyArray<Duration.Duration> = [1, 1, 2, 3, 4, 8, 10].map((n) =>
  Duration.times(STEP, n)
)

export const statusPolling: Schedule.Schedule<unknown> = Schedule.fromDelays(
  firstDelays[0]!,
  ...firstDelays.slice(1)
).pipe(Schedule.andThen(Schedule.spaced(Duration.seconds(5))))
