/**
 * What every object-store adapter offers, for one bucket (or container, or local directory) and a
 * key prefix: HEAD, streamed upload and streamed download. Keys are relative to the prefix.
 */
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type { StageUploadError } from "../../errors/index.js"
import type { StoredMetadata } from "../../protocol/transfer/metadata.js"

export interface ObjectInfo {
  readonly size: number
  readonly metadata: StoredMetadata
}

export interface UploadOptions {
  /** The body's length when known (files); multipart/streaming uploads do without. */
  readonly size?: number | undefined
  readonly metadata: StoredMetadata
  /** How many parts/blocks may be in flight for one object. */
  readonly concurrency?: number | undefined
}

export interface StorageAdapter {
  /** The object's size and stored metadata, or none when it does not exist. */
  readonly head: (key: string) => Effect.Effect<Option.Option<ObjectInfo>, StageUploadError>
  /** Uploads a stream (consumed once) to `key`, replacing any existing object. */
  readonly upload: (
    key: string,
    body: Stream.Stream<Uint8Array, StageUploadError>,
    options: UploadOptions
  ) => Effect.Effect<void, StageUploadError>
  /** Opens `key` for reading: its info and its bytes, valid for the scope. */
  readonly download: (
    key: string
  ) => Effect.Effect<
    { readonly info: ObjectInfo; readonly body: Stream.Stream<Uint8Array, StageUploadError> },
    StageUploadError,
    Scope.Scope
  >
}
