/**
 * PUT / GET / LIST / REMOVE, exposed as `Snowflake.Stages`.
 *
 * PUT and GET follow the drivers (PROTOCOL.md §9): the statement goes to Snowflake as a
 * query-request with `Accept: application/json`, the answer is a transfer instruction (stage
 * location, short-lived credentials, encryption material), and the bytes move directly between
 * this process and the object store through `CloudStorage`. Snowflake never sees the files; the
 * result rows are built here, in the Node driver's shapes (§9.5).
 *
 * Files stream through, several at a time (`parallel`): a file uploaded as it is is hashed in a
 * first read-only pass, then read, encrypted and uploaded in one go; a stream or a file being
 * gzipped is spooled (gzip → hash → encrypt → temporary file) and then uploaded. SKIPPED means
 * `overwrite` is off and the target already exists (a HEAD). By default a failing file fails the
 * call with `StageUploadError`; `onError: "report"` turns it into an ERROR row and carries on with
 * the other files.
 */
import * as nodePath from "node:path"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import { ProtocolError, type SnowflakeError, StageUploadError } from "../errors/index.js"
import * as Compression from "../protocol/transfer/compression.js"
import * as Encryption from "../protocol/transfer/encryption.js"
import type { DownloadResult, UploadResult } from "../protocol/transfer/results.js"
import { materialFor, TransferInstruction } from "../protocol/transfer/stageInfo.js"
import { isInProgress } from "../protocol/wire/query.js"
import { literal } from "../sql/identifier.js"
import { stageReference } from "../sql/stage.js"
import { Client, type ClientService } from "./Client.js"
import { CloudStorage, type CloudStorageService } from "./CloudStorage.js"
import { expandPath, type LocalFile, localFile } from "./ingestion/localFiles.js"
import { fieldOf, optionalText } from "./rowFields.js"
import { SessionPool, type SessionPoolService } from "./SessionPool.js"
import { postQuery } from "./Statements.js"
import {
  coalesce,
  counted,
  digestFile,
  encryptedLength,
  gzip,
  measure,
  readFile,
  throughCipher,
  writeFile
} from "./storage/pipeline.js"
import type { StorageAdapter } from "./storage/StorageAdapter.js"
import { withSourceFailure } from "./storage/streams.js"

export type { DownloadResult, UploadResult } from "../protocol/transfer/results.js"

/** A stream to PUT as one file called `name` in the stage. */
export interface StreamSource<E = never> {
  readonly stream: Stream.Stream<Uint8Array, E>
  readonly name: string
}

/** Local file paths, a glob (`/data/*.csv`, wildcards in the file name only) or a stream. */
export type PutSource<E = never> = string | ReadonlyArray<string> | StreamSource<E>

export interface PutOptions {
  /** Gzip files that are not compressed yet (default true). */
  readonly autoCompress?: boolean | undefined
  /**
   * Gzip level of `autoCompress`, 1 (fastest, default) to 9 (smallest). On CSV, level 6 costs
   * ~2.5× the CPU of level 1 for ~7% fewer bytes: level 1 wins unless the link is very slow.
   */
  readonly compressionLevel?: number | undefined
  /** Files transferred at once (default: what the server says, 4). */
  readonly parallel?: number | undefined
  /** Replace existing files (default false: existing ones are SKIPPED). */
  readonly overwrite?: boolean | undefined
  /** `auto_detect` (default), `none`, `gzip`, `bz2`, `brotli`, `zstd`, `deflate`, `raw_deflate`. */
  readonly sourceCompression?: string | undefined
  /** `fail` (default): the first failing file fails the call. `report`: an ERROR row instead. */
  readonly onError?: "fail" | "report" | undefined
}

export interface GetOptions {
  readonly parallel?: number | undefined
  /** A regular expression on the stage file names. */
  readonly pattern?: string | undefined
  readonly onError?: "fail" | "report" | undefined
}

/** One row of LIST. */
export interface StageFile {
  readonly name: string
  readonly size: number
  readonly md5: string | undefined
  readonly lastModified: string | undefined
}

/** One row of REMOVE. */
export interface RemovedFile {
  readonly name: string
  readonly result: string
}

export interface StagesService {
  readonly put: <E = never>(
    source: PutSource<E>,
    stage: string,
    options?: PutOptions
  ) => Effect.Effect<ReadonlyArray<UploadResult>, SnowflakeError | E>
  readonly get: (
    stagePath: string,
    localDir: string,
    options?: GetOptions
  ) => Effect.Effect<ReadonlyArray<DownloadResult>, SnowflakeError>
  readonly list: (stage: string, pattern?: string) => Effect.Effect<ReadonlyArray<StageFile>, SnowflakeError>
  readonly remove: (
    stage: string,
    pattern?: string
  ) => Effect.Effect<ReadonlyArray<RemovedFile>, SnowflakeError>
}

export class Stages extends Context.Tag("effect-snowflake/Stages")<Stages, StagesService>() {}

const decodeInstruction = Schema.decodeUnknown(TransferInstruction)

const bool = (value: boolean) => (value ? "TRUE" : "FALSE")

const stageSql = (stage: string) =>
  Either.match(stageReference(stage), { onLeft: Effect.fail, onRight: Effect.succeed })

const fileUrl = (path: string) => literal(`file://${path}`)

const optionSql = (options: PutOptions) =>
  [
    `AUTO_COMPRESS=${bool(options.autoCompress ?? true)}`,
    `SOURCE_COMPRESSION=${(options.sourceCompression ?? "auto_detect").toUpperCase()}`,
    ...(options.parallel === undefined ? [] : [`PARALLEL=${Math.max(1, Math.floor(options.parallel))}`]),
    `OVERWRITE=${bool(options.overwrite ?? false)}`
  ].join(" ")

/**
 * A stream's target name: a name, not a path (no `/`, `\`, control characters, `.` or `..`).
 * Anything else is safe — the file URI goes out as a quoted literal — so `f 1 'q'.csv` is too, as
 * Snowflake allows.
 */
const isFileName = (name: string) =>
  name !== "" &&
  name !== "." &&
  name !== ".." &&
  ![...name].some((c) => c === "/" || c === "\\" || c.charCodeAt(0) < 0x20)

const DEFAULT_COMPRESSION_LEVEL = 1

const SOURCE_COMPRESSIONS = new Set([
  "auto_detect",
  "none",
  "gzip",
  "bz2",
  "brotli",
  "zstd",
  "deflate",
  "raw_deflate"
])

const row = (
  source: string,
  partial: Partial<UploadResult> & Pick<UploadResult, "status">
): UploadResult => ({
  source,
  target: partial.target ?? source,
  sourceSize: partial.sourceSize ?? 0,
  targetSize: partial.targetSize ?? 0,
  sourceCompression: partial.sourceCompression ?? null,
  targetCompression: partial.targetCompression ?? null,
  status: partial.status,
  message: partial.message
})

/**
 * The per-file transfers, given the file system for spooling (exported for tests that drive them
 * against a storage emulator directly).
 */
export const makeTransfers = (fs: FileSystem.FileSystem) => {
  const ioError = (what: string) => (cause: unknown) => new StageUploadError({ message: what, cause })

  /** Uploads one file per the instruction; the spool file lives in `tempDir`. */
  const uploadOne = (
    adapter: StorageAdapter,
    plan: TransferInstruction,
    file: LocalFile,
    tempDir: string,
    partConcurrency: number,
    compressionLevel = DEFAULT_COMPRESSION_LEVEL
  ): Effect.Effect<UploadResult, StageUploadError> =>
    Effect.gen(function* () {
      const head = yield* file.head
      const decided = Compression.plan(
        file.name,
        { autoCompress: plan.autoCompress, sourceCompression: plan.sourceCompression },
        head
      )
      if ("unsupported" in decided) return yield* new StageUploadError({ message: decided.unsupported })
      const base = {
        target: decided.targetName,
        sourceCompression: decided.source ?? null,
        targetCompression: decided.target ?? null
      }
      const local = plan.stageInfo.locationType === "LOCAL_FS"
      if (!plan.overwrite && !local) {
        const existing = yield* adapter.head(decided.targetName)
        if (Option.isSome(existing)) return row(file.name, { ...base, status: "SKIPPED" })
      }
      const material = local ? undefined : materialFor(plan, 0)
      const encryption = material === undefined ? undefined : Encryption.forNewFile(material)
      const encryptionFailed = ioError("Encryption failed")
      const options = (size: number, digest: string) => ({
        size,
        metadata: { digest, encryption: encryption?.envelope },
        concurrency: partConcurrency
      })
      // A regular file uploaded as it is: the digest (of the plaintext) comes from a read-only
      // pass, then the file is read again and encrypted straight into the upload — no temporary
      // copy, and the stored length is known up front from the plaintext's. (Anything else, a
      // device say, need not give the same bytes twice: it is spooled like a stream.)
      const path = file.path
      const direct =
        path !== undefined &&
        !decided.gzip &&
        (yield* fs.stat(path).pipe(
          Effect.map((info) => info.type === "File"),
          Effect.mapError(ioError(`Could not read ${path}`))
        ))
      if (direct) {
        const { size, digest } = yield* digestFile(fs, path)
        yield* adapter.upload(
          decided.targetName,
          readFile(fs, path, {
            size,
            cipher: encryption && { make: encryption.encryptor, onError: encryptionFailed }
          }),
          options(encryption === undefined ? size : encryptedLength(size), digest)
        )
        return row(file.name, { ...base, sourceSize: size, targetSize: size, status: "UPLOADED" })
      }
      // A stream cannot be read twice and gzip output is only known once made: spool it.
      const source = counted(coalesce(file.open))
      const measured = measure(decided.gzip ? gzip(source.stream, compressionLevel) : source.stream)
      const stored =
        encryption === undefined
          ? measured.stream
          : throughCipher(measured.stream, encryption.encryptor, encryptionFailed)
      const spool = nodePath.join(tempDir, globalThis.crypto.randomUUID())
      return yield* Effect.gen(function* () {
        yield* writeFile(fs, spool, stored)
        const { size, digest } = measured.result()
        const spooledSize = yield* fs.stat(spool).pipe(
          Effect.map((info) => Number(info.size)),
          Effect.mapError(ioError(`Could not read ${spool}`))
        )
        yield* adapter.upload(
          decided.targetName,
          readFile(fs, spool, { size: spooledSize }),
          options(spooledSize, digest)
        )
        return row(file.name, { ...base, sourceSize: source.size(), targetSize: size, status: "UPLOADED" })
      }).pipe(Effect.ensuring(fs.remove(spool).pipe(Effect.ignore)))
    })

  const downloadOne = (
    adapter: StorageAdapter,
    plan: TransferInstruction,
    key: string,
    index: number,
    localDir: string
  ): Effect.Effect<DownloadResult, StageUploadError> =>
    Effect.scoped(
      Effect.gen(function* () {
        const name = nodePath.basename(key)
        const { info, body } = yield* adapter.download(key)
        const material = plan.stageInfo.locationType === "LOCAL_FS" ? undefined : materialFor(plan, index)
        const envelope = info.metadata.encryption
        if (material !== undefined && envelope === undefined) {
          return yield* new StageUploadError({
            message: `${key} carries no encryption metadata on an encrypted stage`
          })
        }
        const decryptFailed = (cause: unknown) =>
          new StageUploadError({ message: `Could not decrypt ${key}: wrong key or tampered object`, cause })
        const plain =
          material === undefined || envelope === undefined
            ? body
            : throughCipher(body, () => Encryption.decryptorFor(material, envelope), decryptFailed)
        const measured = measure(plain)
        const target = nodePath.join(localDir, name)
        const partial = nodePath.join(localDir, `.${name}.${globalThis.crypto.randomUUID()}.partial`)
        yield* Effect.addFinalizer(() => fs.remove(partial).pipe(Effect.ignore))
        yield* writeFile(fs, partial, measured.stream)
        const { size, digest } = measured.result()
        if (info.metadata.digest !== undefined && info.metadata.digest !== digest) {
          return yield* decryptFailed(new Error("sfc-digest mismatch"))
        }
        yield* fs.rename(partial, target).pipe(Effect.mapError(ioError(`Could not write ${target}`)))
        return { file: name, size, status: "DOWNLOADED" as const, message: undefined }
      })
    )

  return { uploadOne, downloadOne, ioError }
}

/** Sends PUT/GET and decodes the transfer instruction it is answered with (exported for tests). */
export const transferInstruction = (pool: SessionPoolService, sqlText: string) =>
  pool.withSession((session) =>
    Effect.gen(function* () {
      const envelope = yield* postQuery(session, { sqlText, disableOfflineChunks: false }, { accept: "json" })
      if (isInProgress(envelope.code)) {
        return yield* new ProtocolError({ message: "A PUT/GET statement was answered as still running" })
      }
      return yield* decodeInstruction(envelope.data).pipe(
        Effect.mapError(
          (cause) =>
            new ProtocolError({ message: "Unexpected PUT/GET transfer instruction from Snowflake", cause })
        )
      )
    })
  )

/** The service with a span per call: over the live transfers, a recording or a replay alike. */
export const traced = (stages: StagesService): StagesService => ({
  put: (source, stage, options) =>
    stages
      .put(source, stage, options)
      .pipe(Effect.withSpan("Snowflake.Stages.put", { attributes: { stage } })),
  get: (stagePath, localDir, options) =>
    stages
      .get(stagePath, localDir, options)
      .pipe(Effect.withSpan("Snowflake.Stages.get", { attributes: { stage: stagePath } })),
  list: (stage, pattern) =>
    stages.list(stage, pattern).pipe(Effect.withSpan("Snowflake.Stages.list", { attributes: { stage } })),
  remove: (stage, pattern) =>
    stages.remove(stage, pattern).pipe(Effect.withSpan("Snowflake.Stages.remove", { attributes: { stage } }))
})

/** The live transfers, without spans (`traced` adds them). */
export const makeLive = (
  pool: SessionPoolService,
  engine: ClientService,
  storage: CloudStorageService,
  fs: FileSystem.FileSystem
): StagesService => {
  const { uploadOne, downloadOne, ioError } = makeTransfers(fs)
  const expand = (path: string) => expandPath(fs, path)
  const instruction = (sqlText: string) => transferInstruction(pool, sqlText)

  const guard = <A>(
    mode: "fail" | "report" | undefined,
    effect: Effect.Effect<A, StageUploadError>,
    onError: (error: StageUploadError) => A
  ): Effect.Effect<A, StageUploadError> =>
    mode === "report" ? Effect.catchAll(effect, (error) => Effect.succeed(onError(error))) : effect

  /** One PUT statement and the transfer of its files. */
  const putFiles = (
    sqlText: string,
    files: (plan: TransferInstruction) => Effect.Effect<ReadonlyArray<LocalFile>, StageUploadError>,
    options: PutOptions
  ) =>
    Effect.scoped(
      Effect.gen(function* () {
        const plan = yield* instruction(sqlText)
        if (plan.command !== "UPLOAD") {
          return yield* new ProtocolError({ message: `PUT was answered with a ${plan.command} instruction` })
        }
        const adapter = yield* storage.forStage(plan.stageInfo)
        const tempDir = yield* fs
          .makeTempDirectoryScoped({ prefix: "sf-put-" })
          .pipe(Effect.mapError(ioError("Could not create a temporary directory")))
        const list = yield* files(plan)
        const parallel = Math.max(1, options.parallel ?? plan.parallel)
        return yield* Effect.forEach(
          list,
          (file) =>
            guard(
              options.onError,
              uploadOne(
                adapter,
                plan,
                file,
                tempDir,
                Math.max(1, Math.ceil(parallel / list.length)),
                options.compressionLevel
              ),
              (error) => row(file.name, { status: "ERROR", message: error.message })
            ),
          { concurrency: parallel }
        )
      })
    )

  const put = <E = never>(source: PutSource<E>, stage: string, options: PutOptions = {}) =>
    Effect.gen(function* () {
      const target = yield* stageSql(stage)
      const compression = (options.sourceCompression ?? "auto_detect").toLowerCase()
      if (!SOURCE_COMPRESSIONS.has(compression)) {
        return yield* new StageUploadError({
          message: `Unsupported SOURCE_COMPRESSION ${options.sourceCompression}`
        })
      }
      const level = options.compressionLevel
      if (level !== undefined && !(Number.isInteger(level) && level >= 1 && level <= 9)) {
        return yield* new StageUploadError({
          message: `compressionLevel must be an integer from 1 to 9, got ${String(level)}`
        })
      }
      const tail = optionSql(options)
      if (typeof source === "object" && !Array.isArray(source)) {
        const streamed = source as StreamSource<E>
        if (!isFileName(streamed.name)) {
          return yield* new StageUploadError({
            message: `Not a valid target file name: ${JSON.stringify(streamed.name)}`
          })
        }
        return yield* withSourceFailure(streamed.stream, (body) =>
          putFiles(
            `PUT ${fileUrl(`/${streamed.name}`)} ${target} ${tail}`,
            () =>
              Effect.succeed([{ name: streamed.name, open: body, head: Effect.succeed(new Uint8Array()) }]),
            options
          )
        )
      }
      const paths = typeof source === "string" ? [source] : (source as ReadonlyArray<string>)
      // One PUT statement per path or glob, as the drivers send them.
      const results = yield* Effect.forEach(paths, (path) =>
        putFiles(
          `PUT ${fileUrl(nodePath.resolve(path))} ${target} ${tail}`,
          () => Effect.map(expand(path), (files) => files.map((file) => localFile(fs, file))),
          options
        )
      )
      return results.flat()
    })

  const get = (stagePath: string, localDir: string, options: GetOptions = {}) =>
    Effect.scoped(
      Effect.gen(function* () {
        const source = yield* stageSql(stagePath)
        const dir = nodePath.resolve(localDir)
        const parts = [
          `GET ${source} ${fileUrl(dir.endsWith("/") ? dir : `${dir}/`)}`,
          ...(options.parallel === undefined
            ? []
            : [`PARALLEL=${Math.max(1, Math.floor(options.parallel))}`]),
          ...(options.pattern === undefined ? [] : [`PATTERN=${literal(options.pattern)}`])
        ]
        const plan = yield* instruction(parts.join(" "))
        if (plan.command !== "DOWNLOAD") {
          return yield* new ProtocolError({ message: `GET was answered with a ${plan.command} instruction` })
        }
        yield* fs
          .makeDirectory(dir, { recursive: true })
          .pipe(Effect.mapError(ioError(`Could not create ${dir}`)))
        const adapter = yield* storage.forStage(plan.stageInfo)
        return yield* Effect.forEach(
          plan.src_locations,
          (key, index) =>
            guard(options.onError, downloadOne(adapter, plan, key, index, dir), (error) => ({
              file: nodePath.basename(key),
              size: 0,
              status: "ERROR" as const,
              message: error.message
            })),
          { concurrency: Math.max(1, options.parallel ?? plan.parallel) }
        )
      })
    )

  const list = (stage: string, pattern?: string) =>
    Effect.gen(function* () {
      const ref = yield* stageSql(stage)
      const result = yield* engine.execute(
        `LIST ${ref}${pattern === undefined ? "" : ` PATTERN = ${literal(pattern)}`}`
      )
      return result.rows.map(
        (r): StageFile => ({
          name: String(fieldOf(r, "name")),
          size: Number(fieldOf(r, "size") ?? 0),
          md5: optionalText(fieldOf(r, "md5")),
          lastModified: optionalText(fieldOf(r, "last_modified"))
        })
      )
    })

  const remove = (stage: string, pattern?: string) =>
    Effect.gen(function* () {
      const ref = yield* stageSql(stage)
      const result = yield* engine.execute(
        `REMOVE ${ref}${pattern === undefined ? "" : ` PATTERN = ${literal(pattern)}`}`
      )
      return result.rows.map(
        (r): RemovedFile => ({ name: String(fieldOf(r, "name")), result: String(fieldOf(r, "result") ?? "") })
      )
    })

  return { put, get, list, remove }
}

export const make: Effect.Effect<
  StagesService,
  never,
  SessionPool | Client | CloudStorage | FileSystem.FileSystem
> = Effect.gen(function* () {
  return traced(
    makeLive(yield* SessionPool, yield* Client, yield* CloudStorage, yield* FileSystem.FileSystem)
  )
})

export const layer: Layer.Layer<Stages, never, SessionPool | Client | CloudStorage | FileSystem.FileSystem> =
  Layer.effect(Stages, make)
