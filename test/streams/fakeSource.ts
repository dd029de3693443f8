/**
 * A chunk source for ResultStream tests: `chunks` chunks of `rowsPerChunk` rows, row n being
 * `[String(n), "row n"]` (inline rows first). Fetches are observable (started / completed /
 * interrupted counters) and their behaviour per chunk is up to the test.
 */

import { gzipSync } from "node:zlib"
import * as Effect from "effect/Effect"
import type { SnowflakeError } from "../../src/errors/index.js"
import type { ChunkInfo } from "../../src/protocol/wire/query.js"
import type { ChunkSource } from "../../src/streams/ResultStream.js"

export interface FakeOptions {
  readonly chunks: number
  readonly rowsPerChunk: number
  readonly inlineRows?: number
  /** Announced uncompressedSize of each chunk (default: the real body length). */
  readonly size?: (index: number) => number
  readonly gzip?: boolean
  /** Replaces the body of a chunk (e.g. a truncated one). */
  readonly body?: (index: number, plain: string) => string
  /** Wraps the fetch of a chunk: add delays, failures, never-ending fetches. */
  readonly around?: (
    index: number,
    chunk: ChunkInfo,
    fetch: Effect.Effect<Uint8Array, SnowflakeError>
  ) => Effect.Effect<Uint8Array, SnowflakeError>
  readonly refresh?: Effect.Effect<ReadonlyArray<ChunkInfo>, SnowflakeError>
}

export interface FakeSource extends ChunkSource {
  readonly total: number
  readonly started: Array<number>
  readonly completed: Array<number>
  readonly interrupted: Array<number>
}

export const rowText = (n: number) => [String(n), `row ${n}`] as const

export const makeFakeSource = (options: FakeOptions): FakeSource => {
  const inlineRows = options.inlineRows ?? 0
  const inline = Array.from({ length: inlineRows }, (_, n) => [...rowText(n)])
  const plainBodies = Array.from({ length: options.chunks }, (_, i) => {
    const first = inlineRows + i * options.rowsPerChunk
    return Array.from({ length: options.rowsPerChunk }, (_, r) => JSON.stringify(rowText(first + r))).join(
      ","
    )
  })
  const chunks: Array<ChunkInfo> = plainBodies.map((text, i) => ({
    url: `http://127.0.0.1:1/chunk/${i}?v=1`,
    rowCount: options.rowsPerChunk,
    uncompressedSize: options.size ? options.size(i) : text.length
  }))
  const started: Array<number> = []
  const completed: Array<number> = []
  const interrupted: Array<number> = []
  const fetch = (chunk: ChunkInfo, index: number) => {
    const plain = options.body ? options.body(index, plainBodies[index]!) : plainBodies[index]!
    const bytes = new TextEncoder().encode(plain)
    const base = Effect.sync(() => (options.gzip ? new Uint8Array(gzipSync(bytes)) : bytes))
    const wrapped = options.around ? options.around(index, chunk, base) : base
    return Effect.suspend(() => {
      started.push(index)
      return wrapped.pipe(
        Effect.tap(() => Effect.sync(() => completed.push(index))),
        Effect.onInterrupt(() => Effect.sync(() => interrupted.push(index)))
      )
    })
  }
  return {
    inline,
    chunks,
    fetch,
    ...(options.refresh ? { refresh: options.refresh } : {}),
    total: inlineRows + options.chunks * options.rowsPerChunk,
    started,
    completed,
    interrupted
  }
}

/** Lets every runnable fiber run for a while; no wall clock involved. */
export const settle = Effect.repeatN(Effect.yieldNow(), 500)

/** Row decoder used by the tests: the row number. */
export const rowNumber = (cells: ReadonlyArray<string | null>): number => Number(cells[0])
