/** Bridges between Effect streams and the Node streams the cloud SDKs read and return. */
import { Readable } from "node:stream"
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { StageUploadError } from "../../errors/index.js"
import { storageError } from "./errors.js"

/** A Node Readable over an Effect stream; a failure of the stream errors the Readable with it. */
export const toReadable = (body: Stream.Stream<Uint8Array, StageUploadError>): Effect.Effect<Readable> =>
  Effect.map(Stream.toReadableStreamEffect(body), (web) =>
    Readable.fromWeb(web as unknown as NodeWebReadableStream<Uint8Array>)
  )

/** An Effect stream over a Node Readable / async iterable of bytes. */
export const fromNodeReadable = (
  readable: AsyncIterable<Uint8Array | string>,
  what: string
): Stream.Stream<Uint8Array, StageUploadError> =>
  Stream.fromAsyncIterable(readable, storageError(what)).pipe(
    Stream.map((chunk) => (typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk))
  )

/** Keeps a typed failure that travelled through an SDK (from our own body stream) as it was. */
export const keepTyped =
  (what: string) =>
  (cause: unknown): StageUploadError =>
    cause instanceof StageUploadError ? cause : storageError(what)(cause)

/**
 * Runs `use` on a byte stream whose own failures must come back typed as they were: the adapters
 * only carry `StageUploadError`, so a failure of the source is remembered and re-raised.
 */
export const withSourceFailure = <E, A, E2>(
  source: Stream.Stream<Uint8Array, E>,
  use: (body: Stream.Stream<Uint8Array, StageUploadError>) => Effect.Effect<A, E2>
): Effect.Effect<A, E | E2> =>
  Effect.suspend(() => {
    let failure: { readonly error: E } | undefined
    const body = source.pipe(
      Stream.mapError((error) => {
        failure = { error }
        return new StageUploadError({ message: "The source stream failed", cause: error })
      })
    )
    return use(body).pipe(
      Effect.catchAll(
        (error): Effect.Effect<never, E | E2> =>
          failure === undefined ? Effect.fail(error) : Effect.fail(failure.error)
      )
    )
  })
