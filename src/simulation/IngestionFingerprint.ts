/**
 * Fingerprints of the stage and ingestion operations: what identifies a recorded PUT, GET, LIST,
 * REMOVE, COPY INTO or bulk insert. Like statements (Fingerprint.ts) they carry the effective
 * context — a bare stage or table name resolves against the connection's database and schema.
 *
 * - put: stage, the options that change the answer (compression, overwrite, onError; not
 *   `parallel`) and each source's *base name* and SHA-256. Local paths are never part of it: they
 *   differ between machines, and the content is what matters. A streamed source is read whole to
 *   digest it, and then sent from memory.
 * - get: stage path, pattern and onError (never the local directory).
 *
 * Stage references are spelled canonically: unquoted names upper-case, paths exact.
 * - list / remove: stage and pattern.
 * - copyInto: the rendered COPY statement, normalised like any SQL.
 * - bulkInsert: table, format, onError, the named columns, and the number and SHA-256 of the
 *   records as JSON lines. The records are read whole first, so the same records in an array or
 *   a stream match.
 *
 * Validation failures (a bad stage reference, a missing file, an invalid COPY) fail here exactly
 * as the live call would, before anything is recorded or looked up.
 */
import { createHash } from "node:crypto"
import * as nodePath from "node:path"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import { StageUploadError } from "../errors/Ingestion.js"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import type { BulkInsertOptions, Records } from "../services/Ingestion.js"
import { expandPath, type GetOptions, type PutOptions, type PutSource } from "../services/StageManager.js"
import * as CopyInto from "../sql/CopyInto.js"
import * as Query from "../sql/Query.js"
import { stageReference } from "../sql/stage.js"
import { stringifyLossless } from "../streams/export/values.js"
import type { RecordedContext, Request } from "./Cassette.js"
import * as Fingerprint from "./Fingerprint.js"
import { normalizeStage } from "./normalizeSql.js"

const sha256 = (chunks: Iterable<Uint8Array | string>): string => {
  const hash = createHash("sha256")
  for (const chunk of chunks) hash.update(chunk)
  return hash.digest("hex")
}

const defined = <A extends Record<string, unknown>>(fields: A): A =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as A

const withContext = (defaults: RecordedContext, request: Request): Request => {
  const context = Fingerprint.effectiveContext(Query.make(""), defaults)
  return Object.keys(context).length > 0 ? { ...request, context } : request
}

/** The stage reference as SQL, spelled canonically (normalizeSql.ts) so `@s/p` and `@S/p` agree. */
const stageSql = (stage: string) =>
  Either.match(stageReference(stage), {
    onLeft: Effect.fail,
    onRight: (ref) => Effect.succeed(normalizeStage(ref))
  })

/** A PUT's fingerprint, and the source to send live (a streamed one, now in memory). */
export const put = <E = never>(
  fs: FileSystem.FileSystem,
  defaults: RecordedContext,
  source: PutSource<E>,
  stage: string,
  options: PutOptions = {}
): Effect.Effect<{ readonly request: Request; readonly source: PutSource<never> }, SnowflakeError | E> =>
  Effect.gen(function* () {
    const ref = yield* stageSql(stage)
    const request = (files: Request["files"]): Request =>
      withContext(defaults, {
        operation: "put",
        stage: ref,
        files,
        options: defined({
          autoCompress: options.autoCompress ?? true,
          overwrite: options.overwrite ?? false,
          sourceCompression: (options.sourceCompression ?? "auto_detect").toLowerCase(),
          onError: options.onError ?? "fail"
        })
      })
    if (typeof source === "object" && !Array.isArray(source)) {
      const streamed = source as { readonly stream: Stream.Stream<Uint8Array, E>; readonly name: string }
      const chunks = Chunk.toReadonlyArray(yield* Stream.runCollect(streamed.stream))
      return {
        request: request([{ name: streamed.name, sha256: sha256(chunks) }]),
        source: { name: streamed.name, stream: Stream.fromIterable(chunks) }
      }
    }
    const paths = typeof source === "string" ? [source] : (source as ReadonlyArray<string>)
    const files = yield* Effect.forEach(paths, (path) => expandPath(fs, path))
    const digests = yield* Effect.forEach(files.flat(), (file) =>
      fs.readFile(file).pipe(
        Effect.map((bytes) => ({ name: nodePath.basename(file), sha256: sha256([bytes]) })),
        Effect.mapError((cause) => new StageUploadError({ message: `Could not read ${file}`, cause }))
      )
    )
    return { request: request(digests), source: paths }
  })

export const get = (
  defaults: RecordedContext,
  stagePath: string,
  options: GetOptions = {}
): Effect.Effect<Request, SnowflakeError> =>
  Effect.map(stageSql(stagePath), (ref) =>
    withContext(
      defaults,
      defined({
        operation: "get" as const,
        stage: ref,
        pattern: options.pattern,
        options: { onError: options.onError ?? "fail" }
      })
    )
  )

/** LIST and REMOVE. */
export const stageQuestion = (
  operation: "list" | "remove",
  defaults: RecordedContext,
  stage: string,
  pattern: string | undefined
): Effect.Effect<Request, SnowflakeError> =>
  Effect.map(stageSql(stage), (ref) => withContext(defaults, defined({ operation, stage: ref, pattern })))

export const copyInto = (
  defaults: RecordedContext,
  copy: CopyInto.CopyInto
): Effect.Effect<Request, SnowflakeError> =>
  Effect.flatMap(
    Either.match(CopyInto.render(copy), { onLeft: Effect.fail, onRight: Effect.succeed }),
    (sql) => Fingerprint.ofStatement("copyInto", Query.make(sql), defaults)
  )

const isStream = <A, E>(value: Iterable<A> | Stream.Stream<A, E>): value is Stream.Stream<A, E> =>
  Stream.StreamTypeId in (value as object)

/** A bulk insert's fingerprint, and its records read whole (to send live, from memory). */
export const bulkInsert = <E = never>(
  defaults: RecordedContext,
  table: string,
  records: Records<E>,
  options: BulkInsertOptions = {}
): Effect.Effect<
  { readonly request: Request; readonly records: ReadonlyArray<Readonly<Record<string, unknown>>> },
  E
> =>
  Effect.map(
    isStream(records)
      ? Effect.map(Stream.runCollect(records), Chunk.toReadonlyArray)
      : Effect.sync(() => [...records]),
    (all) => ({
      records: all,
      request: withContext(
        defaults,
        defined({
          operation: "bulkInsert" as const,
          table,
          columns: options.columns,
          records: all.length,
          digest: sha256(all.map((record) => `${stringifyLossless(record)}\n`)),
          options: { format: options.format ?? "csv", onError: options.onError ?? "ABORT_STATEMENT" }
        })
      )
    })
  )
