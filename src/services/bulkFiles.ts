/**
 * The files of a `bulkInsert`: its serialized records cut into files of about `fileSize` bytes
 * each, PUT one after the other under one stage directory, for one COPY INTO over that directory.
 *
 * Why several files: Snowflake loads the files of one COPY in parallel but each file by itself,
 * and recommends files of 100–250 MB compressed; one file for a large load would be loaded by one
 * thread, and spooled to local disk whole before its upload. Why one COPY: ON_ERROR and the
 * all-or-nothing of ABORT_STATEMENT then hold across every file, as they would for one.
 *
 * The records stream is pulled once; each file is a stream that takes pieces from it until it holds
 * `fileSize` bytes (cut between pieces: the serializers emit whole lines), so memory holds one
 * pulled chunk, not a file. Files go up sequentially; every file's upload result is returned.
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { type SnowflakeError, StageUploadError } from "../errors/index.js"
import type { UploadResult } from "../protocol/transfer/results.js"
import type { StageManagerService } from "./StageManager.js"

const bytesOf = (chunk: Chunk.Chunk<Uint8Array>) => {
  let size = 0
  for (const bytes of chunk) size += bytes.length
  return size
}

/** `part_00001.csv`, … (sorted by name in file order). */
const partName = (n: number, extension: string) => `part_${String(n).padStart(5, "0")}.${extension}`

export const putInFiles = <E>(
  stages: StageManagerService,
  bytes: Stream.Stream<Uint8Array, E>,
  stage: string,
  extension: string,
  fileSize: number
): Effect.Effect<ReadonlyArray<UploadResult>, SnowflakeError | E> =>
  Effect.scoped(
    Effect.gen(function* () {
      const pull = yield* Stream.toPull(bytes)
      // Pieces pulled but not yet in a file: a pulled chunk may hold more than a file takes.
      let pending: Array<Uint8Array> = []
      let at = 0
      let ended = false
      const refill = Effect.catchAll(
        Effect.map(pull, (chunk) => {
          pending = Chunk.toArray(chunk)
          at = 0
        }),
        (end) =>
          Option.isNone(end)
            ? Effect.sync(() => {
                ended = true
              })
            : Effect.fail(end.value)
      )
      /** Pending pieces of at most `budget` bytes (at least one piece), or undefined at the end. */
      const take = (budget: number): Effect.Effect<Chunk.Chunk<Uint8Array> | undefined, E> =>
        Effect.gen(function* () {
          while (at >= pending.length) {
            if (ended) return undefined
            yield* refill
          }
          const out: Array<Uint8Array> = []
          let size = 0
          while (at < pending.length && (out.length === 0 || size + pending[at]!.length <= budget)) {
            size += pending[at]!.length
            out.push(pending[at++]!)
          }
          return Chunk.unsafeFromArray(out)
        })
      const results: Array<UploadResult> = []
      for (let n = 1; ; n++) {
        const first = yield* take(fileSize)
        if (first === undefined) break
        let size = bytesOf(first)
        const rest = Stream.repeatEffectChunkOption(
          Effect.suspend(() =>
            size >= fileSize
              ? Effect.fail(Option.none())
              : Effect.flatMap(Effect.mapError(take(fileSize - size), Option.some), (chunk) => {
                  if (chunk === undefined) return Effect.fail(Option.none())
                  size += bytesOf(chunk)
                  return Effect.succeed(chunk)
                })
          )
        )
        const name = partName(n, extension)
        const uploaded = yield* stages.put(
          { stream: Stream.concat(Stream.fromChunk(first), rest), name },
          stage,
          {
            autoCompress: true,
            overwrite: true
          }
        )
        const row = uploaded[0]
        if (row === undefined || row.status !== "UPLOADED") {
          return yield* new StageUploadError({
            message: `The records file ${name} was not uploaded (${row?.status ?? "no result"}: ${row?.message ?? ""})`
          })
        }
        results.push(row)
      }
      return results
    })
  )
