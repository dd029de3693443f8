/**
 * The byte pipelines of PUT and GET, streamed end to end (constant memory):
 *
 * - upload of a file as it is (no compression): one read-only pass for its size and SHA-256, then
 *   read → (AES-CBC) → store, with the stored length known in advance. The digest must be known
 *   before the upload starts (it travels as object metadata, i.e. in the request headers or in
 *   CreateMultipartUpload), hence the first pass; the drivers read such a file twice too.
 * - upload of anything else (a stream, which cannot be read twice, or a file being gzipped):
 *   source → (gzip) → count + SHA-256 → (AES-CBC) → a temporary file, then that file is uploaded.
 *   The spool holds ciphertext, as the drivers' does: plaintext never lands on disk.
 * - download: object → (AES-CBC decrypt) → SHA-256 → a temporary file next to the target, renamed
 *   into place only once the digest matched: a wrong key or a tampered object leaves nothing behind.
 *
 * Files are read in `CHUNK`-sized pieces: with Effect's per-chunk cost paid once per MiB instead of
 * once per 64 KiB, and with few large buffers in flight, hashing and AES dominate, as they should.
 */
import { pipeline, Readable } from "node:stream"
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web"
import * as zlib from "node:zlib"
import type * as PlatformError from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { StageUploadError } from "../../errors/index.js"
import { sha256 } from "../../protocol/transfer/digest.js"
import type { Cipher } from "../../protocol/transfer/encryption.js"

/**
 * Read size for files. Each chunk costs a few Effect steps and an encryption call, so 1 MiB
 * chunks make that overhead negligible next to the hashing and AES of the bytes themselves.
 */
export const CHUNK = FileSystem.MiB(1)

/** What AES-CBC with PKCS#7 padding makes of `size` bytes: padding adds 1 to 16 bytes, never 0. */
export const encryptedLength = (size: number): number => (Math.floor(size / 16) + 1) * 16

const readError = (path: string) => (cause: PlatformError.PlatformError) =>
  new StageUploadError({ message: `Could not read ${path}`, cause })

/** A local file's size and `sfc-digest`, in one read-only pass through one reused buffer. */
export const digestFile = (
  fs: FileSystem.FileSystem,
  path: string
): Effect.Effect<{ readonly size: number; readonly digest: string }, StageUploadError> =>
  Effect.scoped(
    Effect.gen(function* () {
      const file = yield* fs.open(path)
      const buffer = new Uint8Array(Number(CHUNK))
      const digest = sha256()
      let size = 0
      for (;;) {
        const read = Number(yield* file.read(buffer))
        if (read === 0) return { size, digest: digest.digest() }
        // the hash consumes the bytes before the next read overwrites them
        digest.update(buffer.subarray(0, read))
        size += read
      }
    })
  ).pipe(Effect.mapError(readError(path)))

/**
 * A file's bytes, encrypted on the way when a cipher is given, failing if the file does not have
 * `size` bytes (it changed since its digest was taken: the upload would not match its metadata).
 * With a cipher, one buffer is reused for every read (`update` copies what it needs out of it):
 * touching fresh memory for every MiB read is what costs most once AES itself is fast. Without
 * one, each chunk is a buffer of its own, since the consumer may hold on to it.
 */
export const readFile = (
  fs: FileSystem.FileSystem,
  path: string,
  options: {
    readonly size: number
    readonly cipher?:
      | { readonly make: () => Cipher; readonly onError: (cause: unknown) => StageUploadError }
      | undefined
  }
): Stream.Stream<Uint8Array, StageUploadError> =>
  Stream.unwrapScoped(
    Effect.gen(function* () {
      const file = yield* fs.open(path).pipe(Effect.mapError(readError(path)))
      const encryption = options.cipher
      const cipher =
        encryption === undefined
          ? undefined
          : yield* Effect.try({ try: encryption.make, catch: encryption.onError })
      const buffer = new Uint8Array(cipher === undefined ? 0 : Number(CHUNK))
      const changed = () =>
        Effect.fail(
          Option.some(new StageUploadError({ message: `${path} changed while it was being uploaded` }))
        )
      let total = 0
      /** The next chunk as read (not yet encrypted); `Option.none()` at the end of the file. */
      const read: Effect.Effect<Uint8Array, Option.Option<StageUploadError>> = Effect.flatMap(
        (cipher === undefined
          ? file.readAlloc(CHUNK)
          : Effect.map(file.read(buffer), (n) =>
              Number(n) === 0 ? Option.none() : Option.some(buffer.subarray(0, Number(n)))
            )
        ).pipe(Effect.mapError((cause) => Option.some(readError(path)(cause)))),
        Option.match({
          onNone: () => (total === options.size ? Effect.fail(Option.none()) : changed()),
          onSome: (chunk) => {
            total += chunk.length
            return total > options.size ? changed() : Effect.succeed(chunk)
          }
        })
      )
      if (cipher === undefined || encryption === undefined) return Stream.repeatEffectOption(read)
      const encrypt = (chunk: Uint8Array) =>
        Effect.try({
          try: () => cipher.update(chunk),
          catch: (cause) => Option.some(encryption.onError(cause))
        })
      return Stream.repeatEffectOption(Effect.flatMap(read, encrypt)).pipe(
        Stream.concat(
          Stream.fromEffect(Effect.try({ try: () => cipher.final(), catch: encryption.onError }))
        ),
        Stream.filter((chunk) => chunk.length > 0)
      )
    })
  )

/**
 * Small pieces gathered into pieces of at least `minBytes` (the last may be smaller); larger ones
 * pass as they are. A streamed PUT source may come a line at a time: each piece costs gzip a hop to
 * libuv's pool and the hash and cipher a call, so 200,000 lines of 18 bytes took 6.9 s to upload.
 */
export const coalesce = <E>(
  source: Stream.Stream<Uint8Array, E>,
  minBytes = 64 * 1024
): Stream.Stream<Uint8Array, E> =>
  Stream.suspend(() => {
    let parts: Array<Uint8Array> = []
    let size = 0
    const take = (): Uint8Array => {
      const out = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size)
      parts = []
      size = 0
      return out
    }
    const gather = (chunk: Chunk.Chunk<Uint8Array>): Chunk.Chunk<Uint8Array> => {
      const out: Array<Uint8Array> = []
      for (const bytes of chunk) {
        if (bytes.length === 0) continue
        parts.push(bytes)
        size += bytes.length
        if (size >= minBytes) out.push(take())
      }
      return Chunk.unsafeFromArray(out)
    }
    return Stream.concat(
      Stream.mapChunks(source, gather),
      Stream.suspend(() => (size > 0 ? Stream.make(take()) : Stream.empty))
    )
  })

/**
 * Gzip through node:zlib at `level` (1 fastest … 9 smallest), off the main thread. The portable
 * CompressionStream has no level and costs ~3× the CPU of level 1 on CSV (38 MB: 1.3 s against
 * 0.4 s) for ~7% fewer bytes; 256 KiB output buffers instead of zlib's 16 KiB cut the round trips.
 * A failure of the source keeps its error.
 */
export const gzip = (
  source: Stream.Stream<Uint8Array, StageUploadError>,
  level: number
): Stream.Stream<Uint8Array, StageUploadError> =>
  Stream.unwrap(
    Effect.map(Stream.toReadableStreamEffect(source), (web) => {
      const zipped = zlib.createGzip({ level, chunkSize: 256 * 1024 })
      // pipeline hands a failure of the source to the gzip stream, whose reader then throws it
      pipeline(Readable.fromWeb(web as unknown as NodeWebReadableStream<Uint8Array>), zipped, () => undefined)
      return Stream.fromAsyncIterable(zipped as AsyncIterable<Uint8Array>, (cause) =>
        cause instanceof StageUploadError
          ? cause
          : new StageUploadError({ message: "Compression failed", cause })
      )
    })
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

/**
 * Writes a stream to a file, mapping file-system failures. Small chunks (a download arrives in
 * 64 KiB pieces) are gathered into one reused `CHUNK` buffer and written together: one write per
 * MiB instead of one per piece, without allocating anything per write. Each write completes
 * before the buffer is filled again.
 */
export const writeFile = (
  fs: FileSystem.FileSystem,
  path: string,
  body: Stream.Stream<Uint8Array, StageUploadError>
): Effect.Effect<void, StageUploadError> =>
  Effect.scoped(
    Effect.gen(function* () {
      const file = yield* fs.open(path, { flag: "w" }).pipe(Effect.mapError(writeError(path)))
      const buffer = new Uint8Array(Number(CHUNK))
      let used = 0
      const write = (bytes: Uint8Array) => file.writeAll(bytes).pipe(Effect.mapError(writeError(path)))
      const flush = Effect.suspend(() => {
        if (used === 0) return Effect.void
        const full = buffer.subarray(0, used)
        used = 0
        return write(full)
      })
      const gather = (chunk: Uint8Array): Effect.Effect<void, StageUploadError> => {
        if (used === 0 && chunk.length >= buffer.length) return write(chunk)
        const taken = Math.min(chunk.length, buffer.length - used)
        buffer.set(chunk.subarray(0, taken), used)
        used += taken
        if (used < buffer.length) return Effect.void
        // the rest is gathered only once the flush has run: it reuses the buffer
        return taken === chunk.length
          ? flush
          : Effect.zipRight(
              flush,
              Effect.suspend(() => gather(chunk.subarray(taken)))
            )
      }
      yield* Stream.runForEach(body, gather)
      yield* flush
    })
  )

const writeError = (path: string) => (cause: PlatformError.PlatformError) =>
  new StageUploadError({ message: `Could not write ${path}`, cause })
