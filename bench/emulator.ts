/**
 * How fast the emulator produces and serves a big result: a 1M-row × 8-column GENERATOR query,
 * answered by the emulator, then every chunk fetched over HTTP with plain GETs, gunzipped and
 * parsed the way drivers do. Prints rows/s for each phase (produce — for the first query of the
 * process and for a second one —, serve, client-side decode).
 *
 *   npx vite-node bench/emulator.ts [rows] [chunkRows]
 *
 * (vite-node ships with vitest, so the bench runs from the TypeScript sources without a build.)
 */
import { get } from "node:http"
import { gunzipSync } from "node:zlib"
import { Effect } from "effect"
import { Emulator } from "../src/emulator/index.js"

const rows = Number(process.argv[2] ?? 1_000_000)
const chunkRows = Number(process.argv[3] ?? 25_000)

const post = (url: string, body: unknown, token?: string) =>
  Effect.promise(async () => {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/snowflake",
        ...(token !== undefined ? { authorization: `Snowflake Token="${token}"` } : {})
      },
      body: JSON.stringify(body)
    })
    return (await res.json()) as { data: Record<string, unknown>; code: string | null; success: boolean }
  })

/** Raw GET (node:http keeps the gzip bytes; the bench gunzips itself, like a driver). */
const getRaw = (url: string, headers: Record<string, string>) =>
  Effect.async<Buffer>((resume) => {
    get(url, { headers }, (res) => {
      const parts: Array<Buffer> = []
      res.on("data", (p: Buffer) => parts.push(p))
      res.on("end", () => resume(Effect.succeed(Buffer.concat(parts))))
    })
  })

const seconds = (from: number) => (performance.now() - from) / 1000

const program = Effect.gen(function* () {
  const emulator = yield* Emulator.start({ chunkRows, longPollSeconds: 60 })
  const login = yield* post(`${emulator.url}/session/v1/login-request`, {
    data: { LOGIN_NAME: "bench", PASSWORD: "bench" }
  })
  const token = login.data.token as string
  const sql = `SELECT seq8() AS id, uniform(1, 1000000, random()) AS n1, uniform(1, 1000, random()) AS n2,
    'name_' || seq8() AS s1, 'some longer text value ' || seq8() AS s2, seq8() % 2 = 0 AS flag,
    seq8() * 1.5 AS f1, seq8() % 97 AS n3
    FROM TABLE(GENERATOR(ROWCOUNT => ${rows}))`
  const produce = Effect.gen(function* () {
    const t0 = performance.now()
    let answer = yield* post(
      `${emulator.url}/queries/v1/query-request?requestId=${crypto.randomUUID()}`,
      { sqlText: sql },
      token
    )
    while (answer.code === "333333") {
      answer = yield* Effect.promise(async () => {
        const res = await fetch(`${emulator.url}${answer.data.getResultUrl as string}`, {
          headers: { authorization: `Snowflake Token="${token}"` }
        })
        return (await res.json()) as typeof answer
      })
    }
    if (!answer.success) return yield* Effect.dieMessage(`query failed: ${JSON.stringify(answer)}`)
    return { answer, seconds: seconds(t0) }
  })
  // The first query of a process also pays V8 compiling polyglot's WASM in the background (a few
  // CPU seconds right after start); the second shows the steady state.
  const cold = yield* produce
  const { answer, seconds: produced } = yield* produce
  const chunks = (answer.data.chunks ?? []) as Array<{
    url: string
    rowCount: number
    compressedSize: number
  }>
  const headers = (answer.data.chunkHeaders ?? {}) as Record<string, string>
  const t1 = performance.now()
  const bodies = yield* Effect.forEach(chunks, (chunk) => getRaw(chunk.url, headers), { concurrency: 4 })
  const served = seconds(t1)
  const bytes = bodies.reduce((sum, body) => sum + body.length, 0)
  const t2 = performance.now()
  const counts = bodies.map(
    (body) => (JSON.parse(`[${gunzipSync(body).toString("utf8")}]`) as Array<unknown>).length
  )
  const decoded = seconds(t2)
  const total = (answer.data.rowset as Array<unknown>).length + counts.reduce((a, b) => a + b, 0)
  if (total !== rows) return yield* Effect.dieMessage(`expected ${rows} rows, got ${total}`)
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US")
  process.stdout.write(
    [
      `rows: ${fmt(total)} × 8 columns in ${chunks.length} chunks of ${fmt(chunkRows)} (${(bytes / 1e6).toFixed(1)} MB gzip)`,
      `produce, first query (engine + encode + gzip): ${cold.seconds.toFixed(2)} s  → ${fmt(total / cold.seconds)} rows/s`,
      `produce, second query (engine + encode + gzip): ${produced.toFixed(2)} s  → ${fmt(total / produced)} rows/s`,
      `serve (HTTP GET of every chunk, 4 parallel): ${served.toFixed(2)} s  → ${fmt(total / served)} rows/s`,
      `client-side decode (gunzip + JSON.parse): ${decoded.toFixed(2)} s  → ${fmt(total / decoded)} rows/s`,
      `end to end: ${(produced + served + decoded).toFixed(2)} s  → ${fmt(total / (produced + served + decoded))} rows/s`
    ]
      .map((line) => `${line}\n`)
      .join("")
  )
})

Effect.runPromise(Effect.scoped(program)).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
