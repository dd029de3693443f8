/**
 * Result chunks (PROTOCOL.md §6): rows beyond the inline part are cut into chunks of `chunkRows`,
 * each stored as a gzip body of comma-joined rows without outer brackets, and served at absolute
 * URLs on the emulator. Like S3 with SSE-C, a chunk is only served with its key header.
 */
import { createHash } from "node:crypto"
import { promisify } from "node:util"
import { constants, gzip } from "node:zlib"
import { Effect } from "effect"
import { type JsonRows, rowsBody } from "../engine/jsonRows.js"
import { newChunkKey } from "./ids.js"

const gzipAsync = promisify(gzip)

export const chunkKeyHeader = "x-amz-server-side-encryption-customer-key"

export interface ChunkDescriptor {
  readonly url: string
  readonly rowCount: number
  readonly uncompressedSize: number
  readonly compressedSize: number
}

export interface ChunkedResult {
  readonly chunks: ReadonlyArray<ChunkDescriptor>
  readonly chunkHeaders: Readonly<Record<string, string>>
  readonly qrmk: string
}

interface StoredQuery {
  readonly key: string
  readonly sessionId: number
  readonly bodies: ReadonlyArray<Buffer>
}

export type ChunkLookup =
  | { readonly _tag: "Found"; readonly body: Buffer }
  | { readonly _tag: "Forbidden" }
  | { readonly _tag: "NotFound" }

/** Chunk bodies ready to serve: gzip'ed, with the sizes the chunk list announces. */
export type EncodedChunks = ReadonlyArray<{
  readonly rowCount: number
  readonly uncompressedSize: number
  readonly body: Buffer
}>

export interface Chunks {
  /** Gzips rows [from, rows.count) into chunks of `chunkRows`. */
  readonly encode: (rows: JsonRows, from: number, chunkRows: number) => Effect.Effect<EncodedChunks>
  /** Serves already encoded chunks under a query id (a fresh key and URLs per query). */
  readonly register: (
    baseUrl: string,
    queryId: string,
    sessionId: number,
    encoded: EncodedChunks
  ) => ChunkedResult
  /**
   * Stores rows [from, rows.count) as gzip chunks of `chunkRows`; the URLs are absolute on
   * `baseUrl`.
   */
  readonly store: (
    baseUrl: string,
    queryId: string,
    sessionId: number,
    rows: JsonRows,
    from: number,
    chunkRows: number
  ) => Effect.Effect<ChunkedResult>
  readonly get: (queryId: string, index: number, key: string | undefined) => ChunkLookup
  readonly dropSession: (sessionId: number) => void
  /** Bytes of chunk bodies currently kept (each body counted once). */
  readonly storedBytes: () => number
}

/**
 * Chunk bodies kept for finished queries, in bytes, before the oldest queries' chunks are dropped.
 * Snowflake keeps results for a day on object storage; an emulator that runs for hours must not
 * keep every result of a long-lived session in memory.
 */
export const DEFAULT_MAX_STORED_BYTES = 2 * 1024 * 1024 * 1024

export const makeChunks = (maxStoredBytes = DEFAULT_MAX_STORED_BYTES): Chunks => {
  // Insertion order is age order. A reused (cached) result shares its bodies with earlier queries,
  // so bytes are counted once per body, with a count of the queries that hold it.
  const stored = new Map<string, StoredQuery>()
  const holders = new Map<Buffer, number>()
  let storedBytes = 0
  const hold = (bodies: ReadonlyArray<Buffer>) => {
    for (const body of bodies) {
      const n = holders.get(body) ?? 0
      if (n === 0) storedBytes += body.length
      holders.set(body, n + 1)
    }
  }
  const forget = (queryId: string) => {
    const query = stored.get(queryId)
    if (query === undefined) return
    stored.delete(queryId)
    for (const body of query.bodies) {
      const n = (holders.get(body) ?? 1) - 1
      if (n === 0) {
        holders.delete(body)
        storedBytes -= body.length
      } else holders.set(body, n)
    }
  }
  const encode = (rows: JsonRows, from: number, chunkRows: number): Effect.Effect<EncodedChunks> => {
    const starts: Array<number> = []
    for (let start = from; start < rows.count; start += chunkRows) starts.push(start)
    // Bodies are slices of the packed rows (no copy). zlib runs on libuv's thread pool, so
    // chunks compress in parallel, and level 1 is several times faster than the default 6
    // for a few percent more bytes.
    return Effect.forEach(
      starts,
      (start) =>
        Effect.promise(async () => {
          const end = Math.min(start + chunkRows, rows.count)
          const text = rowsBody(rows, start, end)
          const body = await gzipAsync(text, { level: constants.Z_BEST_SPEED })
          return { rowCount: end - start, uncompressedSize: text.length, body }
        }),
      { concurrency: 4 }
    )
  }
  const register = (
    baseUrl: string,
    queryId: string,
    sessionId: number,
    encoded: EncodedChunks
  ): ChunkedResult => {
    const key = newChunkKey()
    const bodies = encoded.map((e) => e.body)
    stored.set(queryId, { key, sessionId, bodies })
    hold(bodies)
    for (const oldest of stored.keys()) {
      if (storedBytes <= maxStoredBytes || oldest === queryId) break
      forget(oldest)
    }
    return {
      chunks: encoded.map((e, index) => ({
        url: `${baseUrl}/chunks/${queryId}/${index}?x-amz-server-side-encryption-customer-algorithm=AES256`,
        rowCount: e.rowCount,
        uncompressedSize: e.uncompressedSize,
        compressedSize: e.body.length
      })),
      chunkHeaders: {
        [chunkKeyHeader]: key,
        "x-amz-server-side-encryption-customer-key-md5": createHash("md5").update(key).digest("base64")
      },
      qrmk: key
    }
  }
  return {
    encode,
    register,
    store: (baseUrl, queryId, sessionId, rows, from, chunkRows) =>
      Effect.map(encode(rows, from, chunkRows), (encoded) => register(baseUrl, queryId, sessionId, encoded)),
    get: (queryId, index, key) => {
      const query = stored.get(queryId)
      const body = query?.bodies[index]
      if (query === undefined || body === undefined) return { _tag: "NotFound" }
      if (key !== query.key) return { _tag: "Forbidden" }
      return { _tag: "Found", body }
    },
    dropSession: (sessionId) => {
      for (const [id, query] of stored) if (query.sessionId === sessionId) forget(id)
    },
    storedBytes: () => storedBytes
  }
}
