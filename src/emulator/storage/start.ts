/**
 * Starts the storage backend chosen for an emulator instance; it stops (and a temporary stage
 * directory is removed) when the scope closes. s3rver and azurite are loaded lazily, only when
 * asked for: they are dev/optional dependencies.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Effect, type Scope } from "effect"
import { type GcsStorage, makeGcsStorage } from "./gcsStorage.js"
import { makeLocalStorage } from "./localStorage.js"
import { type StageStorage, StorageError, type StorageKind } from "./storage.js"

export interface StartedStorage {
  readonly storage: StageStorage
  /** Present for "gcs": the endpoint served by the emulator's own HTTP server. */
  readonly gcs: GcsStorage | undefined
  /** PEM of the self-signed certificate of a TLS storage endpoint (s3), for clients to trust. */
  readonly certificate?: string
}

/** A directory for stage data: the one given, or a temporary one removed with the scope. */
const stageDirectory = (given: string | undefined): Effect.Effect<string, StorageError, Scope.Scope> =>
  given !== undefined
    ? Effect.tryPromise({
        try: () => fs.mkdir(given, { recursive: true }).then(() => nodePath.resolve(given)),
        catch: (cause) => new StorageError({ message: `cannot create ${given}`, cause })
      })
    : Effect.acquireRelease(
        Effect.tryPromise({
          try: () => fs.mkdtemp(nodePath.join(os.tmpdir(), "effect-sf-stages-")),
          catch: (cause) => new StorageError({ message: "cannot create a stage directory", cause })
        }),
        (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
      )

export const startStorage = (
  kind: StorageKind,
  options: { readonly stageDir?: string | undefined }
): Effect.Effect<StartedStorage, StorageError, Scope.Scope> =>
  Effect.gen(function* () {
    switch (kind) {
      case "local": {
        const dir = yield* stageDirectory(options.stageDir)
        return { storage: makeLocalStorage(dir), gcs: undefined }
      }
      case "gcs": {
        const dir = yield* stageDirectory(options.stageDir)
        const gcs = yield* makeGcsStorage(dir)
        return { storage: gcs, gcs }
      }
      case "s3": {
        const dir = yield* stageDirectory(options.stageDir)
        const { startS3Storage } = yield* Effect.promise(() => import("./s3Storage.js"))
        const s3 = yield* startS3Storage(dir)
        return { storage: s3, gcs: undefined, certificate: s3.certificate }
      }
      case "azure": {
        const dir = yield* stageDirectory(options.stageDir)
        const { startAzureStorage } = yield* Effect.promise(() => import("./azureStorage.js"))
        return { storage: yield* startAzureStorage(dir), gcs: undefined }
      }
    }
  })
