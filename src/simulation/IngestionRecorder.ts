/**
 * Recording `Stages` and `Ingestion`: each call runs on the live service and is written on the
 * shared tape (Tape.ts) with its fingerprint (IngestionFingerprint.ts) and its *result* — PUT's
 * and GET's per-file rows, LIST and REMOVE rows, the COPY result, the bulk insert report — or its
 * typed error. The statements and transfers underneath run on the live services, unrecorded: a
 * replay answers the whole operation, so they would never be asked for.
 *
 * GET also records the bytes it wrote, base64, so a replay can write the same files. Above
 * `MAX_RECORDED_DOWNLOAD_BYTES` per GET they are left out (the rows are still recorded) and a
 * replay of that GET fails with `SimulationNotRecorded`, saying so.
 */
import * as nodePath from "node:path"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import type { Loads } from "../services/Ingestion.js"
import type { DownloadResult, GetOptions, StagesService } from "../services/Stages.js"
import type * as Cassette from "./Cassette.js"
import * as Fp from "./IngestionFingerprint.js"
import * as Codec from "./ingestionCodec.js"
import type { Tape } from "./Tape.js"

/** The most bytes one GET may write for its files to be kept in the cassette (1 MiB). */
export const MAX_RECORDED_DOWNLOAD_BYTES = 1024 * 1024

const base64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")

export const make = (
  tape: Tape,
  stages: StagesService,
  loads: Loads,
  fs: FileSystem.FileSystem
): { readonly stages: StagesService; readonly loads: Loads } => {
  const defaults = tape.defaults
  const scrub = Codec.localPathScrubber([])
  const localScrub = (dir: string) => Codec.localPathScrubber([dir])
  const succeed =
    <A>(toResponse: (a: A) => Cassette.Response) =>
    (a: A) =>
      Effect.succeed(toResponse(a))

  /** The rows, and the files they name as written in `dir` unless above the cap or unreadable. */
  const download = (dir: string, rows: ReadonlyArray<DownloadResult>) =>
    Effect.gen(function* () {
      const written = rows.filter((row) => row.status === "DOWNLOADED")
      const bytes = written.reduce((sum, row) => sum + row.size, 0)
      const results = Codec.toRecordedDownloadRows(rows, localScrub(dir))
      if (bytes > MAX_RECORDED_DOWNLOAD_BYTES) return { download: { results, bytes } }
      const files = yield* Effect.forEach(written, (row) =>
        Effect.map(fs.readFile(nodePath.join(dir, row.file)), (content) => ({
          name: row.file,
          base64: base64(content)
        }))
      ).pipe(Effect.option)
      return { download: { results, bytes, ...(files._tag === "Some" ? { files: files.value } : {}) } }
    })

  const recordedStages: StagesService = {
    put: (source, stage, options) =>
      Effect.scoped(
        Effect.flatMap(Fp.putToSend(fs, defaults, source, stage, options), ({ request, source: sent }) => {
          // Error messages and ERROR rows may name the source directories: those never go in.
          const paths =
            typeof sent === "string" ? [sent] : Array.isArray(sent) ? (sent as ReadonlyArray<string>) : []
          const scrubPaths = Codec.localPathScrubber(paths.map((p) => nodePath.dirname(nodePath.resolve(p))))
          return tape.recorded(
            request,
            stages.put(sent, stage, options),
            succeed((rows) => ({ uploads: rows.map((row) => Codec.toRecordedUpload(row, scrubPaths)) })),
            scrubPaths
          )
        })
      ),
    get: (stagePath: string, localDir: string, options?: GetOptions) =>
      Effect.flatMap(Fp.get(defaults, stagePath, options), (request) => {
        const dir = nodePath.resolve(localDir)
        return tape.recorded(
          request,
          stages.get(stagePath, localDir, options),
          (rows) => download(dir, rows),
          localScrub(dir)
        )
      }),
    list: (stage, pattern) =>
      Effect.flatMap(Fp.stageQuestion("list", defaults, stage, pattern), (request) =>
        tape.recorded(
          request,
          stages.list(stage, pattern),
          succeed((files) => ({ stageFiles: files.map(Codec.toRecordedStageFile) })),
          scrub
        )
      ),
    remove: (stage, pattern) =>
      Effect.flatMap(Fp.stageQuestion("remove", defaults, stage, pattern), (request) =>
        tape.recorded(
          request,
          stages.remove(stage, pattern),
          succeed((removed) => ({ removed: removed.map((r) => ({ name: r.name, result: r.result })) })),
          scrub
        )
      )
  }

  const recordedLoads: Loads = {
    copyInto: (copy) =>
      Effect.flatMap(Fp.copyInto(defaults, copy), (request) =>
        tape.recorded(
          request,
          loads.copyInto(copy),
          succeed((result) => ({ copy: Codec.toRecordedCopy(result) })),
          scrub
        )
      ),
    bulkInsert: (table, records, options) =>
      Effect.scoped(
        Effect.flatMap(Fp.bulkInsertRecording(defaults, table, records, options), (recording) =>
          tape.recorded(
            recording.request,
            loads.bulkInsert(table, recording.records, options),
            succeed((result) => ({ bulkInsert: Codec.toRecordedBulkInsert(result) })),
            scrub
          )
        )
      )
  }

  return { stages: recordedStages, loads: recordedLoads }
}
