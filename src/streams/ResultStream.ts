/**
 * The rows of a (possibly huge) result as a `Stream`, with memory bounded in bytes.
 *
 * This is where the official Node driver fails its users (feature-survey §2 items 1, 4 and 9): it
 * downloads every chunk at once, hangs on a malformed chunk and cannot be cancelled. Here:
 *
 * - **Bounded prefetch.** Up to `prefetch` chunks download at once, delivered in order. Before a
 *   download starts, its size (`uncompressedSize`, or an even share of the budget when the server
 *   did not say) is reserved from a byte budget, `maxBufferedBytes`; it is given back only when the
 *   consumer has pulled past the chunk's rows. A slow consumer therefore stops further downloads.
 *   Reservations are taken strictly in chunk order, so a later chunk can never hold bytes an earlier
 *   one waits for (no deadlock); a chunk larger than the whole budget reserves the whole budget.
 * - **Exactly once, in order, or a typed failure.** A truncated or malformed chunk, or one with a
 *   different row count than announced, fails the stream with `ProtocolError` (chunkBody.ts).
 * - **Expired URLs.** A 403 on a chunk refreshes the URLs (`source.refresh`) and retries that chunk
 *   once; refreshes are bounded per stream (chunkUrls.ts).
 * - **Cancellation.** Ending the stream early (take, timeout, interruption) interrupts in-flight
 *   downloads and starts no new one.
 *
 * Rows are emitted in Effect `Chunk`s of up to `EMIT_ROWS` rows (a result chunk is cut into slices),
 * decoded only when pulled, so the buffered data stays the compact raw rows and per-row stream
 * overhead stays low.
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Stream from "effect/Stream"
import type { NetworkError } from "../errors/Connection.js"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import * as RowBatch from "../protocol/decode/RowBatch.js"
import { asRowDecodeError } from "../protocol/decode/RowDecoder.js"
import type { ChunkInfo } from "../protocol/wire/query.js"
import { decodeChunkBody, type Inflate, type RawRows } from "./chunkBody.js"
import * as ChunkUrls from "./chunkUrls.js"
import * as Metrics from "./metrics.js"

/** Where a result's rows come from: the inline rowset and the chunks, however they are downloaded. */
export interface ChunkSource {
  /** Rows that came inline in the query answer (`data.rowset`). */
  readonly inline: RawRows
  /** `data.chunks`: URL, row count and (usually) sizes of every further chunk, in order. */
  readonly chunks: ReadonlyArray<ChunkInfo>
  /**
   * The raw body bytes of one chunk (gzip'ed or not). Retries of transient failures belong here;
   * an expired URL must fail with `NetworkError` and `httpStatus: 403`.
   */
  readonly fetch: (chunk: ChunkInfo, index: number) => Effect.Effect<Uint8Array, SnowflakeError>
  /** Fresh chunk URLs (`GET /queries/{id}/result`), used after a 403. Without it a 403 fails the stream. */
  readonly refresh?: Effect.Effect<ReadonlyArray<ChunkInfo>, SnowflakeError> | undefined
}

export interface BatchOptions {
  readonly source: ChunkSource
  /** Chunks downloading at once (default 4). 1 means no read-ahead at all. */
  readonly prefetch?: number | undefined
  /** Bytes of chunk data downloading or downloaded but not yet consumed (default 64 MiB). */
  readonly maxBufferedBytes?: number | undefined
  /** URL refreshes allowed per stream (default 3, like the official drivers). */
  readonly maxRefreshes?: number | undefined
  /**
   * Gunzip for gzip'ed bodies (recognised by their magic bytes). Default: the portable
   * `DecompressionStream`; a Node layer may pass node:zlib's `gunzip`, which measured ~1.7× faster.
   */
  readonly inflate?: Inflate | undefined
}

export interface Options<Row> extends BatchOptions {
  /** Raw cells to a row, e.g. `compileRowDecoder(rowtype).toObject`. May throw `RowDecodeError`. */
  readonly decode: (cells: ReadonlyArray<string | null>) => Row
}

export const DEFAULT_PREFETCH = 4
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024
export const DEFAULT_MAX_REFRESHES = 3

/**
 * Most rows per emitted Effect `Chunk`. Large enough that per-row stream overhead vanishes, small
 * enough for Effect's sinks: `Stream.runFold` recurses once per element of a chunk and overflows
 * the stack on chunks of some ten thousand elements, and Snowflake chunks hold far more rows.
 */
export const EMIT_ROWS = 4096

const isExpiredUrl = (error: SnowflakeError): error is NetworkError =>
  error._tag === "NetworkError" && error.httpStatus === 403

/** Bytes to reserve for a chunk: what the server announced, clamped to the budget. */
export const reservationFor = (chunk: ChunkInfo, budget: number, prefetch: number): number => {
  const announced = chunk.uncompressedSize ?? chunk.compressedSize
  const estimate = announced != null && announced > 0 ? announced : Math.ceil(budget / prefetch)
  return Math.max(1, Math.min(budget, Math.ceil(estimate)))
}

/** A batch as batches of at most `EMIT_ROWS` rows (no copying for rowset batches). */
const emitBatches = (batch: RowBatch.RowBatch): Stream.Stream<RowBatch.RowBatch> =>
  Stream.fromIterable(RowBatch.split(batch, EMIT_ROWS))

/**
 * The rows of a result in batches of at most `EMIT_ROWS` rows, not yet decoded: inline rows first,
 * then every chunk in order. Decoding is the consumer's (as batches are pulled).
 */
export const batches = (options: BatchOptions): Stream.Stream<RowBatch.RowBatch, SnowflakeError> => {
  const { source } = options
  const prefetch = Math.max(1, Math.floor(options.prefetch ?? DEFAULT_PREFETCH))
  const budget = Math.max(1, Math.floor(options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES))
  const maxRefreshes = Math.max(0, Math.floor(options.maxRefreshes ?? DEFAULT_MAX_REFRESHES))

  const inline = emitBatches(RowBatch.cells(source.inline))

  const span = Stream.withSpan("snowflake.result.stream", {
    attributes: {
      chunks: source.chunks.length,
      inlineRows: source.inline.length,
      prefetch,
      maxBufferedBytes: budget
    }
  })
  if (source.chunks.length === 0) return span(inline)

  const chunked = Stream.unwrap(
    Effect.gen(function* () {
      const permits = yield* Effect.makeSemaphore(budget)
      const urls = yield* ChunkUrls.make(source.chunks, source.refresh, maxRefreshes)
      // Bytes this run holds, so the gauge can be set right when the stream ends early.
      let held = 0
      const track = (delta: number) =>
        Effect.suspend(() => {
          held += delta
          return Metric.incrementBy(Metrics.bufferedBytes, delta)
        })

      const reserve = (index: number) => {
        const bytes = reservationFor(source.chunks[index]!, budget, prefetch)
        return Effect.uninterruptibleMask((restore) =>
          restore(permits.take(bytes)).pipe(Effect.zipRight(track(bytes)), Effect.as({ index, bytes }))
        )
      }

      const release = (bytes: number) =>
        Effect.uninterruptible(Effect.zipRight(permits.release(bytes), track(-bytes)))

      // One refresh-and-retry per chunk; the stream-wide budget lives in ChunkUrls.
      const fetchBytes = (index: number, refreshed = false): Effect.Effect<Uint8Array, SnowflakeError> =>
        Effect.flatMap(urls.current(index), ({ chunk, generation }) =>
          source.fetch(chunk, index).pipe(
            Effect.catchIf(
              (error) => !refreshed && isExpiredUrl(error),
              (error) => Effect.zipRight(urls.renew(generation, error), fetchBytes(index, true))
            )
          )
        )

      const download = ({ index, bytes }: { readonly index: number; readonly bytes: number }) => {
        const rowCount = source.chunks[index]!.rowCount
        return fetchBytes(index).pipe(
          Effect.tap((body) =>
            Effect.zipRight(
              Metric.increment(Metrics.chunksFetched),
              Metric.incrementBy(Metrics.chunkBytesFetched, body.length)
            )
          ),
          Effect.flatMap((body) => decodeChunkBody(body, { rowCount, index }, options.inflate)),
          Effect.withSpan("snowflake.chunk.fetch", { attributes: { index, rowCount } }),
          Effect.map((rows) => ({ rows, bytes }))
        )
      }

      return Stream.range(0, source.chunks.length - 1).pipe(
        // Sequential on purpose: reservations in chunk order (see the module comment).
        Stream.mapEffect(reserve),
        Stream.mapEffect(download, { concurrency: prefetch }),
        // The chunk's bytes go back when the consumer pulls past its rows, not when they are emitted.
        // A step of the stream rather than a finalizer: an inner stream's finalizer would only run
        // once the next chunk had arrived, which is exactly what a full budget prevents.
        Stream.flatMap(({ rows, bytes }) => Stream.concat(emitBatches(rows), Stream.execute(release(bytes)))),
        Stream.ensuring(Effect.suspend(() => track(-held)))
      )
    })
  )

  return span(Stream.concat(inline, chunked))
}

/** The rows of a result decoded row by row with `decode`, inline rows first, then every chunk in order. */
export const make = <Row>(options: Options<Row>): Stream.Stream<Row, SnowflakeError> =>
  batches(options).pipe(
    // Decoded as they are pulled, so `take(10)` decodes one batch, not a whole chunk.
    Stream.mapEffect((batch) =>
      Effect.try({
        try: () => Chunk.unsafeFromArray(RowBatch.toCells(batch).map((cells) => options.decode(cells))),
        catch: asRowDecodeError
      })
    ),
    Stream.flattenChunks
  )
