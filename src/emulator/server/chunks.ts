/**
 * Result chunks (PROTOCOL.md §6): rows beyond the inline part are cut into chunks of `chunkRows`,
 * each stored as a gzip body of comma-joined rows without outer brackets, and served at absolute
 * URLs on the emulator. Like S3 with SSE-C, a chunk is only served with its key header.
 */
import { createHash } from "node:crypto"
import { promisify } from "node:util"
import { constants, gzip } from "node:zlib"
import { Effect } from "effect"
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

export interface Chunks {
  /** Encodes and stores `rows` as chunks of `chunkRows`; the URLs are absolute on `baseUrl`. */
  readonly store: (
    baseUrl: string,
    queryId: string,
    sessionId: number,
    rows: ReadonlyArray<ReadonlyArray<string | null>>,
    chunkRows: number
  ) => Effect.Effect<ChunkedResult>
  readonly get: (queryId: string, index: number, key: string | undefined) => ChunkLookup
  readonly dropSession: (sessionId: number) => void
}

/** One chunk body: `["a","1"],["b","2"]` — Node parses it as `'[' + body + ']'`. */
export const encodeChunkBody = (rows: ReadonlyArray<ReadonlyArray<string | null>>): string => {
  const parts = new Array<string>(rows.length)
  for (let i = 0; i < rows.length; i++) parts[i] = JSON.stringify(rows[i])
  return parts.join(",")
}

export const makeChunks = (): Chunks => {
  const stored = new Map<string, StoredQuery>()
  return {
    store: (baseUrl, queryId, sessionId, rows, chunkRows) =>
      Effect.gen(function* () {
        const key = newChunkKey()
        const slices: Array<ReadonlyArray<ReadonlyArray<string | null>>> = []
        for (let start = 0; start < rows.length; start += chunkRows)
          slices.push(rows.slice(start, start + chunkRows))
        // zlib runs on libuv's thread pool, so chunks compress in parallel.
        const encoded = yield* Effect.forEach(
          slices,
          (slice) =>
            Effect.promise(async () => {
              const text = Buffer.from(encodeChunkBody(slice), "utf8")
              const body = await gzipAsync(text, { level: constants.Z_BEST_SPEED })
              return { rowCount: slice.length, uncompressedSize: text.length, body }
            }),
          { concurrency: 4 }
        )
        stored.set(queryId, { key, sessionId, bodies: encoded.map((e) => e.body) })
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
      }),
    get: (queryId, index, key) => {
      const query = stored.get(queryId)
      const body = query?.bodies[index]
      if (query === undefined || body === undefined) return { _tag: "NotFound" }
      if (key !== query.key) return { _tag: "Forbidden" }
      return { _tag: "Found", body }
    },
    dropSession: (sessionId) => {
      for (const [id, query] of stored) if (query.sessionId === sessionId) stored.delete(id)
    }
  }
}
