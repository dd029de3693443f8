/**
 * Replaying `Stages` and `Ingestion` from a cassette: each call is fingerprinted as when recording
 * (so a PUT still reads and digests its local files, and a bulk insert its records) and answered
 * with the recorded result or typed error. Nothing goes over the network.
 *
 * GET writes the recorded files into the local directory, as the live GET did; a GET whose files
 * were too large to keep (IngestionRecorder.ts) fails with `SimulationNotRecorded`.
 *
 * Spans are the public services' (Stages.traced, Ingestion.traced), above this replay as
 * above the live services.
 */
import * as nodePath from "node:path"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import { StageUploadError } from "../errors/Ingestion.js"
import { SimulationNotRecorded } from "../errors/Simulation.js"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import type { Loads } from "../services/Ingestion.js"
import type { DownloadResult, StagesService } from "../services/Stages.js"
import type { RecordedDownload } from "./IngestionCassette.js"
import * as Fingerprints from "./IngestionFingerprint.js"
import { MAX_RECORDED_DOWNLOAD_BYTES } from "./IngestionRecorder.js"
import * as Codec from "./ingestionCodec.js"
import type { Playback } from "./Playback.js"

export const make = (
  playback: Playback,
  fs: FileSystem.FileSystem
): { readonly stages: StagesService; readonly loads: Loads } => {
  const defaults = playback.cassette.context
  const { answer, source } = playback

  /** Writes a recorded GET's files into `localDir` and answers its rows. */
  const writeFiles = (
    localDir: string,
    recorded: RecordedDownload
  ): Effect.Effect<ReadonlyArray<DownloadResult>, SnowflakeError> =>
    Effect.gen(function* () {
      const rows = Codec.fromRecordedDownloadRows(recorded.results)
      const downloaded = rows.filter((row) => row.status === "DOWNLOADED")
      if (downloaded.length === 0) return rows
      if (recorded.files === undefined) {
        return yield* new SimulationNotRecorded({
          message: `This GET wrote ${recorded.bytes} bytes when recorded in ${source}; files above ${MAX_RECORDED_DOWNLOAD_BYTES} bytes (or unreadable) are not kept in a cassette, so it cannot be replayed. Keep GETs in simulated programs small.`
        })
      }
      const dir = nodePath.resolve(localDir)
      const failed = (cause: unknown) =>
        new StageUploadError({ message: `Could not write into ${dir}`, cause })
      yield* fs.makeDirectory(dir, { recursive: true }).pipe(Effect.mapError(failed))
      for (const file of recorded.files) {
        // Recorded names are base names; anything else is a tampered cassette, not a path to follow.
        if (nodePath.basename(file.name) !== file.name || file.name === "..") {
          return yield* new SimulationNotRecorded({
            message: `${source} holds a GET file named ${JSON.stringify(file.name)}, which is not a file name`
          })
        }
        yield* fs
          .writeFile(nodePath.join(dir, file.name), Buffer.from(file.base64, "base64"))
          .pipe(Effect.mapError(failed))
      }
      return rows
    })

  const stages: StagesService = {
    put: (put, stage, options) =>
      Effect.flatMap(Fingerprints.put(fs, defaults, put, stage, options), (request) =>
        answer(request, "PUT result", (r) => r.uploads?.map(Codec.fromRecordedUpload))
      ),
    get: (stagePath, localDir, options) =>
      Effect.flatMap(Fingerprints.get(defaults, stagePath, options), (request) =>
        answer(request, "GET result", (r) => r.download)
      ).pipe(Effect.flatMap((recorded) => writeFiles(localDir, recorded))),
    list: (stage, pattern) =>
      Effect.flatMap(Fingerprints.stageQuestion("list", defaults, stage, pattern), (request) =>
        answer(request, "LIST result", (r) => r.stageFiles?.map(Codec.fromRecordedStageFile))
      ),
    remove: (stage, pattern) =>
      Effect.flatMap(Fingerprints.stageQuestion("remove", defaults, stage, pattern), (request) =>
        answer(request, "REMOVE result", (r) => r.removed?.map(Codec.fromRecordedRemoved))
      )
  }

  const loads: Loads = {
    copyInto: (copy) =>
      Effect.flatMap(Fingerprints.copyInto(defaults, copy), (request) =>
        answer(request, "COPY result", (r) => r.copy && Codec.fromRecordedCopy(r.copy))
      ),
    bulkInsert: (table, records, options) =>
      Effect.flatMap(Fingerprints.bulkInsert(defaults, table, records, options), (request) =>
        answer(
          request,
          "bulk insert result",
          (r) => r.bulkInsert && Codec.fromRecordedBulkInsert(r.bulkInsert)
        )
      )
  }

  return { stages, loads }
}
