import { gunzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Metric from "effect/Metric"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { NetworkError, RowDecodeError } from "../../src/errors/index.js"
import type { ChunkInfo } from "../../src/protocol/wire/query.js"
import * as Metrics from "../../src/streams/metrics.js"
import * as ResultStream from "../../src/streams/ResultStream.js"
import { makeFakeSource, rowNumber, settle } from "./fakeSource.js"

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

const expired = new NetworkError({ message: "Result chunk download answered HTTP 403", httpStatus: 403 })

describe("ResultStream.make", () => {
  it.effect(
    "delivers inline rows then every chunk's rows exactly once, in order, although fetches finish out of order",
    () =>
      Effect.gen(function* () {
        const source = makeFakeSource({
          chunks: 12,
          rowsPerChunk: 25,
          inlineRows: 7,
          // Later chunks of each prefetch window finish first.
          around: (index, _chunk, fetch) =>
            Effect.zipRight(Effect.repeatN(Effect.yieldNow(), (12 - index) * 20), fetch)
        })
        const rows = yield* Stream.runCollect(ResultStream.make({ source, decode: rowNumber, prefetch: 4 }))
        assert.deepStrictEqual(Chunk.toReadonlyArray(rows), range(source.total))
        const inOrder = source.completed.every((index, i) => i === 0 || source.completed[i - 1]! < index)
        assert.isFalse(inOrder, `fetches completed in order ${source.completed}, the test proves nothing`)
        assert.deepStrictEqual(
          [...source.started].sort((a, b) => a - b),
          range(12)
        )
      })
  )

  it.effect("emits one stream chunk per result chunk", () =>
    Effect.gen(function* () {
      const source = makeFakeSource({ chunks: 3, rowsPerChunk: 40, inlineRows: 5 })
      const sizes = yield* ResultStream.make({ source, decode: rowNumber }).pipe(
        Stream.mapChunks((chunk) => Chunk.of(chunk.length)),
        Stream.runCollect
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(sizes), [5, 40, 40, 40])
    })
  )

  it.effect(
    "cuts big result chunks into stream chunks of at most EMIT_ROWS rows (Stream.runFold survives)",
    () =>
      Effect.gen(function* () {
        const source = makeFakeSource({ chunks: 2, rowsPerChunk: 30_000, inlineRows: 5_000 })
        const stream = ResultStream.make({ source, decode: rowNumber })
        const sizes = yield* stream.pipe(
          Stream.mapChunks((chunk) => Chunk.of(chunk.length)),
          Stream.runCollect
        )
        const cut = (n: number) => [...Array(Math.floor(n / 4096)).fill(4096), n % 4096]
        assert.deepStrictEqual(Chunk.toReadonlyArray(sizes), [...cut(5_000), ...cut(30_000), ...cut(30_000)])
        // Effect's fold sink recurses per element of a chunk; 30k-row chunks would overflow the stack.
        const sum = yield* Stream.runFold(stream, 0, (acc, n) => acc + n)
        assert.strictEqual(sum, (65_000 * 64_999) / 2)
      })
  )

  it.effect("works with inline rows only and with nothing at all", () =>
    Effect.gen(function* () {
      const inlineOnly = makeFakeSource({ chunks: 0, rowsPerChunk: 0, inlineRows: 3 })
      const rows = yield* Stream.runCollect(ResultStream.make({ source: inlineOnly, decode: rowNumber }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(rows), [0, 1, 2])
      const empty = makeFakeSource({ chunks: 0, rowsPerChunk: 0 })
      assert.strictEqual(
        Chunk.size(yield* Stream.runCollect(ResultStream.make({ source: empty, decode: rowNumber }))),
        0
      )
    })
  )

  it.effect("decodes gzip'ed chunk bodies", () =>
    Effect.gen(function* () {
      const source = makeFakeSource({ chunks: 5, rowsPerChunk: 100, gzip: true })
      const rows = yield* Stream.runCollect(ResultStream.make({ source, decode: rowNumber }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(rows), range(500))
    })
  )

  it.effect("uses the given inflate for gzip bodies, and only for them", () =>
    Effect.gen(function* () {
      let inflated = 0
      const inflate = (bytes: Uint8Array) =>
        Effect.sync(() => {
          inflated++
          return new Uint8Array(gunzipSync(bytes))
        })
      const zipped = makeFakeSource({ chunks: 3, rowsPerChunk: 10, gzip: true })
      const rows = yield* Stream.runCollect(ResultStream.make({ source: zipped, decode: rowNumber, inflate }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(rows), range(30))
      assert.strictEqual(inflated, 3)
      const plain = makeFakeSource({ chunks: 3, rowsPerChunk: 10 })
      yield* Stream.runDrain(ResultStream.make({ source: plain, decode: rowNumber, inflate }))
      assert.strictEqual(inflated, 3)
    })
  )

  it.scoped("stops downloading while the consumer does not pull (backpressure by bytes)", () =>
    Effect.gen(function* () {
      // Each chunk announces 100 bytes; the budget holds two of them.
      const source = makeFakeSource({ chunks: 10, rowsPerChunk: 3, size: () => 100 })
      const pull = yield* Stream.toPull(
        ResultStream.make({ source, decode: rowNumber, prefetch: 4, maxBufferedBytes: 250 })
      )
      const first = yield* pull
      assert.deepStrictEqual(Chunk.toReadonlyArray(first), [0, 1, 2])
      yield* settle
      // Chunk 0 is with the consumer, chunk 1 is read ahead; chunk 2 waits for bytes.
      assert.deepStrictEqual(source.started, [0, 1])
      yield* pull
      yield* settle
      assert.deepStrictEqual(source.started, [0, 1, 2])
      yield* pull
      yield* settle
      assert.deepStrictEqual(source.started, [0, 1, 2, 3])
    })
  )

  it.scoped("stops downloading while the consumer does not pull (backpressure by count)", () =>
    Effect.gen(function* () {
      const source = makeFakeSource({ chunks: 40, rowsPerChunk: 2 })
      const pull = yield* Stream.toPull(ResultStream.make({ source, decode: rowNumber, prefetch: 3 }))
      yield* pull
      yield* settle
      const ahead = source.started.length
      // The bytes fit easily; only the prefetch window (plus the hand-over slots) limits read-ahead.
      assert.isAtMost(ahead, 3 * 2 + 2)
      assert.isAtLeast(ahead, 3)
      yield* settle
      assert.strictEqual(source.started.length, ahead)
    })
  )

  it.effect("never holds more than maxBufferedBytes of unconsumed chunks", () =>
    Effect.gen(function* () {
      const sizes = [300, 100, 200, 50, 400, 100, 100, 250, 30, 500, 120, 80]
      const source = makeFakeSource({ chunks: sizes.length, rowsPerChunk: 10, size: (i) => sizes[i]! })
      let outstanding = 0
      let maxOutstanding = 0
      const counted = ResultStream.make({
        source: {
          ...source,
          fetch: (chunk, index) =>
            Effect.suspend(() => {
              outstanding += sizes[index]!
              maxOutstanding = Math.max(maxOutstanding, outstanding)
              return source.fetch(chunk, index)
            })
        },
        decode: rowNumber,
        prefetch: 4,
        maxBufferedBytes: 600
      })
      const seen: Array<number> = []
      yield* Stream.runForEach(counted, (row) =>
        Effect.gen(function* () {
          seen.push(row)
          // The consumer is slow: every row lets the downloads run ahead as far as they may.
          yield* Effect.repeatN(Effect.yieldNow(), 5)
          if (row % 10 === 9) outstanding -= sizes[Math.floor(row / 10)]!
        })
      )
      assert.deepStrictEqual(seen, range(120))
      assert.isAtMost(maxOutstanding, 600)
      assert.isAbove(maxOutstanding, 500, "downloads never ran ahead, the test proves nothing")
    })
  )

  it.effect("streams a chunk larger than the whole budget", () =>
    Effect.gen(function* () {
      const source = makeFakeSource({ chunks: 4, rowsPerChunk: 50, size: () => 1_000_000 })
      const rows = yield* Stream.runCollect(
        ResultStream.make({ source, decode: rowNumber, maxBufferedBytes: 10 })
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(rows), range(200))
    })
  )

  it.effect("works without announced sizes", () =>
    Effect.gen(function* () {
      const base = makeFakeSource({ chunks: 6, rowsPerChunk: 10 })
      const source = { ...base, chunks: base.chunks.map(({ url, rowCount }) => ({ url, rowCount })) }
      const rows = yield* Stream.runCollect(
        ResultStream.make({ source, decode: rowNumber, maxBufferedBytes: 100 })
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(rows), range(60))
    })
  )

  it.effect("fails with ProtocolError on a truncated chunk, after the rows before it", () =>
    Effect.gen(function* () {
      const source = makeFakeSource({
        chunks: 5,
        rowsPerChunk: 10,
        body: (index, plain) => (index === 2 ? plain.slice(0, plain.length - 7) : plain)
      })
      const seen: Array<number> = []
      const error = yield* ResultStream.make({ source, decode: rowNumber }).pipe(
        Stream.runForEach((row) => Effect.sync(() => seen.push(row))),
        Effect.flip
      )
      assert.strictEqual(error._tag, "ProtocolError")
      assert.include(error.message, "Result chunk 2")
      assert.deepStrictEqual(seen, range(20))
    })
  )

  it.effect("fails with ProtocolError when a chunk has fewer rows than announced", () =>
    Effect.gen(function* () {
      const source = makeFakeSource({
        chunks: 3,
        rowsPerChunk: 10,
        gzip: true,
        // Cut at a row boundary: valid JSON, one row short.
        body: (index, plain) => (index === 1 ? plain.slice(0, plain.lastIndexOf(",[")) : plain)
      })
      const error = yield* Effect.flip(Stream.runCollect(ResultStream.make({ source, decode: rowNumber })))
      assert.strictEqual(error._tag, "ProtocolError")
      assert.include(error.message, "9 rows, 10 were announced")
    })
  )

  it.effect("fails with RowDecodeError when the decoder rejects a row", () =>
    Effect.gen(function* () {
      const source = makeFakeSource({ chunks: 2, rowsPerChunk: 5 })
      const decode = (cells: ReadonlyArray<string | null>) => {
        if (cells[0] === "7") throw new RowDecodeError({ message: "bad row 7" })
        return rowNumber(cells)
      }
      const error = yield* Effect.flip(Stream.runCollect(ResultStream.make({ source, decode })))
      assert.instanceOf(error, RowDecodeError)
      assert.strictEqual(error.message, "bad row 7")
    })
  )

  it.effect("refreshes expired chunk URLs once, even when several chunks see the 403", () =>
    Effect.gen(function* () {
      let refreshes = 0
      const source = makeFakeSource({
        chunks: 8,
        rowsPerChunk: 10,
        around: (_index, chunk, fetch) => (chunk.url.endsWith("v=1") ? Effect.fail(expired) : fetch),
        refresh: Effect.sync(() => {
          refreshes++
          return fresh
        })
      })
      const fresh: ReadonlyArray<ChunkInfo> = source.chunks.map((chunk) => ({
        ...chunk,
        url: chunk.url.replace("v=1", "v=2")
      }))
      const rows = yield* Stream.runCollect(ResultStream.make({ source, decode: rowNumber, prefetch: 4 }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(rows), range(80))
      assert.strictEqual(refreshes, 1)
    })
  )

  it.effect(
    "gives up with the 403 when refreshed URLs keep expiring, after a bounded number of refreshes",
    () =>
      Effect.gen(function* () {
        let refreshes = 0
        const source = makeFakeSource({
          chunks: 10,
          rowsPerChunk: 2,
          around: () => Effect.fail(expired),
          refresh: Effect.sync(() => {
            refreshes++
            return source.chunks
          })
        })
        const error = yield* Effect.flip(
          Stream.runCollect(ResultStream.make({ source, decode: rowNumber, prefetch: 1, maxRefreshes: 3 }))
        )
        assert.strictEqual(error._tag, "NetworkError")
        assert.strictEqual(error.httpStatus, 403)
        assert.isAtMost(refreshes, 3)
        assert.isAtLeast(refreshes, 1)
      })
  )

  it.effect("fails with the 403 when there is no way to refresh", () =>
    Effect.gen(function* () {
      const source = makeFakeSource({ chunks: 2, rowsPerChunk: 2, around: () => Effect.fail(expired) })
      const error = yield* Effect.flip(Stream.runCollect(ResultStream.make({ source, decode: rowNumber })))
      assert.strictEqual(error.httpStatus, 403)
    })
  )

  it.effect("take(n) interrupts in-flight downloads and starts no new one", () =>
    Effect.gen(function* () {
      const source = makeFakeSource({
        chunks: 100,
        rowsPerChunk: 10,
        // Only chunk 0 ever answers; the others hang until interrupted.
        around: (index, _chunk, fetch) => (index === 0 ? fetch : Effect.zipRight(Effect.never, fetch))
      })
      const rows = yield* Stream.runCollect(
        ResultStream.make({ source, decode: rowNumber, prefetch: 4 }).pipe(Stream.take(5))
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(rows), [0, 1, 2, 3, 4])
      yield* settle
      const started = source.started.length
      assert.isAtLeast(started, 2, "nothing was in flight, the test proves nothing")
      assert.isAtMost(started, 4 + 2)
      // Every download that had not finished was interrupted, and none started afterwards.
      assert.deepStrictEqual(
        [...source.interrupted].sort((a, b) => a - b),
        source.started.filter((index) => index !== 0).sort((a, b) => a - b)
      )
      yield* settle
      assert.strictEqual(source.started.length, started)
    })
  )

  it.effect("interrupting the consuming fiber interrupts the downloads", () =>
    Effect.gen(function* () {
      const inFlight = yield* Deferred.make<void>()
      const source = makeFakeSource({
        chunks: 50,
        rowsPerChunk: 10,
        around: (index, _chunk, fetch) =>
          index < 3
            ? fetch
            : Effect.zipRight(Deferred.succeed(inFlight, undefined), Effect.zipRight(Effect.never, fetch))
      })
      const fiber = yield* Effect.fork(
        Stream.runDrain(ResultStream.make({ source, decode: rowNumber, prefetch: 4 }))
      )
      yield* Deferred.await(inFlight)
      yield* Fiber.interrupt(fiber)
      const hanging = source.started.filter((index) => index >= 3)
      assert.isAbove(hanging.length, 0)
      assert.deepStrictEqual(
        [...source.interrupted].sort((a, b) => a - b),
        hanging.sort((a, b) => a - b)
      )
      const started = source.started.length
      yield* settle
      assert.strictEqual(source.started.length, started)
    })
  )

  it.effect("a timeout around the stream stops it like an interruption", () =>
    Effect.gen(function* () {
      const source = makeFakeSource({
        chunks: 20,
        rowsPerChunk: 10,
        around: (index, _chunk, fetch) => (index < 2 ? fetch : Effect.zipRight(Effect.never, fetch))
      })
      const fiber = yield* ResultStream.make({ source, decode: rowNumber }).pipe(
        Stream.runCollect,
        Effect.timeout("1 second"),
        Effect.either,
        Effect.fork
      )
      yield* settle
      yield* TestClock.adjust("1 second")
      const result = yield* Fiber.join(fiber)
      assert.isTrue(Either.isLeft(result) && result.left._tag === "TimeoutException")
      const hanging = source.started.filter((index) => index >= 2)
      assert.isAbove(hanging.length, 0)
      assert.deepStrictEqual(
        [...source.interrupted].sort((a, b) => a - b),
        hanging.sort((a, b) => a - b)
      )
    })
  )

  it.effect("counts fetched chunks and bytes, and gives back buffered bytes even when stopped early", () =>
    Effect.gen(function* () {
      const source = makeFakeSource({ chunks: 6, rowsPerChunk: 10 })
      const chunksBefore = (yield* Metric.value(Metrics.chunksFetched)).count
      const bytesBefore = (yield* Metric.value(Metrics.chunkBytesFetched)).count
      const bufferedBefore = (yield* Metric.value(Metrics.bufferedBytes)).value
      yield* Stream.runDrain(ResultStream.make({ source, decode: rowNumber }))
      assert.strictEqual((yield* Metric.value(Metrics.chunksFetched)).count - chunksBefore, 6)
      // The fake announces each body's exact (ASCII) length.
      const bodyBytes = source.chunks.reduce((sum, chunk) => sum + chunk.uncompressedSize!, 0)
      assert.strictEqual((yield* Metric.value(Metrics.chunkBytesFetched)).count - bytesBefore, bodyBytes)
      assert.strictEqual((yield* Metric.value(Metrics.bufferedBytes)).value, bufferedBefore)

      const stopped = makeFakeSource({ chunks: 20, rowsPerChunk: 10, size: () => 100 })
      yield* Stream.runDrain(ResultStream.make({ source: stopped, decode: rowNumber }).pipe(Stream.take(15)))
      assert.strictEqual((yield* Metric.value(Metrics.bufferedBytes)).value, bufferedBefore)
    })
  )
})
