/**
 * Large results: `ResultStream.make` streams a result's chunks with byte-bounded prefetch, and
 * `Export` turns rows into CSV or Parquet bytes. `ChunkBody` decodes one chunk body (for the
 * transport that downloads chunks).
 */
export * as ChunkBody from "./chunkBody.js"
export * as Export from "./export/index.js"
export * as StreamMetrics from "./metrics.js"
export * as ResultStream from "./ResultStream.js"
