/**
 * Text lines to UTF-8 bytes in pieces of about `batchBytes`: the lines are appended to one string
 * and encoded once per piece. Whatever consumes the bytes (gzip, a hash, a cipher, a socket) then
 * sees a few large writes instead of one per row — gzip on libuv's pool pays a thread hop per write,
 * which made one-write-per-record JSON lines ~20× slower than CSV.
 */
import * as Chunk from "effect/Chunk"
import * as Stream from "effect/Stream"
import { holding } from "./recordCount.js"

export const textBatches = <Row, E, R>(
  rows: Stream.Stream<Row, E, R>,
  /** One row's text, line end included. */
  line: (row: Row) => string,
  options: { readonly batchBytes: number; readonly head?: string | undefined }
): Stream.Stream<Uint8Array, E, R> =>
  Stream.suspend(() => {
    const encoder = new TextEncoder()
    const batchBytes = Math.max(1, options.batchBytes)
    // Text waiting to be encoded; strings append cheaply and encode once per batch.
    let pending = options.head ?? ""
    // rows in `pending`: each piece says how many records it holds (recordCount.ts)
    let held = 0
    const encodeChunk = (chunk: Chunk.Chunk<Row>): Chunk.Chunk<Uint8Array> => {
      const out: Array<Uint8Array> = []
      for (const row of chunk) {
        pending += line(row)
        held++
        if (pending.length >= batchBytes) {
          out.push(holding(encoder.encode(pending), held))
          pending = ""
          held = 0
        }
      }
      return Chunk.unsafeFromArray(out)
    }
    const rest = Stream.suspend(() =>
      pending.length > 0 ? Stream.make(holding(encoder.encode(pending), held)) : Stream.empty
    )
    return Stream.concat(Stream.mapChunks(rows, encodeChunk), rest)
  })
