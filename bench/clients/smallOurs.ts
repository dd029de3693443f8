/**
 * effect-snowflake on short statements: `sf.execute(SELECT ? * 2)` with one bind, array rows,
 * over a pool of POOL_SIZE sessions — sequential latency, then STATEMENTS distinct statements at
 * each concurrency with `Effect.forEach` (how an Effect program runs many at once).
 */
import { Context, Effect, Layer } from "effect"
import { Query, Snowflake } from "../../src/index.js"
import {
  CONCURRENCIES,
  type ConcurrencyRun,
  check,
  cpuMillis,
  latency,
  POOL_SIZE,
  POOL_WARMUP,
  printReport,
  SEQUENTIAL_STATEMENTS,
  SEQUENTIAL_WARMUP,
  STATEMENTS,
  values
} from "../small/measure.js"
import { SQL } from "../small/rawSession.js"
import { benchClient } from "../support.js"

const [url] = process.argv.slice(2)

const program = Effect.gen(function* () {
  const started = performance.now()
  // Built in this scope: the pool lives until the program ends.
  const context = yield* Layer.build(benchClient(url!, { pool: { max: POOL_SIZE } }))
  const sf = Context.get(context, Snowflake.Client)
  const one = (value: number) =>
    sf
      .execute(Query.make(SQL).pipe(Query.bind(value)), { rowMode: "array" })
      .pipe(Effect.map((result) => check(value, result.rows[0]?.[0])))
  yield* one(0)
  const firstAnswerMs = performance.now() - started

  yield* Effect.forEach(values(SEQUENTIAL_WARMUP, 0), one, { discard: true })
  const samples: Array<number> = []
  for (const value of values(SEQUENTIAL_STATEMENTS, SEQUENTIAL_WARMUP)) {
    const t0 = performance.now()
    yield* one(value)
    samples.push(performance.now() - t0)
  }
  // every pooled session logged in and warm before the timed runs, as for the sdk
  yield* Effect.forEach(values(POOL_WARMUP, 100_000), one, { concurrency: 50, discard: true })
  const runs: Array<ConcurrencyRun> = []
  for (const [i, concurrency] of CONCURRENCIES.entries()) {
    const cpu0 = cpuMillis()
    const t0 = performance.now()
    yield* Effect.forEach(values(STATEMENTS, (i + 2) * 100_000), one, { concurrency, discard: true })
    runs.push({
      concurrency,
      statements: STATEMENTS,
      wallMs: performance.now() - t0,
      cpuMs: cpuMillis() - cpu0
    })
  }
  printReport({ client: "effect-snowflake", firstAnswerMs, sequential: latency(samples), runs })
})

await Effect.runPromise(Effect.scoped(program))
