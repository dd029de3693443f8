/**
 * A result chunk body, from the bytes a chunk URL answers to raw rows (PROTOCOL.md §6).
 *
 * - Storage serves chunks gzip'ed, sometimes without `Content-Encoding` (then no HTTP stack
 *   decompresses them): the gzip magic `1f 8b` decides, not the header.
 * - The body is rows without the outer brackets (`["a","1"],["b","2"]`), parsed in one
 *   `JSON.parse` — V8's native parser is far faster than any per-row or per-cell work in JS.
 * - The result is checked by a tight loop (array of arrays of string | null) instead of a Schema
 *   per row, and against the announced row count. A truncated or corrupt body is a `ProtocolError`,
 *   never a short result: the official Node driver hangs or silently drops rows here (§16.1).
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { ProtocolError } from "../errors/Connection.js"
import type { RawRows } from "../protocol/decode/RowBatch.js"
import * as RowBatch from "../protocol/decode/RowBatch.js"
import { indexRowset } from "../protocol/decode/rowset.js"

export type { RawRows }

/** What the chunk list announced about the chunk, to check the body against. */
export interface ChunkExpectation {
  readonly rowCount: number
  /** Position of the chunk in the result's chunk list, for error messages. */
  readonly index?: number | undefined
}

/** True when the bytes start with the gzip magic number. */
export const isGzip = (bytes: Uint8Array): boolean =>
  bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b

const label = (expected: ChunkExpectation): string =>
  expected.index === undefined ? "A result chunk" : `Result chunk ${expected.index}`

/** Inflates a whole gzip body. Writing into the stream directly is twice as fast as going through a Blob. */
const inflate = async (bytes: Uint8Array): Promise<Uint8Array> => {
  const inflater = new DecompressionStream("gzip")
  const writer = inflater.writable.getWriter()
  const written = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close())
  // A corrupt body fails both sides; the readable side reports it, so the writable side's rejection
  // must not become an unhandled rejection.
  written.catch(() => undefined)
  const reader = inflater.readable.getReader()
  const parts: Array<Uint8Array> = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parts.push(value)
    size += value.length
  }
  await written
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/**
 * Decompresses gzip'ed bytes (and leaves other bytes as they are). `DecompressionStream` is a web
 * standard, so this runs on every runtime; on Node it inflates off the main thread. A truncated or
 * corrupt gzip stream fails with `ProtocolError`.
 */
export const gunzipIfNeeded = (
  bytes: Uint8Array,
  expected: ChunkExpectation = { rowCount: 0 }
): Effect.Effect<Uint8Array, ProtocolError> =>
  isGzip(bytes)
    ? Effect.tryPromise({
        try: () => inflate(bytes),
        catch: (cause) =>
          new ProtocolError({ message: `${label(expected)} is not valid gzip (truncated or corrupt)`, cause })
      })
    : Effect.succeed(bytes)

const utf8 = new TextDecoder("utf-8")

const malformed = (expected: ChunkExpectation, reason: string, cause?: unknown): ProtocolError =>
  new ProtocolError({
    message: `${label(expected)} is malformed: ${reason}`,
    ...(cause === undefined ? {} : { cause })
  })

/** Index of the first row that is not an array of string | null cells, or -1. */
const firstInvalidRow = (rows: ReadonlyArray<unknown>): number => {
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]
    if (!Array.isArray(row)) return r
    for (let c = 0; c < row.length; c++) {
      const cell = row[c]
      if (cell !== null && typeof cell !== "string") return r
    }
  }
  return -1
}

/**
 * Parses a chunk body's text (rows without outer brackets) and checks it: rows of string | null
 * cells, exactly `rowCount` of them.
 */
export const parseChunkText = (
  text: string,
  expected: ChunkExpectation
): Either.Either<RawRows, ProtocolError> => {
  let parsed: unknown
  try {
    parsed = JSON.parse(`[${text}]`)
  } catch (cause) {
    return Either.left(malformed(expected, "not valid JSON (truncated or corrupt)", cause))
  }
  const rows = parsed as ReadonlyArray<unknown>
  const bad = firstInvalidRow(rows)
  if (bad >= 0) return Either.left(malformed(expected, `row ${bad} is not an array of string or null cells`))
  if (rows.length !== expected.rowCount) {
    return Either.left(
      malformed(expected, `it holds ${rows.length} rows, ${expected.rowCount} were announced`)
    )
  }
  return Either.right(rows as RawRows)
}

/** Text of (already decompressed) chunk bytes. */
export const chunkText = (bytes: Uint8Array): string => utf8.decode(bytes)

/** Inflates a gzip body; the default is the portable `DecompressionStream` (see `gunzipIfNeeded`). */
export type Inflate = (gzipped: Uint8Array) => Effect.Effect<Uint8Array, ProtocolError>

/**
 * The rows of (already decompressed) chunk bytes as one batch: indexed in place when the body is a
 * well-formed rowset (rowset.ts), otherwise parsed by `parseChunkText`, which also explains what is
 * wrong. Either way the row count is checked against the announced one.
 */
export const readChunk = (
  plain: Uint8Array,
  expected: ChunkExpectation
): Either.Either<RowBatch.RowBatch, ProtocolError> => {
  const indexed = indexRowset(plain, expected.rowCount)
  if (indexed === undefined)
    return Either.map(parseChunkText(chunkText(plain), expected), (rows) => RowBatch.cells(rows))
  if (indexed.rowCount !== expected.rowCount)
    return Either.left(
      malformed(expected, `it holds ${indexed.rowCount} rows, ${expected.rowCount} were announced`)
    )
  return Either.right(RowBatch.slice(indexed, 0, indexed.rowCount))
}

/**
 * From the bytes a chunk URL answered to the checked rows: gunzip if needed, then `readChunk`.
 * `inflate` replaces the portable gunzip, e.g. with node:zlib's thread-pool `gunzip` on Node.
 */
export const decodeChunkBody = (
  bytes: Uint8Array,
  expected: ChunkExpectation,
  inflate?: Inflate
): Effect.Effect<RowBatch.RowBatch, ProtocolError> =>
  Effect.flatMap(
    inflate !== undefined && isGzip(bytes) ? inflate(bytes) : gunzipIfNeeded(bytes, expected),
    (plain) => readChunk(plain, expected)
  )
