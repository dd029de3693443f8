/**
 * snowflake-sdk on short statements: its own pool (`createPool`, max POOL_SIZE), `execute` with
 * one bind per statement — sequential latency, then STATEMENTS distinct statements at each
 * concurrency (that many callers sharing the pool).
 */
import snowflake from "snowflake-sdk"
import { PASSWORD, USER } from "../shared.js"
import {
  CONCURRENCIES,
  type ConcurrencyRun,
  check,
  concurrencyRun,
  POOL_SIZE,
  POOL_WARMUP,
  printReport,
  runConcurrently,
  sequentialLatency,
  values
} from "../small/measure.js"
import { SQL } from "../small/rawSession.js"

const [url] = process.argv.slice(2)

const started = performance.now()
snowflake.configure({ logLevel: "OFF" })
const pool = snowflake.createPool(
  { accessUrl: url!, account: "emulator", username: USER, password: PASSWORD },
  { max: POOL_SIZE, min: 0 }
)
const one = (value: number) =>
  pool.use(
    (connection) =>
      new Promise<void>((resolve, reject) => {
        connection.execute({
          sqlText: SQL,
          binds: [value],
          rowMode: "array",
          complete: (error, _statement, rows) => {
            if (error) return reject(error)
            try {
              check(value, (rows as Array<Array<unknown>> | undefined)?.[0]?.[0])
              resolve()
            } catch (e) {
              reject(e)
            }
          }
        })
      })
  )
await one(0)
const firstAnswerMs = performance.now() - started

const sequential = await sequentialLatency(one, 0)
await runConcurrently(values(POOL_WARMUP, 100_000), 50, one)
const runs: Array<ConcurrencyRun> = []
for (const [i, concurrency] of CONCURRENCIES.entries()) {
  runs.push(await concurrencyRun(concurrency, (i + 2) * 100_000, one))
}
printReport({ client: "snowflake-sdk", firstAnswerMs, sequential, runs })
await pool.drain()
await pool.clear()
