/**
 * ResultStream overhead over the decode floor (npx vite-node bench/streams/resultStream.bench.ts):
 * 1M rows x 4 columns in 40 gzip'ed chunks held in memory, streamed with the default prefetch and
 * byte budget, versus gunzip + parse + decode of the same chunks in a plain loop.
 */

import { gunzipSync, gzipSync } from "node:zlib"
import { Effect, Either, Stream } from "effect"
import { compileRowDecoder } from "../../src/protocol/decode/index.js"
import { parseChunkText } from "../../src/streams/chunkBody.js"
import * as ResultStream from "../../src/streams/ResultStream.js"

const CHUNKS = 40
const ROWS_PER_CHUNK = 25_000
const decoder = compileRowDecoder([
  { name: "ID", type: "fixed", precision: 18, scale: 0 },
  { name: "NAME", type: "text" },
  { name: "AMOUNT", type: "fixed", precision: 12, scale: 2 },
  { name: "FLAG", type: "boolean" }
])
const bodies = Array.from({ length: CHUNKS }, (_, c) => {
  const rows: Array<string> = []
  for (let r = 0; r < ROWS_PER_CHUNK; r++) {
    const n = c * ROWS_PER_CHUNK + r
    rows.push(JSON.stringify([String(n), `name ${n}`, `${n % 1000}.${n % 100}`, n % 2 ? "1" : "0"]))
  }
  const text = rows.join(",")
  return { text, gz: new Uint8Array(gzipSync(text, { level: 1 })) }
})
const chunks = bodies.map((b, i) => ({
  url: `mem://${i}`,
  rowCount: ROWS_PER_CHUNK,
  uncompressedSize: b.text.length
}))

const floor = () => {
  let count = 0
  for (const { gz } of bodies) {
    const rows = Either.getOrThrow(
      parseChunkText(gunzipSync(gz).toString("utf8"), { rowCount: ROWS_PER_CHUNK })
    )
    for (const row of rows) {
      decoder.toObject(row)
      count++
    }
  }
  return count
}

const streamed = ResultStream.make({
  source: { inline: [], chunks, fetch: (_chunk, index) => Effect.succeed(bodies[index]!.gz) },
  decode: decoder.toObject
}).pipe(Stream.runFold(0, (n) => n + 1))

const plainBodies = bodies.map((b) => new TextEncoder().encode(b.text))
const streamedPlain = ResultStream.make({
  source: { inline: [], chunks, fetch: (_chunk, index) => Effect.succeed(plainBodies[index]!) },
  decode: decoder.toObject
}).pipe(Stream.runFold(0, (n) => n + 1))

const time = async (name: string, f: () => Promise<number>) => {
  const start = performance.now()
  const rows = await f()
  console.log(`${name}: ${rows} rows in ${(performance.now() - start).toFixed(0)} ms`)
}

for (let round = 0; round < 2; round++) {
  await time("floor (sync gunzip + parse + decode)", async () => floor())
  await time("ResultStream, gzip bodies (prefetch 4, 64 MiB)", () => Effect.runPromise(streamed))
  await time("ResultStream, plain bodies (prefetch 4, 64 MiB)", () => Effect.runPromise(streamedPlain))
}
