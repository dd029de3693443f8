/**
 * The files of a `bulkInsert`: its serialized records cut into files of about `fileSize` bytes
 * each, PUT under one stage directory, for one COPY INTO over that directory.
 *
 * Why several files: Snowflake loads the files of one COPY in parallel but each file by itself,
 * and recommends files of 100–250 MB compressed; one file for a large load would be loaded by one
 * thread, and spooled to local disk whole before its upload. Why one COPY: ON_ERROR and the
 * all-or-nothing of ABORT_STATEMENT then hold across every file, as they would for one.
 *
 * The records stream runs once; each file is a stream that takes pieces from it until it holds
 * `fileSize` bytes (cut between pieces: the serializers emit whole lines) or until a `FILE_END`
 * piece (formats whose files must be complete in themselves, Parquet), so memory holds one
 * pulled chunk, not a file. A file's upload overlaps with writing the next (at most two in flight);
 * every file's upload result is returned, in file order.
 */
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import * as Take from "effect/Take"
import { type SnowflakeError, StageUploadError } from "../../errors/index.js"
import type { UploadResult } from "../../protocol/transfer/results.js"
import { isFileEnd } from "../../streams/export/fileEnd.js"
import { recordsIn } from "../../streams/export/recordCount.js"
import type { StagesService } from "../Stages.js"

const bytesOf = (chunk: Chunk.Chunk<Uint8Array>) => {
  let size = 0
  for (const bytes of chunk) size += bytes.length
  return size
}

/** Files whose upload may still be running while the next one is written. */
const IN_FLIGHT = 2

/** `part_00001.csv`, … (sorted by name in file order). */
const partName = (n: number, extension: string) => `part_${String(n).padStart(5, "0")}.${extension}`

export interface PutFiles {
  /** Each file's upload, in file order. */
  readonly uploads: ReadonlyArray<UploadResult>
  /** The records each file holds, in file order, as the serializer counted them (recordCount.ts). */
  readonly records: ReadonlyArray<number>
}

export const putInFiles = <E>(
  stages: StagesService,
  bytes: Stream.Stream<Uint8Array, E>,
  stage: string,
  extension: string,
  fileSize: number
): Effect.Effect<PutFiles, SnowflakeError | E> =>
  Effect.scoped(
    Effect.gen(function* () {
      // The records are serialized in their own fiber into a small queue, ahead of the file being
      // written; a failure arrives as itself (a Take), whichever file is taking pieces then.
      const queue = yield* Stream.toQueue(bytes, { capacity: 2 })
      // Pieces taken from the queue but not yet in a file: a chunk may hold more than a file takes.
      let pending: Array<Uint8Array> = []
      let at = 0
      let ended = false
      const refill: Effect.Effect<void, E> = Effect.flatMap(
        Queue.take(queue),
        Take.match({
          onEnd: () =>
            Effect.sync(() => {
              ended = true
            }),
          // nothing is taken after a failure: the file being written fails with it
          onFailure: (cause) =>
            Effect.zipRight(
              Effect.sync(() => {
                ended = true
              }),
              Effect.failCause(cause)
            ),
          onSuccess: (chunk) =>
            Effect.sync(() => {
              pending = Chunk.toArray(chunk)
              at = 0
            })
        })
      )
      // A FILE_END piece was taken: the file being written ends here, whatever its size.
      let cut = false
      // records of each file, counted as its pieces are taken (files are written one at a time)
      const records: Array<number> = []
      /**
       * Pending pieces of at most `budget` bytes (at least one piece unless the first is a
       * FILE_END, which is taken and sets `cut`), or undefined at the end.
       */
      const take = (budget: number): Effect.Effect<Chunk.Chunk<Uint8Array> | undefined, E> =>
        Effect.gen(function* () {
          while (at >= pending.length) {
            if (ended) return undefined
            yield* refill
          }
          const out: Array<Uint8Array> = []
          let size = 0
          while (at < pending.length && (out.length === 0 || size + pending[at]!.length <= budget)) {
            const piece = pending[at++]!
            if (isFileEnd(piece)) {
              cut = true
              break
            }
            size += piece.length
            records[records.length - 1]! += recordsIn(piece)
            out.push(piece)
          }
          return Chunk.unsafeFromArray(out)
        })
      /** One file's PUT, failing unless the file was uploaded. */
      const putFile = (stream: Stream.Stream<Uint8Array, E>, name: string) =>
        Effect.flatMap(
          stages.put({ stream, name }, stage, { autoCompress: true, overwrite: true }),
          (uploaded) => {
            const row = uploaded[0]
            return row !== undefined && row.status === "UPLOADED"
              ? Effect.succeed(row)
              : Effect.fail(
                  new StageUploadError({
                    message: `The records file ${name} was not uploaded (${row?.status ?? "no result"}: ${row?.message ?? ""})`
                  })
                )
          }
        )
      // A file's upload overlaps with writing the next one (its PUT spools it first, then uploads):
      // the next file starts once this one's records are all taken, with at most two in flight.
      const uploads: Array<Fiber.RuntimeFiber<UploadResult, SnowflakeError | E>> = []
      const writeAll = Effect.gen(function* () {
        for (let n = 1; ; n++) {
          if (uploads.length >= IN_FLIGHT) yield* Fiber.join(uploads[uploads.length - IN_FLIGHT]!)
          let first: Chunk.Chunk<Uint8Array> | undefined
          records[n - 1] = 0
          // a file end right where a file would start anyway makes no empty file
          do {
            cut = false
            first = yield* take(fileSize)
          } while (first !== undefined && Chunk.isEmpty(first))
          if (first === undefined) break
          let size = bytesOf(first)
          const rest = Stream.repeatEffectChunkOption(
            Effect.suspend(() =>
              size >= fileSize || cut
                ? Effect.fail(Option.none())
                : Effect.flatMap(Effect.mapError(take(fileSize - size), Option.some), (chunk) => {
                    if (chunk === undefined || Chunk.isEmpty(chunk)) return Effect.fail(Option.none())
                    size += bytesOf(chunk)
                    return Effect.succeed(chunk)
                  })
            )
          )
          const taken = yield* Deferred.make<void>()
          const file = Stream.concat(Stream.fromChunk(first), rest).pipe(
            Stream.ensuring(Deferred.succeed(taken, undefined))
          )
          const upload = yield* Effect.fork(putFile(file, partName(n, extension)))
          uploads.push(upload)
          // the records are pulled by one file at a time; a failed PUT ends the load right away
          yield* Effect.raceFirst(Deferred.await(taken), Fiber.join(upload))
        }
        const uploaded = yield* Effect.forEach(uploads, Fiber.join)
        return { uploads: uploaded, records: records.slice(0, uploaded.length) }
      })
      // On failure no upload may outlive the load: the caller removes the directory next, and a
      // PUT still running would put its file back after that.
      return yield* writeAll.pipe(Effect.onError(() => Fiber.interruptAll(uploads)))
    })
  )
