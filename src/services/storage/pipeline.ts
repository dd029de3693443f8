/**
 * The byte pipelines of PUT and GET, streamed end to end (constant memory):
 *
 * - upload: source → (gzip) → count + SHA-256 → (AES-CBC) → a temporary file. The digest must be
 *   known before the upload starts (it travels as object metadata, i.e. in the request headers or
 *   in CreateMultipartUpload), so the prepared bytes are spooled to disk — as the drivers do —
 *   and then streamed to the store with a known length.
 * - download: object → (AES-CBC decrypt) → SHA-256 → a temporary file next to the target, renamed
 *   into place only once the digest matched: a wrong key or a tampered object leaves nothing behind.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { StageUploadError } from "../../errors/index.js"
import { sha256 } from "../../protocol/transfer/digest.js"
import type { Cipher } from "../../protocol/transfer/encryption.js"

/** Gzip through the web-standard CompressionStream; a failure of the source keeps its error. */
export const gzip = (
  source: Stream.Stream<Uint8Array, StageUploadError>
): Stream.Stream<Uint8Array, StageUploadError> =>
  Stream.unwrap(
    Effect.map(Stream.toReadableStreamEffect(source), (readable) =>
      Stream.fromReadableStream(
        () => readable.pipeThrough(new CompressionStream("gzip")) as ReadableStream<Uint8Array>,
        (cause) =>
          cause instanceof StageUploadError
            ? cause
            : new StageUploadError({ message: "Compression failed", cause })
      )
    )
  )

/** Runs every chunk through a cipher and flushes it at the end; cipher errors become `onError`. */
export const throughCipher = (
  source: Stream.Stream<Uint8Array, StageUploadError>,
  makeCipher: () => Cipher,
  onError: (cause: unknown) => StageUploadError
): Stream.Stream<Uint8Array, StageUploadError> =>
  // Making the cipher can fail too (unwrapping a file key with the wrong master key).
  Stream.unwrap(
    Effect.map(Effect.try({ try: makeCipher, catch: onError }), (cipher) =>
      source.pipe(
        Stream.mapEffect((chunk) => Effect.try({ try: () => cipher.update(chunk), catch: onError })),
        Stream.concat(Stream.fromEffect(Effect.try({ try: () => cipher.final(), catch: onError }))),
        Stream.filter((chunk) => chunk.length > 0)
      )
    )
  )

/** Byte count and digest of what flowed through, read after the stream ended. */
export interface Measured {
  readonly stream: Stream.Stream<Uint8Array, StageUploadError>
  readonly result: () => { readonly size: number; readonly digest: string }
}

export const measure = (source: Stream.Stream<Uint8Array, StageUploadError>): Measured => {
  let size = 0
  const digest = sha256()
  let final: string | undefined
  return {
    stream: Stream.map(source, (chunk) => {
      size += chunk.length
      digest.update(chunk)
      return chunk
    }),
    result: () => {
      final ??= digest.digest()
      return { size, digest: final }
    }
  }
}

export const counted = (source: Stream.Stream<Uint8Array, StageUploadError>) => {
  let size = 0
  return {
    stream: Stream.map(source, (chunk) => {
      size += chunk.length
      return chunk
    }),
    size: () => size
  }
}

/** Writes a stream to a file, mapping file-system failures. */
export const writeFile = (
  fs: FileSystem.FileSystem,
  path: string,
  body: Stream.Stream<Uint8Array, StageUploadError>
): Effect.Effect<void, StageUploadError> =>
  Stream.run(body, fs.sink(path)).pipe(
    Effect.catchTags({
      SystemError: (cause) =>
        Effect.fail(new StageUploadError({ message: `Could not write ${path}`, cause })),
      BadArgument: (cause) => Effect.fail(new StageUploadError({ message: `Could not write ${path}`, cause }))
    })
  )
