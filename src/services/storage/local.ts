/**
 * LOCAL_FS stages (PROTOCOL.md §9.3): the stage is a directory on the client's own disk. Test-only
 * in practice (Snowflake rejects PUT to LOCAL_FS); no encryption and, as in the drivers, no
 * existence check — a repeated PUT uploads again.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { storageError } from "./errors.js"
import type { StorageAdapter } from "./StorageAdapter.js"

export interface LocalTarget {
  /** The stage directory (with or without a trailing `/`). */
  readonly directory: string
}

const join = (directory: string, key: string) => `${directory.replace(/\/+$/, "")}/${key}`
const parent = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf("/")))

export const make = (target: LocalTarget, fs: FileSystem.FileSystem): StorageAdapter => {
  const head: StorageAdapter["head"] = (key) =>
    fs.stat(join(target.directory, key)).pipe(
      Effect.map((info) => Option.some({ size: Number(info.size), metadata: {} })),
      Effect.catchAll((error) =>
        error._tag === "SystemError" && error.reason === "NotFound"
          ? Effect.succeed(Option.none())
          : Effect.fail(storageError(`Local stat ${key}`)(error))
      )
    )

  const upload: StorageAdapter["upload"] = (key, body) =>
    Effect.gen(function* () {
      const path = join(target.directory, key)
      yield* fs
        .makeDirectory(parent(path), { recursive: true })
        .pipe(Effect.mapError(storageError(`Local mkdir for ${key}`)))
      yield* Stream.run(
        body,
        fs.sink(path).pipe((sink) => sink)
      ).pipe(
        Effect.catchTag("SystemError", storageError(`Local write of ${key}`)),
        Effect.catchTag("BadArgument", storageError(`Local write of ${key}`))
      )
    })

  const download: StorageAdapter["download"] = (key) =>
    Effect.gen(function* () {
      const path = join(target.directory, key)
      const info = yield* fs.stat(path).pipe(Effect.mapError(storageError(`Local read of ${key}`)))
      return {
        info: { size: Number(info.size), metadata: {} },
        body: fs.stream(path).pipe(Stream.mapError(storageError(`Local read of ${key}`)))
      }
    })

  return { head, upload, download }
}
