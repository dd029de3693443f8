/**
 * Fingerprints of the stage and ingestion operations: what identifies a recorded PUT, GET, LIST,
 * REMOVE, COPY INTO or bulk insert. Like statements (Fingerprint.ts) they carry the effective
 * context — a bare stage or table name resolves against the connection's database and schema.
 *
 * - put: stage, the options that change the answer (compression, overwrite, onError; not
 *   `parallel`) and each source's *base name* and SHA-256. Local paths are never part of it: they
 *   differ between machines, and the content is what matters. Sources are digested as streams,
 *   never held whole in memory; when recording, what can be read only once (a stream, a named
 *   pipe) is spooled to a temporary file on the way and sent from there (`putToSend`).
 * - get: stage path, pattern and onError (never the local directory).
 *
 * Stage references are spelled canonically: unquoted names upper-case, paths exact.
 * - list / remove: stage and pattern.
 * - copyInto: the rendered COPY statement, normalised like any SQL.
 * - bulkInsert: table (canonical), format, onError, the named columns, and the number and SHA-256
 *   of the records as JSON lines, so the same records in an array or a stream match. The records
 *   are digested as they stream by — to the live load when recording — never held whole.
 *
 * Validation failures (a bad stage reference, a missing file, an invalid COPY) fail here exactly
 * as the live call would, before anything is recorded or looked up.
 */
import { createHash } from "node:crypto"
import * as nodePath from "node:path"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Scope from "effect/Scope"
import * as Sink from "effect/Sink"
import * as Stream from "effect/Stream"
import { StageUploadError } from "../errors/Ingestion.js"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import { stringifyLossless } from "../protocol/values/losslessJson.js"
import type { BulkInsertOptions, Records } from "../services/Ingestion.js"
import { expandPath, isRegularFile, localFile } from "../services/ingestion/localFiles.js"
import type { GetOptions, PutOptions, PutSource, StreamSource } from "../services/Stages.js"
import * as CopyInto from "../sql/CopyInto.js"
import * as Query from "../sql/Query.js"
import { stageReference } from "../sql/stage.js"
import type { RecordedContext, Request } from "./Cassette.js"
import * as Fingerprint from "./Fingerprint.js"
import { normalizeObjectName, normalizeStage } from "./normalizeSql.js"

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

/** SHA-256 of a byte stream, read once, front to back, without keeping it. */
const digestStream = <E>(stream: Stream.Stream<Uint8Array, E>): Effect.Effect<string, E> =>
  Stream.runFold(stream, createHash("sha256"), (hash, chunk) => hash.update(chunk)).pipe(
    Effect.map((hash) => hash.digest("hex"))
  )

const putRequest = (
  defaults: RecordedContext,
  ref: string,
  files: Request["files"],
  options: PutOptions
): Request =>
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

const isStreamSource = <E>(source: PutSource<E>): source is StreamSource<E> =>
  typeof source === "object" && !Array.isArray(source)

const sourcePaths = <E>(source: string | ReadonlyArray<string> | PutSource<E>): ReadonlyArray<string> =>
  typeof source === "string" ? [source] : (source as ReadonlyArray<string>)

/** A PUT's fingerprint, its sources read once to digest them (replay: nothing is sent). */
export const put = <E = never>(
  fs: FileSystem.FileSystem,
  defaults: RecordedContext,
  source: PutSource<E>,
  stage: string,
  options: PutOptions = {}
): Effect.Effect<Request, SnowflakeError | E> =>
  Effect.gen(function* () {
    const ref = yield* stageSql(stage)
    if (isStreamSource(source))
      return putRequest(
        defaults,
        ref,
        [{ name: source.name, sha256: yield* digestStream(source.stream) }],
        options
      )
    const files = (yield* Effect.forEach(sourcePaths(source), (path) => expandPath(fs, path))).flat()
    const digests = yield* Effect.forEach(files, (file) =>
      Effect.map(digestStream(localFile(fs, file).open), (sha256) => ({
        name: nodePath.basename(file),
        sha256
      }))
    )
    return putRequest(defaults, ref, digests, options)
  })

/**
 * A PUT's fingerprint, and the source to send live (recording). Regular files are digested in a
 * read of their own and sent from where they are. What can be read only once — a stream, a named
 * pipe — is copied while it is digested to a file of the same name in a temporary directory (gone
 * with the scope) and sent from there: never held in memory, never read twice. A stream is sent
 * again as a stream, so its compression is still told by its name; a named pipe becomes a regular
 * file, whose compression is told by its first bytes — the same unless its name and its content
 * disagree.
 */
export const putToSend = <E = never>(
  fs: FileSystem.FileSystem,
  defaults: RecordedContext,
  source: PutSource<E>,
  stage: string,
  options: PutOptions = {}
): Effect.Effect<
  { readonly request: Request; readonly source: PutSource<StageUploadError> },
  SnowflakeError | E,
  Scope.Scope
> =>
  Effect.gen(function* () {
    const ref = yield* stageSql(stage)
    const spoolError = (cause: unknown) =>
      new StageUploadError({ message: "Could not spool the PUT source to record it", cause })
    const tempDir = yield* Effect.cached(
      fs.makeTempDirectoryScoped({ prefix: "sf-record-put-" }).pipe(Effect.mapError(spoolError))
    )
    /** Copies `stream` to `<tempDir>/<index>/<name>`, digesting it on the way. */
    const spool = <E2>(index: number, name: string, stream: Stream.Stream<Uint8Array, E2>) =>
      Effect.gen(function* () {
        const dir = nodePath.join(yield* tempDir, String(index))
        yield* fs.makeDirectory(dir).pipe(Effect.mapError(spoolError))
        const path = nodePath.join(dir, name)
        const hash = createHash("sha256")
        yield* stream.pipe(
          Stream.tap((chunk) => Effect.sync(() => hash.update(chunk))),
          Stream.run(fs.sink(path).pipe(Sink.mapError(spoolError)))
        )
        return { path, sha256: hash.digest("hex") }
      })
    if (isStreamSource(source)) {
      const spooled = yield* spool(0, source.name, source.stream)
      return {
        request: putRequest(defaults, ref, [{ name: source.name, sha256: spooled.sha256 }], options),
        source: { name: source.name, stream: localFile(fs, spooled.path).open }
      }
    }
    const files = (yield* Effect.forEach(sourcePaths(source), (path) => expandPath(fs, path))).flat()
    const sent = yield* Effect.forEach(files, (file, index) =>
      Effect.flatMap(isRegularFile(fs, file), (regular) =>
        regular
          ? Effect.map(digestStream(localFile(fs, file).open), (sha256) => ({ path: file, sha256 }))
          : spool(index, nodePath.basename(file), localFile(fs, file).open)
      )
    )
    return {
      request: putRequest(
        defaults,
        ref,
        sent.map((f) => ({ name: nodePath.basename(f.path), sha256: f.sha256 })),
        options
      ),
      // The files the paths named, by name; a glob is expanded once, here, as the live PUT would.
      source: sent.map((f) => f.path)
    }
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

/** Records as JSON lines into one SHA-256, a chunk at a time, and how many went in. */
const recordsDigest = () => {
  const hash = createHash("sha256")
  let count = 0
  return {
    add: (records: Iterable<Readonly<Record<string, unknown>>>): void => {
      for (const record of records) {
        hash.update(`${stringifyLossless(record)}\n`)
        count++
      }
    },
    done: () => ({ records: count, digest: hash.digest("hex") })
  }
}

/**
 * The request of a bulk insert: the table spelled canonically (`people`, `PEOPLE` and `"PEOPLE"`
 * are one table to Snowflake), format, onError, the named columns, and its records' digest.
 */
const bulkInsertRequest = (
  defaults: RecordedContext,
  table: string,
  options: BulkInsertOptions,
  records: { readonly records: number; readonly digest: string }
): Request =>
  withContext(
    defaults,
    defined({
      operation: "bulkInsert" as const,
      table: normalizeObjectName(table),
      columns: options.columns,
      ...records,
      options: { format: options.format ?? "csv", onError: options.onError ?? "ABORT_STATEMENT" }
    })
  )

const asStream = <E>(records: Records<E>): Stream.Stream<Readonly<Record<string, unknown>>, E> =>
  isStream(records) ? records : Stream.fromIterable(records)

/** A bulk insert's fingerprint (for replay): its records digested as they stream by, never held. */
export const bulkInsert = <E = never>(
  defaults: RecordedContext,
  table: string,
  records: Records<E>,
  options: BulkInsertOptions = {}
): Effect.Effect<Request, E> =>
  Effect.suspend(() => {
    const digest = recordsDigest()
    return Effect.as(
      Stream.runForEachChunk(asStream(records), (chunk) => Effect.sync(() => digest.add(chunk))),
      undefined
    ).pipe(Effect.map(() => bulkInsertRequest(defaults, table, options, digest.done())))
  })

/**
 * For recording a bulk insert: the records as a stream for the live load that digests each chunk on
 * its way, and `request`, to run once the load has ended, which digests what the load left unread
 * (it stops at its first failure) and makes the fingerprint — the same as `bulkInsert` gives for
 * these records. The records are read once, never held whole.
 */
export const bulkInsertRecording = <E = never>(
  defaults: RecordedContext,
  table: string,
  records: Records<E>,
  options: BulkInsertOptions = {}
): Effect.Effect<
  {
    readonly records: Stream.Stream<Readonly<Record<string, unknown>>, E>
    readonly request: Effect.Effect<Request, E>
  },
  never,
  Scope.Scope
> =>
  Effect.map(Stream.toPull(asStream(records)), (pull) => {
    const digest = recordsDigest()
    const records = Stream.repeatEffectChunkOption(
      Effect.tap(pull, (chunk) => Effect.sync(() => digest.add(chunk)))
    )
    return {
      records,
      // the same pull: only what the load did not take is read here
      request: Effect.map(Stream.runDrain(records), () =>
        bulkInsertRequest(defaults, table, options, digest.done())
      )
    }
  })
