/**
 * Metrics of result-chunk streaming. Names follow the seed's Prometheus style so an exporter shows
 * them unchanged; the library only records them.
 */
import * as Metric from "effect/Metric"

/** Result chunks downloaded and parsed (one per chunk, retries not counted twice). */
export const chunksFetched = Metric.counter("snowflake_chunks_fetched_total", {
  description: "Result chunks downloaded",
  incremental: true
})

/** Bytes of chunk bodies downloaded, as received (compressed when the body was gzip). */
export const chunkBytesFetched = Metric.counter("snowflake_chunk_bytes_fetched_total", {
  description: "Bytes of result chunk bodies downloaded",
  incremental: true
})

/**
 * Bytes reserved for chunks that are downloading or downloaded but not yet consumed, summed over
 * every open result stream. It rises on reservation and falls when the consumer moves past a chunk,
 * so it shows how much of the prefetch budget is in use.
 */
export const bufferedBytes = Metric.gauge("snowflake_chunk_buffered_bytes", {
  description: "Bytes of result chunks fetched (or being fetched) and not yet consumed"
})
