/**
 * The local side of a PUT: which files a path names (a glob in the file-name part is expanded),
 * and how each is read. Shared by `Stages.put` and the simulation, which fingerprints the same
 * files before sending them.
 */
import { createReadStream } from "node:fs"
import * as nodePath from "node:path"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { StageUploadError } from "../../errors/index.js"
import { CHUNK } from "../storage/pipeline.js"
import { fromNodeReadable } from "../storage/streams.js"

const ioError = (what: string) => (cause: unknown) => new StageUploadError({ message: what, cause })

const globToRegExp = (glob: string) =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replaceAll("*", ".*")
      .replaceAll("?", ".")}$`
  )

/** The files a PUT path names, absolute and sorted: a glob in the file-name part is expanded, a plain path must exist. */
export const expandPath = (
  fs: FileSystem.FileSystem,
  path: string
): Effect.Effect<ReadonlyArray<string>, StageUploadError> => {
  const absolute = nodePath.resolve(path)
  const base = nodePath.basename(absolute)
  if (!/[*?]/.test(base)) {
    return fs.exists(absolute).pipe(
      Effect.mapError(ioError(`Could not read ${absolute}`)),
      Effect.flatMap((exists) =>
        exists
          ? Effect.succeed([absolute])
          : Effect.fail(new StageUploadError({ message: `File not found: ${absolute}` }))
      )
    )
  }
  const dir = nodePath.dirname(absolute)
  const matcher = globToRegExp(base)
  return fs.readDirectory(dir).pipe(
    Effect.mapError(ioError(`Could not list ${dir}`)),
    Effect.map((names) =>
      names
        .filter((n) => matcher.test(n))
        .sort()
        .map((n) => nodePath.join(dir, n))
    ),
    Effect.flatMap((files) =>
      files.length > 0
        ? Effect.succeed(files)
        : Effect.fail(new StageUploadError({ message: `No file matches ${absolute}` }))
    )
  )
}

/** A local file to upload. */
export interface LocalFile {
  readonly name: string
  /** Where it is on disk, when it is a file: then it can be read twice and needs no spooling. */
  readonly path?: string | undefined
  readonly open: Stream.Stream<Uint8Array, StageUploadError>
  /** First bytes, for magic-number detection (empty for streams). */
  readonly head: Effect.Effect<Uint8Array, StageUploadError>
}

/** Whether `path` is a regular file: anything else — a named pipe, a device — can be read only once. */
export const isRegularFile = (
  fs: FileSystem.FileSystem,
  path: string
): Effect.Effect<boolean, StageUploadError> =>
  fs.stat(path).pipe(
    Effect.map((info) => info.type === "File"),
    Effect.mapError(ioError(`Could not read ${path}`))
  )

/**
 * A local path. A regular file is read with positions (its first bytes for compression
 * detection, then the whole file, possibly twice); anything else — a named pipe, a device — can
 * only be read once, front to back, so it is read like a stream: no peeking (compression is
 * told by its name), one sequential read.
 */
export const localFile = (fs: FileSystem.FileSystem, path: string): LocalFile => {
  const readError = ioError(`Could not read ${path}`)
  const regular = isRegularFile(fs, path)
  return {
    name: nodePath.basename(path),
    path,
    open: Stream.unwrap(
      Effect.map(regular, (isFile) =>
        isFile
          ? fs.stream(path, { chunkSize: CHUNK }).pipe(Stream.mapError(readError))
          : Stream.suspend(() =>
              fromNodeReadable(
                createReadStream(path, { highWaterMark: Number(CHUNK) }),
                `Could not read ${path}`
              )
            )
      )
    ),
    head: Effect.flatMap(regular, (isFile) =>
      isFile
        ? Effect.scoped(
            Effect.flatMap(fs.open(path), (file) =>
              Effect.map(file.readAlloc(FileSystem.Size(8)), (bytes) =>
                Option.getOrElse(bytes, () => new Uint8Array())
              )
            )
          ).pipe(Effect.mapError(readError))
        : Effect.succeed(new Uint8Array())
    )
  }
}
