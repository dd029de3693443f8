/**
 * `npm run bench:soak` (issue 15): one effect-snowflake client (pool of 10) against an in-process
 * emulator for `--minutes N` (default 30) of steady use: 20,000 queries and 200 streams per 30
 * minutes (scaled with N), emulator faults armed every few seconds. Short statements with binds,
 * INSERTs counted exactly once at the end, streams of 3,000 rows checked row by row, some streams
 * interrupted and some statements timed out. Heap used and RSS are sampled every few seconds and
 * printed as a curve. Exits non-zero on a wrong row, a lost or doubled insert, a fiber or socket
 * left behind. Loopback only; every loop bounded.
 *
 * Note: the emulator runs in this process, so the heap/RSS curve is client + emulator together.
 *
 *   npm run bench:soak -- --minutes 2
 */
import { Context, Duration, Effect, Fiber, Layer, Stream, Supervisor } from "effect"
import { Emulator, type FaultRule } from "../src/emulator/index.js"
import { Query, Snowflake } from "../src/index.js"
import { PASSWORD, USER } from "./shared.js"
import { type MemorySample, printCurve, sampleMemory } from "./soak/memory.js"
import { benchClient } from "./support.js"

const argument = (flag: string) => {
  const i = process.argv.indexOf(flag)
  return i < 0 ? undefined : process.argv[i + 1]
}
const minutes = Number(argument("--minutes") ?? "30")
const QUERIES = Math.round((20_000 * minutes) / 30)
const STREAMS = Math.max(1, Math.round((200 * minutes) / 30))
const STREAM_ROWS = 3_000
const POOL = 10
const durationMs = minutes * 60_000
const FAULT_EVERY_MS = 3_000
const SAMPLE_EVERY_MS = 5_000

/** Faults the client must survive by retrying (or surface as a typed error, counted by tag). */
const FAULTS: ReadonlyArray<FaultRule> = [
  { route: "query", kind: { _tag: "status", status: 503, retryAfterSeconds: 1 } },
  { route: "query", kind: { _tag: "status", status: 429, retryAfterSeconds: 1 } },
  { route: "query", kind: { _tag: "drop" } },
  { route: "query", kind: { _tag: "delay", millis: 1_500 } },
  { route: "query", kind: { _tag: "truncate" } },
  { route: "result", kind: { _tag: "status", status: 503 } },
  { route: "chunk", kind: { _tag: "truncate" } },
  { route: "chunk", kind: { _tag: "drop" } },
  { route: "query", kind: { _tag: "expireSession" } },
  { route: "query", kind: { _tag: "dropAfterExecute" } }
]

const errorsByTag = new Map<string, number>()
const countError = (error: unknown) => {
  const tag = (error as { _tag?: string })._tag ?? String(error)
  if (!errorsByTag.has(tag)) console.log(`first ${tag}: ${(error as { message?: string }).message ?? ""}`)
  errorsByTag.set(tag, (errorsByTag.get(tag) ?? 0) + 1)
}
const problems: Array<string> = []

const activeResources = () => {
  const counts = new Map<string, number>()
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1)
  return counts
}

const program = Effect.gen(function* () {
  const emulator = yield* Emulator.start({ users: [{ name: USER, password: PASSWORD }] })
  const resourcesBefore = activeResources()
  const supervisor = yield* Supervisor.track
  const startedMs = performance.now()
  const samples: Array<MemorySample> = [sampleMemory(startedMs)]
  let rowsChecked = 0
  let queriesOk = 0
  let streamsOk = 0
  let streamsInterrupted = 0
  let timeouts = 0
  const inserted = new Set<number>()
  let faultsArmed = 0

  yield* Effect.scoped(
    Effect.gen(function* () {
      const context = yield* Layer.build(benchClient(emulator.url, { pool: { min: 1, max: POOL } }))
      const sf = Context.get(context, Snowflake.Client)
      yield* sf.execute("CREATE OR REPLACE TABLE soak_rows (id INTEGER)")

      const shortStatement = (i: number) =>
        sf
          .execute(Query.make("SELECT ? * 2, ?").pipe(Query.bind(i, `s${i}`)), {
            rowMode: "array"
          })
          .pipe(
            Effect.tap((r) => {
              const row = r.rows[0]
              if (Number(row?.[0]) !== i * 2 || row?.[1] !== `s${i}`)
                problems.push(`query ${i}: wrong row ${JSON.stringify(row)}`)
              else rowsChecked++
            })
          )
      const insert = (i: number) =>
        sf
          .execute(Query.make("INSERT INTO soak_rows (id) VALUES (?)").pipe(Query.bind(i)))
          .pipe(Effect.tap(() => Effect.sync(() => inserted.add(i))))
      // every 50th statement runs long enough to be cut by a client-side timeout
      const timedOut = (i: number) =>
        sf.execute(`SELECT COUNT(*) FROM range(20000000) t(a), range(3) u(b) WHERE a + b = ${i}`).pipe(
          Effect.timeout(Duration.millis(50)),
          Effect.catchTag("TimeoutException", () => Effect.sync(() => timeouts++))
        )
      const query = (i: number) =>
        (i % 50 === 49
          ? Effect.asVoid(timedOut(i))
          : i % 5 === 0
            ? Effect.asVoid(insert(i))
            : Effect.asVoid(shortStatement(i))
        ).pipe(
          Effect.tap(() => Effect.sync(() => queriesOk++)),
          Effect.catchAll((e) => Effect.sync(() => countError(e)))
        )
      const stream = (i: number) => {
        const interrupted = i % 4 === 3
        let expected = 0
        let sum = 0
        const rows = sf
          .stream(`SELECT range AS n, 'r' || range AS s FROM range(${STREAM_ROWS}) ORDER BY n`, {
            rowMode: "array"
          })
          .pipe(
            Stream.tap((row) =>
              Effect.sync(() => {
                if (Number(row[0]) !== expected || row[1] !== `r${expected}`) {
                  problems.push(`stream ${i}: row ${expected} was ${JSON.stringify(row)}`)
                }
                sum += Number(row[0])
                expected++
                rowsChecked++
              })
            ),
            interrupted ? Stream.take(STREAM_ROWS / 3) : (s) => s
          )
        return Stream.runDrain(rows).pipe(
          Effect.tap(() =>
            Effect.sync(() => {
              if (interrupted) streamsInterrupted++
              else if (expected !== STREAM_ROWS || sum !== (STREAM_ROWS * (STREAM_ROWS - 1)) / 2) {
                problems.push(`stream ${i}: ${expected} rows, checksum ${sum}`)
              } else streamsOk++
            })
          ),
          Effect.catchAll((e) => Effect.sync(() => countError(e)))
        )
      }

      // Paced: item k of a kind starts no earlier than k/count of the way through the run.
      const paced = (count: number, run: (i: number) => Effect.Effect<void>, concurrency: number) =>
        Effect.forEach(
          Array.from({ length: count }, (_, i) => i),
          (i) =>
            Effect.suspend(() => {
              const due = (i / count) * durationMs - (performance.now() - startedMs)
              return due > 0 ? Effect.sleep(Duration.millis(due)) : Effect.void
            }).pipe(Effect.zipRight(run(i))),
          { concurrency, discard: true }
        )

      const faults = Effect.forEach(
        Array.from({ length: Math.floor(durationMs / FAULT_EVERY_MS) }, (_, i) => i),
        (i) =>
          Effect.sleep(Duration.millis(FAULT_EVERY_MS)).pipe(
            Effect.zipRight(emulator.faults.inject(FAULTS[i % FAULTS.length]!)),
            Effect.tap(() => Effect.sync(() => faultsArmed++))
          ),
        { discard: true }
      )
      const sampler = Effect.forEach(
        Array.from({ length: Math.ceil(durationMs / SAMPLE_EVERY_MS) + 60 }, (_, i) => i),
        () =>
          Effect.sleep(Duration.millis(SAMPLE_EVERY_MS)).pipe(
            Effect.tap(() => samples.push(sampleMemory(startedMs)))
          ),
        { discard: true }
      )
      const samplerFiber = yield* Effect.fork(sampler)
      yield* Effect.all([paced(QUERIES, query, 20), paced(STREAMS, stream, 2), faults], {
        concurrency: "unbounded",
        discard: true
      })
      yield* Fiber.interrupt(samplerFiber)
      const unused = (yield* emulator.faults.pending).length
      console.log(`faults still armed (never hit) at the end: ${unused}`)
      yield* emulator.faults.clear
      const counted = yield* sf.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM soak_rows", {
        rowMode: "array"
      })
      const [total, distinct] = (counted.rows[0] ?? []).map(Number)
      console.log(`inserts acknowledged ${inserted.size}; rows in table ${total} (${distinct} distinct)`)
      if (total !== distinct) problems.push(`insert doubled: ${total} rows, ${distinct} distinct ids`)
      if (distinct! < inserted.size)
        problems.push(`insert lost: ${inserted.size} acknowledged, ${distinct} stored`)
    }).pipe(Effect.supervised(supervisor))
  )
  // the client's scope is closed: its sessions logged out, its sockets closed, its fibers done
  yield* Effect.sleep(Duration.seconds(2))
  samples.push(sampleMemory(startedMs))
  const fibersLeft = (yield* supervisor.value).length
  const resourcesAfter = activeResources()
  const history = emulator.history()
  const logins = new Set(history.map((h) => h.sessionId)).size

  console.log(
    `\nsoak: ${minutes} min, ${QUERIES} queries, ${STREAMS} streams, ${faultsArmed} faults armed, ${((performance.now() - startedMs) / 1000).toFixed(0)} s`
  )
  printCurve(samples)
  console.log(
    `queries ok ${queriesOk}/${QUERIES}; streams full ${streamsOk}, interrupted ${streamsInterrupted}; timeouts ${timeouts}; rows checked ${rowsChecked}`
  )
  console.log(`errors by tag: ${JSON.stringify(Object.fromEntries(errorsByTag))}`)
  console.log(`fibers left: ${fibersLeft}; sessions seen by the emulator: ${logins}`)
  const grown = [...resourcesAfter].filter(([k, n]) => n > (resourcesBefore.get(k) ?? 0))
  console.log(
    `active resources before ${JSON.stringify(Object.fromEntries(resourcesBefore))} after ${JSON.stringify(Object.fromEntries(resourcesAfter))}`
  )
  // each armed fault affects one request: more failures than faults is the client failing on its own
  const failures = [...errorsByTag.values()].reduce((a, b) => a + b, 0)
  if (failures > faultsArmed) problems.push(`${failures} failed operations for ${faultsArmed} faults`)
  if (fibersLeft > 0) problems.push(`${fibersLeft} fibers left`)
  if (grown.some(([k]) => k.includes("TCP"))) problems.push(`sockets left: ${JSON.stringify(grown)}`)
  for (const p of problems.slice(0, 20)) console.log(`PROBLEM ${p}`)
  return problems.length === 0
})

const ok = await Effect.runPromise(Effect.scoped(program))
process.exit(ok ? 0 : 1)
