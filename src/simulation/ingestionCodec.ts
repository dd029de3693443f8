/**
 * Between the stage and ingestion services' results and their cassette form. Optional values are
 * omitted in the file and come back as `undefined` fields, as the services return them. Messages
 * (an ERROR row's, an error's) go through `scrub`, which takes local paths out.
 */
import * as os from "node:os"
import * as nodePath from "node:path"
import type { Compression } from "../protocol/transfer/compression.js"
import type { BulkInsertResult, CopyFileResult, CopyResult } from "../services/Ingestion.js"
import type { DownloadResult, RemovedFile, StageFile, UploadResult } from "../services/Stages.js"
import type {
  RecordedBulkInsert,
  RecordedCopy,
  RecordedDownload,
  RecordedStageFile,
  RecordedUpload
} from "./IngestionCassette.js"

type Scrub = (text: string) => string

const text = <K extends string>(key: K, value: string | undefined, scrub: Scrub = (t) => t) =>
  (value === undefined ? {} : { [key]: scrub(value) }) as { readonly [P in K]?: string }
const num = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: value }) as { readonly [P in K]?: number }

/**
 * Replaces the given local directories (and the temporary, home and working directories) in a
 * text by `<local>`, longest first, so no absolute local path reaches a cassette.
 */
export const localPathScrubber = (directories: ReadonlyArray<string>): Scrub => {
  const prefixes = [...directories, os.tmpdir(), os.homedir(), process.cwd()]
    .map((dir) => nodePath.resolve(dir))
    .filter((dir) => dir.length > 1)
    .sort((a, b) => b.length - a.length)
  return (value) => prefixes.reduce((acc, dir) => acc.replaceAll(dir, "<local>"), value)
}

export const toRecordedUpload = (row: UploadResult, scrub: Scrub): RecordedUpload => ({
  source: row.source,
  target: row.target,
  sourceSize: row.sourceSize,
  targetSize: row.targetSize,
  sourceCompression: row.sourceCompression,
  targetCompression: row.targetCompression,
  status: row.status,
  ...text("message", row.message, scrub)
})

export const fromRecordedUpload = (row: RecordedUpload): UploadResult => ({
  ...row,
  sourceCompression: row.sourceCompression as Compression | null,
  targetCompression: row.targetCompression as Compression | null,
  message: row.message
})

export const toRecordedDownloadRows = (
  rows: ReadonlyArray<DownloadResult>,
  scrub: Scrub
): RecordedDownload["results"] =>
  rows.map((row) => ({
    file: row.file,
    size: row.size,
    status: row.status,
    ...text("message", row.message, scrub)
  }))

export const fromRecordedDownloadRows = (rows: RecordedDownload["results"]): ReadonlyArray<DownloadResult> =>
  rows.map((row) => ({ ...row, message: row.message }))

export const toRecordedStageFile = (file: StageFile) => ({
  name: file.name,
  size: file.size,
  ...text("md5", file.md5),
  ...text("lastModified", file.lastModified)
})

export const fromRecordedStageFile = (file: typeof RecordedStageFile.Type): StageFile => ({
  name: file.name,
  size: file.size,
  md5: file.md5,
  lastModified: file.lastModified
})

export const fromRecordedRemoved = (removed: {
  readonly name: string
  readonly result: string
}): RemovedFile => ({
  name: removed.name,
  result: removed.result
})

const toRecordedCopyFile = (file: CopyFileResult): RecordedCopy["results"][number] => ({
  file: file.file,
  status: file.status,
  rowsParsed: file.rowsParsed,
  rowsLoaded: file.rowsLoaded,
  errorsSeen: file.errorsSeen,
  ...text("firstError", file.firstError),
  ...num("firstErrorLine", file.firstErrorLine),
  ...num("firstErrorCharacter", file.firstErrorCharacter),
  ...text("firstErrorColumnName", file.firstErrorColumnName)
})

const fromRecordedCopyFile = (file: RecordedCopy["results"][number]): CopyFileResult => ({
  file: file.file,
  status: file.status,
  rowsParsed: file.rowsParsed,
  rowsLoaded: file.rowsLoaded,
  errorsSeen: file.errorsSeen,
  firstError: file.firstError,
  firstErrorLine: file.firstErrorLine,
  firstErrorCharacter: file.firstErrorCharacter,
  firstErrorColumnName: file.firstErrorColumnName
})

export const toRecordedCopy = (copy: CopyResult): RecordedCopy => ({
  filesProcessed: copy.filesProcessed,
  rowsLoaded: copy.rowsLoaded,
  results: copy.results.map(toRecordedCopyFile)
})

export const fromRecordedCopy = (copy: RecordedCopy): CopyResult => ({
  filesProcessed: copy.filesProcessed,
  rowsLoaded: copy.rowsLoaded,
  results: copy.results.map(fromRecordedCopyFile)
})

export const toRecordedBulkInsert = (result: BulkInsertResult): RecordedBulkInsert => ({
  ...toRecordedCopy(result),
  recordsSent: result.recordsSent,
  rejected: result.rejected,
  rejectedRecords: result.rejectedRecords.map((r) => ({
    index: r.index,
    file: r.file,
    ...num("line", r.line),
    error: r.error,
    ...text("code", r.code),
    ...text("columnName", r.columnName)
  }))
})

export const fromRecordedBulkInsert = (result: RecordedBulkInsert): BulkInsertResult => ({
  ...fromRecordedCopy(result),
  recordsSent: result.recordsSent,
  rejected: result.rejected,
  rejectedRecords: (result.rejectedRecords ?? []).map((r) => ({
    index: r.index,
    file: r.file,
    line: r.line,
    error: r.error,
    code: r.code,
    columnName: r.columnName
  }))
})
