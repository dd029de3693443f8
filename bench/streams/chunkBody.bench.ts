/**
 * Throughput of chunk-body parsing + validation and of gunzip (npx vite-node bench/streams/chunkBody.bench.ts).
 * Aim: ≥ 1M cells parsed and validated per 100 ms.
 */

import { gzipSync } from "node:zlib"
import { Effect, Either } from "effect"
import { chunkText, gunzipIfNeeded, parseChunkText } from "../../src/streams/chunkBody.js"

const rows = 100_000
const width = 10
const parts: Array<string> = []
for (let r = 0; r < rows; r++) {
  const cells: Array<string | null> = []
  for (let c = 0; c < width; c++)
    cells.push(c === 3 ? null : c % 2 === 0 ? String(r * 31 + c) : `value-${r}-${c}`)
  parts.push(JSON.stringify(cells))
}
const text = parts.join(",")
const bytes = new TextEncoder().encode(text)
const gz = gzipSync(bytes)
const cells = rows * width

const time = (name: string, n: number, f: () => void) => {
  f()
  const start = performance.now()
  for (let i = 0; i < n; i++) f()
  const ms = (performance.now() - start) / n
  console.log(`${name}: ${ms.toFixed(1)} ms  (${(((cells / ms) * 100) / 1e6).toFixed(2)}M cells / 100 ms)`)
}

console.log(
  `${rows} rows x ${width} cells, ${(bytes.length / 1e6).toFixed(1)} MB text, ${(gz.length / 1e6).toFixed(1)} MB gzip`
)
time("parse+validate", 10, () => {
  if (Either.isLeft(parseChunkText(text, { rowCount: rows }))) throw new Error("bad")
})
time("utf8 decode + parse+validate", 10, () => {
  if (Either.isLeft(parseChunkText(chunkText(bytes), { rowCount: rows }))) throw new Error("bad")
})
const gunzipMs = async (n: number) => {
  const start = performance.now()
  for (let i = 0; i < n; i++) await Effect.runPromise(gunzipIfNeeded(gz))
  return (performance.now() - start) / n
}
gunzipMs(2)
  .then(() => gunzipMs(5))
  .then((ms) => console.log(`gunzip (DecompressionStream): ${ms.toFixed(1)} ms`))
